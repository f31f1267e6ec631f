/** The human said no in main's confirmation dialog: a neutral status, not an error. */
export function Cancelled({ text }: { text: string }) {
  return (
    <span className="cancelled" role="status" data-testid="cancelled">
      {text}
    </span>
  );
}
