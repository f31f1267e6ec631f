// Display formatting used by several panels (times and durations in the user's locale).

/** `14:05` in the user's locale; the input unchanged when it is not a date. */
export function localTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** `1 h 05 min`, `12 min`, `0 min` (whole minutes: the totals are refreshed once a minute). */
export function formatMinutes(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
