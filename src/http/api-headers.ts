import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

const secure = helmet({
  // JSON is never a page: nothing may load from it, frame it or sniff it into something else.
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  // The web chat API is called from other sites that embed the widget (CORS decides who may read it).
  crossOriginResourcePolicy: { policy: 'cross-origin' },
});

/**
 * Headers of every /api response (the Express routes and the message lane): helmet's (nosniff and
 * the rest), and no-store, since these responses carry petitions and personal data that no browser
 * or proxy cache may keep.
 */
export function apiHeaders(req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void {
  res.setHeader('Cache-Control', 'no-store');
  secure(req, res, next);
}
