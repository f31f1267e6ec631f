// Human output helpers: local times with time left, and tables with headers. JSON output keeps ISO 8601.
import { stripAnsi } from './color';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** 14:32 in local time (with the date when it is not today). */
export function localClock(iso: string | Date, now: Date = new Date()): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return String(iso);
  const hm = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  const sameDay =
    d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? hm : `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${hm}`;
}

/** "12 min left", "1 h 5 min left", "ended 3 min ago". */
export function timeLeft(iso: string | Date, now: Date = new Date()): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  const ms = d.getTime() - now.getTime();
  const abs = Math.abs(ms);
  const mins = Math.ceil(abs / 60_000);
  const text =
    abs < 60_000
      ? `${Math.max(0, Math.round(abs / 1000))} s`
      : mins >= 60
        ? `${Math.floor(mins / 60)} h${mins % 60 ? ` ${mins % 60} min` : ''}`
        : `${mins} min`;
  return ms >= 0 ? `${text} left` : `ended ${text} ago`;
}

/** "until 14:32 (12 min left)". */
export function until(iso: string | Date, now: Date = new Date()): string {
  return `until ${localClock(iso, now)} (${timeLeft(iso, now)})`;
}

/** Local "YYYY-MM-DD HH:MM:SS". */
export function localDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/**
 * A table: a header row, then rows, columns separated by two spaces, the last column not padded. Cells may
 * hold colour (widths ignore it). `header` is applied to the header line (e.g. bold).
 */
export function table(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  opts: { header?: (s: string) => string } = {},
): string {
  const width = headers.map((h, i) =>
    Math.max(stripAnsi(h).length, ...rows.map((r) => stripAnsi(r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) =>
        i === cells.length - 1 ? c : c + ' '.repeat(Math.max(0, (width[i] ?? 0) - stripAnsi(c).length)),
      )
      .join('  ')
      .trimEnd();
  const head = line(headers);
  return [opts.header ? opts.header(head) : head, ...rows.map(line)].join('\n');
}
