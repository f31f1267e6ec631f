// Colour for terminals, never for pipes: on when the stream is a TTY (and TERM is not "dumb"), off with
// NO_COLOR (https://no-color.org), forced with FORCE_COLOR (not "0"). No dependency.

type Stream = { isTTY?: boolean };

export function colorEnabled(
  stream: Stream = process.stdout,
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export interface Palette {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

const ON: Palette = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
};
const id = (s: string) => s;
const OFF: Palette = { bold: id, dim: id, red: id, green: id, yellow: id, cyan: id };

/** The palette for a stream (stdout by default): identity functions when colour is off. */
export function palette(stream: Stream = process.stdout, env = process.env): Palette {
  return colorEnabled(stream, env) ? ON : OFF;
}

/** Remove SGR sequences (for width computations). */
export function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}
