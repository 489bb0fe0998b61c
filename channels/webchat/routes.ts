import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type RequestHandler, type Router } from 'express';
import { rateLimit, type RateLimitRequestHandler, type Store } from 'express-rate-limit';
import { z } from 'zod';
import type { Locale } from '../../src/domain.js';
import { errorBody, HubError } from '../../src/errors.js';
import { sendJson } from '../../src/http/error-handler.js';
import { checkText, parseBody } from '../../src/http/validate.js';
import type { ChannelHub } from '../../src/channels/contract.js';
import type { MessageView } from '../../src/conversation/messages.js';
import type { Logger } from '../../src/logger.js';
import { oncePer } from '../../src/util/once-per.js';
import { bearer, hashToken, newToken, tokenMatches } from './session-auth.js';
import type { DepartmentsAt, OfficerLabels } from './officer-from.js';

export interface WebchatDeps {
  /** The hub, once the channel is connected. */
  hub: () => ChannelHub;
  logger: Logger;
  messagesPerMinute: number;
  /** New sessions per client address per minute. */
  sessionsPerMinute: number;
  /** Department names for officer messages' optional `from` (see officer-from.ts); none without it. */
  departmentsAt?: DepartmentsAt;
  /**
   * A store shared by every instance, per limiter name (REDIS_URL); each instance counts alone
   * without it. A store that fails lets requests through: a petitioner is never refused for it.
   */
  rateLimitStore?: (name: string) => Store;
}

/** While a shared store is down every request fails over to it; one line a minute says so. */
function limiterLog(logger: Logger, limiter: string): { error(err: unknown): void; warn(err: unknown): void } {
  return {
    error: oncePer(60_000, (err: unknown) => logger.warn({ err, limiter }, 'rate-limit store failed; requests are let through until it is back')),
    warn: (err) => logger.warn({ err, limiter }, 'rate limiter misconfigured'),
  };
}

/** express-rate-limit's options for the web chat's limiters: per minute, standard headers, JSON 429. */
function limiter(deps: WebchatDeps, name: string, options: { limit: number; keyGenerator?: (req: IncomingMessage) => string }): RateLimitRequestHandler {
  return rateLimit({
    windowMs: 60_000,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: tooMany,
    store: deps.rateLimitStore?.(name),
    passOnStoreError: true,
    logger: limiterLog(deps.logger, name),
    ...options,
  });
}

const startSchema = z
  .object({
    locale: z.enum(['zh-CN', 'en']).optional(),
    /**
     * A random key the widget keeps in the browser (data-remember): the same key, the same petitioner,
     * greeted back with their cases in a new conversation. Only its hash is stored.
     */
    visitor: z.string().regex(/^[A-Za-z0-9_-]{22,128}$/, 'visitor must be 22 to 128 letters, digits, - or _').optional(),
  })
  .strict();
const messageSchema = z.object({
  // Checked one by one below, for the precise error codes of docs/api.md (web chat API: send a message).
  text: z.unknown().optional(),
  clientMessageId: z.unknown().optional(),
});

function clientMessageId(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new HubError('missing_client_message_id', 'clientMessageId is required: a unique id per message, reused on retry');
  }
  if (value.length > 200) throw new HubError('bad_request', 'clientMessageId is longer than 200 characters');
  return value;
}

/** X-File-Name is percent-encoded (headers are Latin-1); a name that does not decode is left out. */
function fileName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  try {
    return decodeURIComponent(header).slice(0, 200) || undefined;
  } catch {
    return undefined;
  }
}

function localeFrom(req: Request, asked?: Locale): Locale {
  if (asked) return asked;
  const best = req.acceptsLanguages('zh-CN', 'zh', 'en');
  return best === 'en' ? 'en' : 'zh-CN';
}

const tooMany = (_req: IncomingMessage, res: ServerResponse) =>
  sendJson(res, 429, errorBody('rate_limited', 'too many requests; please wait a moment and try again'));

/**
 * A request that names a session (`/sessions/:sessionId/...`): Express's params, or the message
 * lane's; `conversationId` once its token was checked.
 */
export type SessionRequest = IncomingMessage & { params: { sessionId?: string }; body?: unknown; conversationId?: string; senderId?: string };

type Next = (err?: unknown) => void;

/**
 * Posting a petitioner's message, as both the Express route and the message lane (message-lane.ts)
 * serve it: the session's token first, then the per-session rate limit, then the handler. In that
 * order, so that someone who knows only a session id cannot use up its petitioner's limit.
 */
export interface MessagePost {
  authenticate(req: IncomingMessage, res: ServerResponse, next: Next): void;
  limit: RateLimitRequestHandler;
  handle(req: SessionRequest): Promise<{ messages: MessageView[] }>;
}

/** Unauthenticated requests (wrong token, unknown session) per client address per minute. */
const FAILURES_PER_MINUTE = 20;

/**
 * The client's address as Express gives it with `trust proxy` = loopback: the socket's, or, when
 * that is a proxy on this machine, the last address the proxy added to X-Forwarded-For.
 */
export function clientAddress(req: IncomingMessage): string {
  const socket = req.socket.remoteAddress ?? '';
  const loopback = socket === '::1' || socket.startsWith('127.') || socket.startsWith('::ffff:127.');
  const forwarded = loopback ? String(req.headers['x-forwarded-for'] ?? '').split(',').map((a) => a.trim()).filter(Boolean).at(-1) : undefined;
  return forwarded ?? socket;
}

