import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorResponse, sendJson } from '../../src/http/error-handler.js';
import type { Logger } from '../../src/logger.js';
import type { MessagePost, SessionRequest } from './routes.js';

/** Connect-style middleware, as cors, the JSON body parser and the rate limiter are. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => unknown;

/** Takes the request and answers it (true), or leaves it to Express (false). */
export type Lane = (req: IncomingMessage, res: ServerResponse) => boolean;

// The path as the widget and docs/api.md (web chat API) write it. Other spellings (a trailing slash,
// escaped characters, another case) are left to the Express route, which matches them as Express does.
const PATH = /^\/api\/webchat\/sessions\/([A-Za-z0-9_-]{1,100})\/messages(?:\?|$)/;

/**
 * A petitioner's message — nearly every request a busy hub gets — answered straight from Node's
 * HTTP server: the same middleware instances (CORS, JSON body, per-session rate limit), handler and
 * error responses as the Express route, without Express's router and response helpers, which were
 * about a quarter of the hub thread's CPU per message (docs/benchmarks.md).
 */
export function messageLane(deps: { before: Middleware[]; post: MessagePost; logger: Logger }): Lane {
  // express-rate-limit is typed for Express's request, but with our own key it reads only Node's
  // request and response (and req.ip for its debug log, undefined here); tests cover its 429.
  const chain: Middleware[] = [...deps.before, deps.post.authenticate, deps.post.limit as unknown as Middleware];
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const m = PATH.exec(req.url ?? '');
    if (!m) return false;
    const request = req as SessionRequest;
    request.params = { sessionId: m[1] };
    const fail = (err: unknown) => {
      // As Express's final handler does when an answer was already under way.
      if (res.headersSent) return void req.socket.destroy();
      const { status, body } = errorResponse(err, deps.logger, { method: req.method, path: (req.url ?? '').split('?')[0] });
      sendJson(res, status, body);
    };
    let step = 0;
    const next = (err?: unknown): void => {
      if (err) return fail(err);
      const middleware = chain[step++];
      if (!middleware) {
        deps.post.handle(request).then((body) => sendJson(res, 200, body), fail);
        return;
      }
      try {
        middleware(req, res, next);
      } catch (e) {
        fail(e);
      }
    };
    next();
    return true;
  };
}
