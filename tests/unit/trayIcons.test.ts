// The code-drawn tray icons: one distinct glyph per state, template ones pure black + alpha (macOS tints
// them), coloured ones keep their colour, legible at 16 px. Writes a preview sheet for review
// (docs/screenshots/tray-icons.png: rows template / light bar / dark bar at 64 px, then 16/22/32 px).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawTrayIcon, ICON_COLORS, isTemplateIcon, type IconTheme } from '../../shared/trayIcons';
import type { TrayIconName } from '../../shared/trayModel';
import { encodePng } from '../../electron/node/png';

const NAMES: TrayIconName[] = ['none', 'readonly', 'elevated', 'expiring', 'error'];
const coverage = (rgba: Uint8Array) => {
  let a = 0;
  for (let i = 3; i < rgba.length; i += 4) a += (rgba[i] as number) / 255;
  return a / (rgba.length / 4);
};

describe('tray icons', () => {
  it('every state has a different glyph at 16 px, in every theme', () => {
    for (const theme of ['template', 'light', 'dark'] as IconTheme[]) {
      const keys = NAMES.map((n) => Buffer.from(drawTrayIcon(n, theme, 16).rgba).toString('base64'));
      expect(new Set(keys).size).toBe(NAMES.length);
    }
  });

  it('template icons are black with alpha only; coloured states keep their colour', () => {
    for (const n of NAMES.filter(isTemplateIcon)) {
      const { rgba } = drawTrayIcon(n, 'template', 32);
      for (let i = 0; i < rgba.length; i += 4)
        if ((rgba[i + 3] as number) > 0) expect([rgba[i], rgba[i + 1], rgba[i + 2]]).toEqual([0, 0, 0]);
    }
    expect(isTemplateIcon('elevated')).toBe(false);
    expect(isTemplateIcon('expiring')).toBe(false);
    const el = drawTrayIcon('elevated', 'template', 32).rgba;
    const centreTop = (8 * 32 + 16) * 4; // inside the disc above the chevrons
    expect([...el.subarray(centreTop, centreTop + 3)]).toEqual([...ICON_COLORS.elevated.slice(0, 3)]);
  });

  it('glyphs are neither empty nor solid blocks (legible), and dark/light bars get contrasting ink', () => {
    for (const n of NAMES) {
      const c = coverage(drawTrayIcon(n, 'dark', 16).rgba);
      expect(c, n).toBeGreaterThan(0.12);
      expect(c, n).toBeLessThan(0.8);
    }
    const ink = (t: IconTheme) => {
      const { rgba } = drawTrayIcon('readonly', t, 32);
      const i = [...Array(rgba.length / 4).keys()].find((k) => (rgba[k * 4 + 3] as number) === 255) as number;
      return (rgba[i * 4] as number) + (rgba[i * 4 + 1] as number) + (rgba[i * 4 + 2] as number);
    };
    expect(ink('dark')).toBeGreaterThan(600); // light glyph on a dark bar
    expect(ink('light')).toBeLessThan(200); // dark glyph on a light bar
  });

  it('writes a review sheet (PNG) of all icons', () => {
    const S = 64;
    const pad = 16;
    const rows: { theme: IconTheme; size: number; bg: number[] }[] = [
      { theme: 'template', size: S, bg: [255, 255, 255] },
      { theme: 'light', size: S, bg: [236, 236, 236] },
      { theme: 'dark', size: S, bg: [40, 40, 40] },
      { theme: 'dark', size: 16, bg: [40, 40, 40] },
      { theme: 'light', size: 22, bg: [236, 236, 236] },
      { theme: 'dark', size: 32, bg: [40, 40, 40] },
    ];
    const W = NAMES.length * (S + pad) + pad;
    const H = rows.length * (S + pad) + pad;
    const out = new Uint8Array(W * H * 4).fill(255);
    rows.forEach((row, r) =>
      NAMES.forEach((n, c) => {
        const bm = drawTrayIcon(n, row.theme, row.size);
        const ox = pad + c * (S + pad);
        const oy = pad + r * (S + pad);
        for (let y = 0; y < S; y++)
          for (let x = 0; x < S; x++) {
            const o = ((oy + y) * W + ox + x) * 4;
            out.set([...row.bg, 255], o);
            if (x < bm.width && y < bm.height) {
              const i = (y * bm.width + x) * 4;
              const a = (bm.rgba[i + 3] as number) / 255;
              for (let k = 0; k < 3; k++)
                out[o + k] = Math.round((bm.rgba[i + k] as number) * a + (row.bg[k] as number) * (1 - a));
            }
          }
      }),
    );
    const png = encodePng(W, H, out);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const dir = resolve(__dirname, '..', '..', 'docs', 'screenshots');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'tray-icons.png'), png);
  });
});
