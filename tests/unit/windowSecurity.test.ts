// Window glue security: the dev-server URL is honoured only in development (a packaged app must not load and
// trust whatever ELECTRON_RENDERER_URL points at), and the IPC sender check main uses with it rejects other
// documents, other file:// paths, traversal and look-alike URLs.
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({
  app: { isPackaged: true },
  BrowserWindow: class {},
  nativeTheme: { shouldUseDarkColors: false },
  session: {},
  shell: { openExternal: () => Promise.resolve() },
}));

const { devServerUrl, rendererUrl } = await import('../../electron/main/window');
const { isTrustedRendererUrl } = await import('../../shared/ipc');

describe('devServerUrl', () => {
  it('packaged: ELECTRON_RENDERER_URL is ignored, so the sender check falls back to the built file only', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' };
    vi.stubEnv('ELECTRON_RENDERER_URL', env.ELECTRON_RENDERER_URL);
    try {
      expect(devServerUrl()).toBeNull(); // process.env and app.isPackaged (mocked true) are the defaults
    } finally {
      vi.unstubAllEnvs();
    }
    expect(devServerUrl(env, true)).toBeNull();
    expect(isTrustedRendererUrl('http://localhost:5173/', rendererUrl(), devServerUrl(env))).toBe(false);
  });

  it('development: only a plain localhost/127.0.0.1 http origin with a port', () => {
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173/' }, false)).toBe(
      'http://localhost:5173/',
    );
    for (const bad of [
      'http://evil.example:5173/',
      'https://localhost:5173/',
      'http://localhost:5173/x',
      'http://localhost.evil.example:5173/',
      'http://127.0.0.1.nip.io:80/',
      'file:///tmp/index.html',
    ])
      expect(devServerUrl({ ELECTRON_RENDERER_URL: bad }, false), bad).toBeNull();
  });
});

describe('IPC sender validation (isTrustedRendererUrl with the window’s own URL)', () => {
  const own = 'file:///opt/Elevate/resources/app.asar/out/renderer/index.html';
  it('accepts the built document, with or without query and hash', () => {
    expect(isTrustedRendererUrl(own, own, null)).toBe(true);
    expect(isTrustedRendererUrl(`${own}?x=1#plan`, own, null)).toBe(true);
  });
  it('rejects other file:// documents, traversal tricks, other hosts and schemes', () => {
    for (const sender of [
      'file:///opt/Elevate/resources/app.asar/out/renderer/index.html/../evil.html',
      'file:///opt/Elevate/resources/app.asar/out/renderer/',
      'file:///opt/Elevate/resources/app.asar/out/renderer/index.html/..',
      'file:///opt/Elevate/resources/app.asar/out/renderer/%69ndex.html',
      'file:///opt/Elevate/resources/app.asar/out/renderer/index.html%2f..%2fevil.html',
      'file:///tmp/index.html',
      'file://evilhost/opt/Elevate/resources/app.asar/out/renderer/index.html',
      'http://localhost:5173/',
      'https://opt/Elevate/resources/app.asar/out/renderer/index.html',
      'data:text/html,<script>1</script>',
      'about:blank',
      '',
    ])
      expect(isTrustedRendererUrl(sender, own, null), sender).toBe(false);
  });
});
