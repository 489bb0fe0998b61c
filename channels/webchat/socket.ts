import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../src/logger.js';
import { errorBody } from '../../src/errors.js';
import { tokenMatches } from './session-auth.js';
import type { OfficerLabels } from './officer-from.js';
import type { MessageView } from '../../src/conversation/messages.js';
import type { ChannelHub } from '../../src/channels/contract.js';

const PATH = '/api/webchat/socket';
const HEARTBEAT_MS = 30_000;
/** A petitioner has a few tabs open at most; more is someone holding the hub's memory for them. */
export const MAX_SOCKETS_PER_SESSION = 5;

/**
 * Which pages may open a socket (WEBCHAT_ALLOWED_ORIGINS, or any with "*"), besides the hub's own.
 * A socket carries no cookie, but a page elsewhere that got hold of a session's token must not be
 * able to listen in from a visitor's browser.
 */
export type AllowedOrigins = readonly string[] | '*';

function originAllowed(req: IncomingMessage, allowed: AllowedOrigins): boolean {
  const origin = req.headers.origin;
  // Not a browser (browsers always send it): the token is the whole check.
  if (!origin || allowed === '*') return true;
  const own = [`http://${req.headers.host}`, `https://${req.headers.host}`];
  return allowed.includes(origin) || own.includes(origin);
}

/**
 * Pushes messages that were not direct replies (officer messages, status changes) to the browsers
 * that hold a session. Nothing depends on the socket: every message is also in the history endpoint.
 */
export class WebchatSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private readonly bySession = new Map<string, Set<WebSocket>>();
  private readonly alive = new WeakSet<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  /** Pushes go out in the order the events came, also when an officer message waits for its label. */
  private pushes: Promise<void> = Promise.resolve();
  private hub: ChannelHub | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly labels?: OfficerLabels,
    private readonly origins: AllowedOrigins = '*',
  ) {
    this.heartbeat = setInterval(() => this.ping(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** From the hub's live feed: messages for open sessions, written here or by another instance. */
  connect(hub: ChannelHub): void {
    this.hub = hub;
    hub.live.listen((conversationId, messages) => {
      if (this.bySession.has(conversationId)) this.push(conversationId, messages);
    });
  }

  private connected(): ChannelHub {
    if (!this.hub) throw new Error('the web chat channel is not connected');
    return this.hub;
  }

  private push(conversationId: string, messages: MessageView[]): void {
    this.pushes = this.pushes.then(async () => {
      let labelled = messages;
      try {
        if (this.labels) labelled = await this.labels.label(conversationId, messages);
      } catch (err) {
        this.logger.warn({ err }, 'officer message label not found; pushed without it');
      }
      for (const message of labelled) {
        const payload = JSON.stringify({ type: 'message', message });
        for (const ws of this.bySession.get(conversationId) ?? []) ws.send(payload);
      }
    });
  }

  attach(server: Server): void {
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://hub');
      if (url.pathname !== PATH) return refuse(socket, 404, 'not_found', 'no such socket');
      if (!originAllowed(req, this.origins)) return refuse(socket, 403, 'forbidden_origin', 'this page may not open the web chat socket');
      this.accept(req, socket, head, url).catch((err: unknown) => {
        this.logger.warn({ err }, 'web chat socket upgrade failed');
        refuse(socket, 500, 'internal', 'the socket could not be opened; please try again');
      });
    });
  }

  private async accept(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
    const sessionId = url.searchParams.get('sessionId') ?? '';
    const token = url.searchParams.get('token') ?? undefined;
    const session = sessionId ? await this.connected().credential(sessionId) : null;
    if (!session) return refuse(socket, 404, 'session_not_found', 'no such session');
    if (!tokenMatches(token, session.hash)) return refuse(socket, 401, 'unauthorized', 'missing or wrong session token');
    if ((this.bySession.get(sessionId)?.size ?? 0) >= MAX_SOCKETS_PER_SESSION) {
      return refuse(socket, 429, 'rate_limited', `at most ${MAX_SOCKETS_PER_SESSION} sockets per session; close one first`);
    }
    await this.connected().live.watch(sessionId);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.register(sessionId, ws));
  }

  private register(sessionId: string, ws: WebSocket): void {
    const set = this.bySession.get(sessionId) ?? new Set<WebSocket>();
    set.add(ws);
    this.bySession.set(sessionId, set);
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    // The socket is push-only; petitioner messages go through the HTTP API so they are acknowledged.
    ws.on('message', () => undefined);
    ws.on('close', () => {
      set.delete(ws);
      if (set.size === 0) {
        this.bySession.delete(sessionId);
        this.hub?.live.forget(sessionId);
      }
    });
    ws.on('error', () => ws.terminate());
  }

  private ping(): void {
    for (const set of this.bySession.values()) {
      for (const ws of set) {
        if (!this.alive.has(ws)) {
          ws.terminate();
          continue;
        }
        this.alive.delete(ws);
        ws.ping();
      }
    }
  }

  connections(sessionId: string): number {
    return this.bySession.get(sessionId)?.size ?? 0;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}

/** A refused upgrade still answers with the JSON error body every other error has (docs/api.md, errors). */
function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify(errorBody(code, message));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
