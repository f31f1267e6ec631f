// Tray icons drawn from code (no binary assets to keep in sync): a small vector description per state,
// rasterised with 4×4 supersampling into straight RGBA. The glue encodes them as PNG (services/png.ts).
//   none      ring only                      (no tiers / off)
//   readonly  ring + one chevron             (safe default)
//   elevated  filled orange disc + double chevron cut out
//   expiring  filled red disc with a faded quarter (time running out) + double chevron
//   error     warning triangle with "!"
// Themes: 'template' = black glyph with alpha (macOS template image, the OS tints it), 'light' = for a
// light menu bar (dark glyph), 'dark' = for a dark menu bar (light glyph). The coloured states keep their
// colour everywhere (also on macOS: elevation must be unmistakable), so they are never template images.
import type { TrayIconName } from './trayModel';

export type IconTheme = 'template' | 'light' | 'dark';
export type Rgba = readonly [number, number, number, number];

export interface Bitmap {
  width: number;
  height: number;
  /** Straight (non-premultiplied) RGBA, row-major. */
  rgba: Uint8Array;
}

type Shape = (x: number, y: number) => boolean;
type Layer = { paint: Rgba; shape: Shape } | { erase: Shape };

const disc =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

const ring =
  (cx: number, cy: number, r: number, w: number): Shape =>
  (x, y) => {
    const d = Math.hypot(x - cx, y - cy);
    return d <= r + w / 2 && d >= r - w / 2;
  };

/** A thick line segment with round caps. */
const capsule =
  (ax: number, ay: number, bx: number, by: number, w: number): Shape =>
  (x, y) => {
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - (ax + t * dx), y - (ay + t * dy)) <= w / 2;
  };

const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((s) => s(x, y));

/** Pie slice between angles (radians, 0 = 12 o'clock, clockwise). */
const wedge =
  (cx: number, cy: number, r: number, from: number, to: number): Shape =>
  (x, y) => {
    if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return false;
    let a = Math.atan2(x - cx, -(y - cy));
    if (a < 0) a += 2 * Math.PI;
    return a >= from && a <= to;
  };

const polygon =
  (pts: ReadonlyArray<readonly [number, number]>): Shape =>
  (x, y) => {
    let inside = false;
    for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
      const [xi, yi] = pts[i] as readonly [number, number];
      const [xj, yj] = pts[j] as readonly [number, number];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };

const chevron = (cy: number, w: number, half = 0.2, rise = 0.19): Shape =>
  union(
    capsule(0.5 - half, cy + rise / 2, 0.5, cy - rise / 2, w),
    capsule(0.5, cy - rise / 2, 0.5 + half, cy + rise / 2, w),
  );

export const ICON_COLORS = {
  elevated: [234, 88, 12, 255] as Rgba, // orange-600
  expiring: [220, 38, 38, 255] as Rgba, // red-600
  warning: [245, 158, 11, 255] as Rgba, // amber-500
  white: [255, 255, 255, 255] as Rgba,
  ink: [31, 41, 55, 255] as Rgba, // gray-800, glyph on light bars
  paper: [243, 244, 246, 255] as Rgba, // gray-100, glyph on dark bars
  black: [0, 0, 0, 255] as Rgba, // template
};

function mono(theme: IconTheme): Rgba {
  return theme === 'template' ? ICON_COLORS.black : theme === 'light' ? ICON_COLORS.ink : ICON_COLORS.paper;
}

export function iconLayers(name: TrayIconName, theme: IconTheme): Layer[] {
  const fg = mono(theme);
  switch (name) {
    case 'none':
      return [
        { paint: fg, shape: ring(0.5, 0.5, 0.38, 0.1) },
        { paint: fg, shape: capsule(0.36, 0.5, 0.64, 0.5, 0.1) },
      ];
    case 'readonly':
      return [
        { paint: fg, shape: ring(0.5, 0.5, 0.38, 0.1) },
        { paint: fg, shape: chevron(0.52, 0.13) },
      ];
    case 'elevated':
      return [
        { paint: ICON_COLORS.elevated, shape: disc(0.5, 0.5, 0.46) },
        { erase: union(chevron(0.4, 0.12, 0.19, 0.17), chevron(0.63, 0.12, 0.19, 0.17)) },
      ];
    case 'expiring':
      return [
        { paint: ICON_COLORS.expiring, shape: disc(0.5, 0.5, 0.46) },
        // the part of the timer already used up: a faded quarter
        { paint: [220, 38, 38, 90], shape: wedge(0.5, 0.5, 0.46, 0, Math.PI / 2) },
        { erase: union(chevron(0.4, 0.12, 0.19, 0.17), chevron(0.63, 0.12, 0.19, 0.17)) },
      ];
    case 'error': {
      const tri = polygon([
        [0.5, 0.05],
        [0.97, 0.92],
        [0.03, 0.92],
      ]);
      const mark = union(capsule(0.5, 0.36, 0.5, 0.6, 0.12), disc(0.5, 0.77, 0.07));
      return theme === 'template'
        ? [{ paint: fg, shape: tri }, { erase: mark }]
        : [
            { paint: ICON_COLORS.warning, shape: tri },
            { paint: ICON_COLORS.ink, shape: mark },
          ];
    }
  }
}

/** Whether this icon should be a macOS template image (monochrome, tinted by the OS). */
export function isTemplateIcon(name: TrayIconName): boolean {
  return name === 'none' || name === 'readonly' || name === 'error';
}

export function drawTrayIcon(name: TrayIconName, theme: IconTheme, size: number): Bitmap {
  const layers = iconLayers(name, theme);
  const rgba = new Uint8Array(size * size * 4);
  const N = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < N; sy++) {
        for (let sx = 0; sx < N; sx++) {
          const x = (px + (sx + 0.5) / N) / size;
          const y = (py + (sy + 0.5) / N) / size;
          let c: Rgba | null = null;
          for (const l of layers) {
            if ('paint' in l) {
              if (l.shape(x, y)) c = l.paint;
            } else if (l.erase(x, y)) c = null;
          }
          if (c) {
            const ca = c[3] / 255;
            r += c[0] * ca;
            g += c[1] * ca;
            b += c[2] * ca;
            a += ca;
          }
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        rgba[o] = Math.round(r / a);
        rgba[o + 1] = Math.round(g / a);
        rgba[o + 2] = Math.round(b / a);
      }
      rgba[o + 3] = Math.round((a / (N * N)) * 255);
    }
  }
  return { width: size, height: size, rgba };
}
