// Test-only bridge for the renderer e2e test: serves the BUILT renderer (out/renderer) on 127.0.0.1 and
// injects a small script that defines `window.elevate` over a WebSocket to this process, where a real
// ElevateCore (the same dispatcher the Electron ipcMain handlers call) answers. Nothing here ships.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ElevateCore } from '../../electron/app/core';

/** Runs in the page before the app's module script (classic script, same origin: allowed by the CSP). */
export const BRIDGE_CLIENT_JS = `(() => {
  const ws = new WebSocket('ws://' + location.host + '/__bridge');
  let seq = 0;
  const pending = new Map();
  const queue = [];
  const subs = { 'state:changed': new Set(), 'ui:show': new Set() };
  ws.onopen = () => {
    ws.send(JSON.stringify({ hello: location.href }));
    for (const m of queue.splice(0)) ws.send(m);
  };
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.id) {
      const done = pending.get(m.id);
      pending.delete(m.id);
      if (done) done(m.result);
    } else if (m.event && subs[m.event]) {
      for (const cb of subs[m.event]) cb(m.payload);
    }
  };
  const send = (m) => (ws.readyState === 1 ? ws.send(m) : queue.push(m));
  const on = (name) => (cb) => {
    subs[name].add(cb);
    return () => subs[name].delete(cb);
  };
  window.elevate = Object.freeze({
    channels: Object.freeze([]),
    invoke(channel, payload) {
      return new Promise((resolve) => {
        const id = ++seq;
        pending.set(id, resolve);
        send(JSON.stringify({ id, channel, payload }));
      });
    },
    onState: on('state:changed'),
    onShow: on('ui:show'),
  });
})();
`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface BridgeServer {
  url: string;
  /** Every request the page made, with the core's answer. */
  calls: { channel: unknown; payload: unknown; result: { ok: boolean } }[];
  /** Ask the window to show a section (what main does for tray items). */
  show(section: string): void;
  close(): Promise<void>;
}

export async function startBridgeServer(core: ElevateCore, rendererDir: string): Promise<BridgeServer> {
  const root = normalize(rendererDir);
  const calls: BridgeServer['calls'] = [];
  const sockets = new Set<WebSocket>();

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (pathname === '/__bridge.js') {
        res.writeHead(200, { 'content-type': TYPES['.js'] as string });
        res.end(BRIDGE_CLIENT_JS);
        return;
      }
      const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403).end();
        return;
      }
      try {
        let body: Buffer | string = await readFile(file);
        if (file.endsWith('index.html')) {
          body = body
            .toString('utf8')
            .replace(
              '<script type="module"',
              '<script src="./__bridge.js"></script>\n    <script type="module"',
            );
        }
        res.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (req.url !== '/__bridge') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });
  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    let senderUrl = '';
    // a connected page is an open window: main keeps the workstation status fresh while one is shown
    const release = core.watchWorkstation();
    ws.on('close', () => {
      sockets.delete(ws);
      release();
    });
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as {
        hello?: string;
        id?: number;
        channel?: unknown;
        payload?: unknown;
      };
      if (typeof msg.hello === 'string') {
        senderUrl = msg.hello;
        return;
      }
      void core.handle(msg.channel, msg.payload, { url: senderUrl }).then((result) => {
        calls.push({ channel: msg.channel, payload: msg.payload, result });
        ws.send(JSON.stringify({ id: msg.id, result }));
      });
    });
  });
  const unsubscribe = core.subscribe((state) => {
    const text = JSON.stringify({ event: 'state:changed', payload: state });
    for (const ws of sockets) ws.send(text);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    show(section) {
      const text = JSON.stringify({ event: 'ui:show', payload: { section } });
      for (const ws of sockets) ws.send(text);
    },
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
