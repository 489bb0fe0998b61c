import express, { type Express } from 'express';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { webchatRoutes, type WebchatDeps } from './routes.js';
import { WebchatSockets } from './socket.js';
import type { HubEventBus } from '../../src/events.js';
import type { Logger } from '../../src/logger.js';
import type { Db } from '../../src/db/client.js';

const PUBLIC = fileURLToPath(new URL('./public/', import.meta.url));

// The demo page and the widget carry no inline script or style, so the policy can be strict.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/** The web chat channel: its API under /api/webchat, its socket, the widget and the demo page. */
export function mountWebchat(app: Express, deps: WebchatDeps & { db: Db; events: HubEventBus; logger: Logger }) {
  app.use('/api/webchat', webchatRoutes(deps));
  app.get('/widget.js', (_req, res) => {
    // Embedded on other sites: anyone may load the script; it talks back to this hub only.
    res.set('Cross-Origin-Resource-Policy', 'cross-origin');
    res.set('Cache-Control', 'public, max-age=300');
    // Host pages are often GBK-encoded; the charset keeps the widget's Chinese text intact there.
    res.type('text/javascript; charset=utf-8').sendFile('widget.js', { root: PUBLIC });
  });
  app.use(
    '/',
    (_req, res, next) => {
      res.set('Content-Security-Policy', CSP);
      res.set('X-Content-Type-Options', 'nosniff');
      res.set('Referrer-Policy', 'no-referrer');
      next();
    },
    express.static(PUBLIC, { index: 'index.html', maxAge: '5m' }),
  );
  const sockets = new WebchatSockets(deps.db, deps.events, deps.logger);
  return {
    sockets,
    attach: (server: Server) => sockets.attach(server),
  };
}
