import { ELEVATION_MINUTE_CHOICES } from '../../../shared/settings';

/** The offered elevation lengths (the one list in shared/settings.ts). */
export function MinutesSelect({
  value,
  onChange,
  id,
  ariaLabel,
}: {
  value: number;
  onChange: (minutes: number) => void;
  id?: string;
  ariaLabel?: string;
}) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(Number(e.target.value))} aria-label={ariaLabel}>
      {ELEVATION_MINUTE_CHOICES.map((m) => (
        <option key={m} value={m}>
          {m} min
        </option>
      ))}
    </select>
  );
}
