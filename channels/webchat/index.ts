import express, { type Express } from 'express';
import type { Server } from 'node:http';
import { messagePost, webchatRoutes, type WebchatDeps } from './routes.js';
import { messageLane, type Middleware } from './message-lane.js';
import { WebchatSockets, type AllowedOrigins } from './socket.js';
import { OfficerLabels } from './officer-from.js';
import type { Channel, ChannelHub } from '../../src/channels/contract.js';
import { projectPath } from '../../src/util/project-root.js';

const PUBLIC = projectPath('channels', 'webchat', 'public');

// The demo page and the widget carry no inline script or style and write no HTML (Trusted Types
// enforce that), so the policy can be strict: nothing but this hub's own files and its push socket.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // blob: for the preview of a photo being sent (an object URL the widget makes of the chosen file).
  "img-src 'self' data: blob:",
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');
const HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/** 'self' covers the socket in current browsers; the explicit ws(s) origin is for older ones. */
function cspFor(host: string | undefined): string {
  const socket = host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return `${CSP}; connect-src 'self'${socket}`;
}

export type WebchatOptions = Omit<WebchatDeps, 'hub'> & { before: Middleware[]; allowedOrigins?: AllowedOrigins };

/**
 * The web chat channel: its API under /api/webchat, its socket, the widget and the demo page. Its
 * petitioners fetch their messages (the HTTP answer, the history, the socket), so it has no deliverer.
 * @param before the middleware the app runs before these routes (CORS, the JSON body parser), which
 * the message lane runs too.
 */
export function webchatChannel(app: Express, options: WebchatOptions) {
  let connected: ChannelHub | null = null;
  const hub = () => {
    if (!connected) throw new Error('the web chat channel is not connected');
    return connected;
  };
  const deps: WebchatDeps = { ...options, hub };
  const labels = deps.departmentsAt && new OfficerLabels(deps.departmentsAt);
  const post = messagePost(deps);
  app.use('/api/webchat', webchatRoutes({ ...deps, labels, post }));
  app.get('/widget.js', (_req, res) => {
    // Embedded on other sites: anyone may load the script; it talks back to this hub only.
    res.set('Cross-Origin-Resource-Policy', 'cross-origin');
    res.set('Cache-Control', 'public, max-age=300');
    res.set('X-Content-Type-Options', 'nosniff');
    // Host pages are often GBK-encoded; the charset keeps the widget's Chinese text intact there.
    res.type('text/javascript; charset=utf-8').sendFile('widget.js', { root: PUBLIC });
  });
  app.use(
    '/',
    (req, res, next) => {
      res.set('Content-Security-Policy', cspFor(req.get('host')));
      res.set('X-Content-Type-Options', 'nosniff');
      res.set('Referrer-Policy', 'no-referrer');
      next();
    },
    express.static(PUBLIC, { index: 'index.html', maxAge: '5m' }),
  );
  const sockets = new WebchatSockets(deps.logger, labels, options.allowedOrigins);
  const channel: Channel = {
    name: 'webchat',
    // The widget sends photos (POST …/attachments); voice, video and files have no way in yet.
    attachments: 'photos',
    connect(h) {
      connected = h;
      sockets.connect(h);
    },
    stop: async () => sockets.close(),
  };
  return {
    channel,
    sockets,
    attach: (server: Server) => sockets.attach(server),
    lane: messageLane({ before: options.before, post, logger: deps.logger }),
  };
}
