// Tray glue: draws buildTrayModel(state, now) — icon, macOS title countdown, tooltip, menu. The menu is
// rebuilt whenever the model's items change (Linux AppIndicator only picks up a new Menu); the title is
// refreshed every second while elevated. The Tray object is kept referenced here (no GC).
import {
  Menu,
  nativeImage,
  nativeTheme,
  Tray,
  type MenuItemConstructorOptions,
  type NativeImage,
} from 'electron';
import type { AppState } from '../../shared/state';
import { buildTrayModel, type TrayIconName, type TrayItem, type TrayModel } from '../../shared/trayModel';
import { drawTrayIcon, isTemplateIcon, type IconTheme } from '../../shared/trayIcons';
import { encodePng } from '../node/png';

const cache = new Map<string, NativeImage>();

export function trayIconTheme(name: TrayIconName, platform: NodeJS.Platform = process.platform): IconTheme {
  if (platform === 'darwin' && isTemplateIcon(name)) return 'template';
  return nativeTheme.shouldUseDarkColors || platform === 'linux' ? 'dark' : 'light';
}

export function trayImage(name: TrayIconName, platform: NodeJS.Platform = process.platform): NativeImage {
  const theme = trayIconTheme(name, platform);
  const key = `${name}:${theme}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const img = nativeImage.createEmpty();
  // 16 pt at 1x and 2x (macOS / Windows); Linux panels scale one larger image.
  const reps =
    platform === 'linux'
      ? [[32, 1]]
      : [
          [16, 1],
          [32, 2],
        ];
  for (const [size, scaleFactor] of reps as [number, number][]) {
    const bm = drawTrayIcon(name, theme, size);
    img.addRepresentation({
      scaleFactor,
      width: size,
      height: size,
      buffer: encodePng(bm.width, bm.height, bm.rgba),
    });
  }
  if (theme === 'template') img.setTemplateImage(true);
  cache.set(key, img);
  return img;
}

export function toMenuTemplate(
  items: TrayItem[],
  onClick: (id: string) => void,
): MenuItemConstructorOptions[] {
  return items.map((i): MenuItemConstructorOptions => {
    if (i.type === 'separator') return { type: 'separator', id: i.id };
    const base: MenuItemConstructorOptions = { id: i.id, label: i.label, enabled: i.enabled };
    if (i.submenu) return { ...base, type: 'submenu', submenu: toMenuTemplate(i.submenu, onClick) };
    if (i.type === 'radio' || i.type === 'checkbox')
      return { ...base, type: i.type, checked: Boolean(i.checked), click: () => onClick(i.id) };
    return { ...base, click: () => onClick(i.id) };
  });
}

export class TrayController {
  readonly tray: Tray;
  model: TrayModel | null = null;
  private itemsKey = '';
  private ticker: NodeJS.Timeout | null = null;
  private state: AppState | null = null;

  constructor(
    private readonly onItem: (id: string) => void,
    private readonly now: () => number = Date.now,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.tray = new Tray(trayImage('none', platform));
    this.tray.setToolTip('Elevate');
    if (platform !== 'darwin') this.tray.on('click', () => this.onItem('open'));
    nativeTheme.on('updated', () => {
      cache.clear();
      if (this.state) this.render(this.state, true);
    });
  }

  render(state: AppState, force = false): TrayModel {
    this.state = state;
    const prev = this.model;
    const m = buildTrayModel(state, this.now());
    if (force || prev?.icon !== m.icon) this.tray.setImage(trayImage(m.icon, this.platform));
    if (force || prev?.tooltip !== m.tooltip) this.tray.setToolTip(m.tooltip);
    if (this.platform === 'darwin' && (force || prev?.title !== m.title))
      this.tray.setTitle(m.title, { fontType: 'monospacedDigit' });
    const key = JSON.stringify(m.items);
    if (force || key !== this.itemsKey) {
      this.itemsKey = key;
      this.tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(m.items, this.onItem)));
    }
    this.model = m;
    // A 1 s ticker only while elevated (countdown); nothing runs otherwise.
    if (state.elevation && !this.ticker) {
      this.ticker = setInterval(() => this.state && this.render(this.state), 1000);
    } else if (!state.elevation && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = null;
    }
    return m;
  }

  destroy(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    this.tray.destroy();
  }
}