/** Checks the session's token; each failure counts against the client's address, which is refused for a while past the limit. */
function sessionCheck(deps: WebchatDeps): MessagePost['authenticate'] {
  const failures = rateLimit({
    windowMs: 60_000,
    limit: FAILURES_PER_MINUTE,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: tooMany,
    store: deps.rateLimitStore?.('webchat-auth'),
    passOnStoreError: true,
    logger: limiterLog(deps.logger, 'webchat-auth'),
    keyGenerator: (req) => clientAddress(req),
  });
  return (req, res, next) => {
    const request = req as SessionRequest;
    authorised(deps.hub(), request).then(
      (session) => {
        request.conversationId = session.conversationId;
        request.senderId = session.senderId;
        next();
      },
      (err: unknown) => void failures(req as Request, res as Parameters<typeof failures>[1], () => next(err)),
    );
  };
}

export function messagePost(deps: WebchatDeps): MessagePost {
  return {
    authenticate: sessionCheck(deps),
    // Per session, so one noisy browser cannot starve the others behind the same NAT.
    limit: limiter(deps, 'messages', {
      limit: deps.messagesPerMinute,
      keyGenerator: (req) => String((req as SessionRequest).params.sessionId),
    }),
    async handle(req) {
      const session = await sessionOf(deps.hub(), req);
      const body = parseBody(req, messageSchema);
      const text = checkText(body.text);
      const message = { ...session, messageId: clientMessageId(body.clientMessageId), text, address: clientAddress(req) };
      return { messages: (await deps.hub().receive(message, 'inline')).replies };
    },
  };
}

interface Session {
  conversationId: string;
  senderId: string;
}

/** The session a request names, once its token was checked (by the middleware, or here). */
async function sessionOf(hub: ChannelHub, req: SessionRequest): Promise<Session> {
  if (req.conversationId && req.senderId) return { conversationId: req.conversationId, senderId: req.senderId };
  return authorised(hub, req);
}

async function authorised(hub: ChannelHub, req: SessionRequest): Promise<Session> {
  const id = String(req.params.sessionId);
  const session = await hub.credential(id);
  if (!session) throw new HubError('session_not_found', 'no such session');
  if (!tokenMatches(bearer(req.headers.authorization), session.hash)) {
    throw new HubError('unauthorized', 'missing or wrong session token');
  }
  return { conversationId: id, senderId: session.senderId };
}

/** Web chat API v1 (docs/api.md, web chat API). The session id is the conversation id; the token is checked on every call. */
export function webchatRoutes(deps: WebchatDeps & { labels?: OfficerLabels; post: MessagePost }): Router {
  const router = express.Router();
  const { post } = deps;

  router.post(
    '/sessions',
    limiter(deps, 'sessions', { limit: deps.sessionsPerMinute }),
    async (req, res) => {
      const body = req.body === undefined || (req.is('application/json') && Object.keys(req.body ?? {}).length === 0) ? {} : parseBody(req, startSchema);
      const locale = localeFrom(req, body.locale);
      const token = newToken();
      const sessionId = `wc_${newToken().slice(0, 22)}`;
      const started = await deps.hub().start({
        // A browser that keeps a visitor key is one petitioner across its sessions; else each session is one.
        senderId: body.visitor ? `v_${hashToken(body.visitor)}` : sessionId,
        conversationId: sessionId,
        locale,
        credentialHash: hashToken(token),
        recognise: Boolean(body.visitor),
      });
      res.status(201).json({ sessionId, token, messages: started.messages });
    },
  );

  // A photo, as the request body itself (not a form): its own parser, sized to the hub's limit.
  let raw: RequestHandler | null = null;
  const photoBody: RequestHandler = (req, res, next) => (raw ??= express.raw({ type: () => true, limit: deps.hub().attachmentLimit }))(req, res, next);
  router.post('/sessions/:sessionId/attachments', post.authenticate, post.limit, photoBody, async (req, res) => {
    const session = await sessionOf(deps.hub(), req);
    const messageId = clientMessageId(req.get('x-client-message-id'));
    const declaredType = req.get('content-type') ?? '';
    if (!/^image\//i.test(declaredType)) throw new HubError('attachment_refused', 'only photos can be sent here (image/jpeg, image/png, image/webp or image/gif)');
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (bytes.length === 0) throw new HubError('bad_request', 'the request body must be the photo itself');
    const photo = { kind: 'image' as const, declaredType, name: fileName(req.get('x-file-name')), download: () => Promise.resolve(bytes) };
    const received = await deps.hub().receive({ ...session, messageId, attachments: [photo], address: clientAddress(req) }, 'inline');
    res.json({ messages: received.replies });
  });

  // The message lane serves this too, for the usual spelling of the path (message-lane.ts).
  router.post('/sessions/:sessionId/messages', post.authenticate, post.limit, async (req, res) => {
    res.json(await post.handle(req));
  });

  router.get('/sessions/:sessionId/messages', post.authenticate, async (req, res) => {
    const { conversationId: id } = await sessionOf(deps.hub(), req);
    const after = typeof req.query.after === 'string' && req.query.after ? req.query.after : undefined;
    const messages = await deps.hub().history(id, after);
    res.json({ messages: deps.labels ? await deps.labels.label(id, messages) : messages });
  });

  return router;
}
