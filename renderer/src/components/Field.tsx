import type { ReactNode } from 'react';

/** A labelled form field with an optional hint under it. */
export function Field({
  label,
  hint,
  children,
  id,
}: {
  label: string;
  hint?: string;
  children: ReactNode;
  id: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? <div className="field__hint">{hint}</div> : null}
    </div>
  );
}
