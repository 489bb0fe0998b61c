import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** The HTTP status the fake answered with. */
  status: number;
}

interface Failure {
  times: number;
  status: number;
  retryAfter?: number;
  /** A platform error: HTTP 200 with {"ok": false, "error": …}, as Slack refuses a bad channel or token. */
  error?: string;
}

/**
 * A local stand-in for the Slack Web API: answers the methods the hub uses with Slack's payload
 * shapes, records every call, and can be told to answer 429 (with Retry-After) or 500.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  private readonly failures = new Map<string, Failure>();
  private readonly members = new Map<string, string[]>();
  private server!: Server;
  private sockets!: WebSocketServer;
  private readonly acks = new Map<string, (ack: Record<string, unknown>) => void>();
  /** The Socket Mode connections the hub has open. */
  readonly connections: WebSocket[] = [];
  private ts = 1_700_000_000;
  url = '';

  static async start(): Promise<FakeSlack> {
    const fake = new FakeSlack();
    fake.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url?.startsWith('/files-pri/')) return fake.serveFile(req.url, req.headers.authorization, res);
        const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
        const args = fake.parse(body, req.headers['content-type'] ?? '');
        const failure = fake.failures.get(method);
        if (failure && failure.times > 0) {
          failure.times--;
          fake.calls.push({ method, args, at: Date.now(), status: failure.status });
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (failure.retryAfter) headers['retry-after'] = String(failure.retryAfter);
          res.writeHead(failure.status, headers).end(JSON.stringify({ ok: false, error: failure.error ?? (failure.status === 429 ? 'ratelimited' : 'internal_error') }));
          return;
        }
        fake.calls.push({ method, args, at: Date.now(), status: 200 });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(fake.answer(method, args)));
      });
    });
    // Socket Mode: apps.connections.open hands out this URL; Slack sends "hello", then envelopes.
    fake.sockets = new WebSocketServer({ server: fake.server, path: '/socket' });
    fake.sockets.on('connection', (ws) => {
      fake.connections.push(ws);
      ws.on('message', (data) => {
        const ack = JSON.parse(String(data)) as { envelope_id?: string };
        if (ack.envelope_id) fake.acks.get(ack.envelope_id)?.(ack);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'A1' } }));
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/api/`;
    return fake;
  }

  private readonly users = new Map<string, { real_name: string; display_name?: string }>();
  private readonly files = new Map<string, { type: string; bytes: Buffer }>();
  /** The Authorization header of every file download. */
  readonly fileDownloads: (string | undefined)[] = [];

  /** A file shared in Slack: its url_private_download, which needs the bot token, as Slack's does. */
  addFile(id: string, type: string, bytes: Buffer): string {
    this.files.set(id, { type, bytes });
    return this.url.replace(/\/api\/$/, `/files-pri/${id}`);
  }

  private serveFile(path: string, authorization: string | undefined, res: import('node:http').ServerResponse): void {
    this.fileDownloads.push(authorization);
    const file = this.files.get(path.slice('/files-pri/'.length));
    // Slack answers a download without the token with its sign-in page, not the file.
    if (!authorization?.startsWith('Bearer xoxb-')) return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>sign in</html>');
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.type, 'content-length': String(file.bytes.length) }).end(file.bytes);
  }

  /** A user's names as users.info reports them. */
  setUser(id: string, names: { real_name: string; display_name?: string }): void {
    this.users.set(id, names);
  }

  /** Channel membership as conversations.members reports it. */
  setMembers(channel: string, users: string[]): void {
    this.members.set(channel, users);
  }

  fail(method: string, times: number, status: number, retryAfter?: number): void {
    this.failures.set(method, { times, status, retryAfter });
  }

  /** Refuses the next `times` calls the way Slack refuses for good: HTTP 200, ok false, `error`. */
  refuse(method: string, times: number, error: string): void {
    this.failures.set(method, { times, status: 200, error });
  }

  called(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until a call matching `match` has been answered successfully (bounded). */
  async waitFor(method: string, match: (c: SlackCall) => boolean = () => true, timeoutMs = 10_000): Promise<SlackCall> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.find((c) => c.method === method && c.status === 200 && match(c));
      if (found) return found;
      if (Date.now() > until) throw new Error(`no ${method} call within ${timeoutMs} ms; calls: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Sends a Socket Mode envelope and resolves with the hub's acknowledgement. */
  async envelope(type: 'events_api' | 'interactive' | 'slash_commands', payload: object): Promise<Record<string, unknown>> {
    const until = Date.now() + 10_000;
    while (!this.connections.length && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    const id = `env-${Math.random().toString(36).slice(2)}`;
    const acked = new Promise<Record<string, unknown>>((resolve) => this.acks.set(id, resolve));
    this.connections[0].send(JSON.stringify({ envelope_id: id, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }));
    return acked;
  }

  close(): Promise<void> {
    for (const ws of this.connections) ws.terminate();
    this.sockets.close();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private parse(body: string, type: string): Record<string, unknown> {
    if (type.includes('application/json')) return body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const args: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(body)) {
      args[k] = (k === 'blocks' || k === 'view') && /^[[{]/.test(v) ? JSON.parse(v) : v;
    }
    return args;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'apps.connections.open':
        return { ok: true, url: `${this.url.replace(/^http/, 'ws').replace(/\/api\/$/, '')}/socket` };
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'petition-hub' };
      case 'chat.postMessage':
        return { ok: true, channel: String(args.channel), ts: `${this.ts++}.000100`, message: { text: args.text } };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'chat.delete':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${this.ts++}.000200` };
      case 'views.open':
      case 'views.publish':
        return { ok: true, view: { id: 'V1' } };
      case 'users.info': {
        const u = this.users.get(String(args.user));
        return { ok: true, user: { id: args.user, real_name: u?.real_name ?? '', profile: { real_name: u?.real_name ?? '', display_name: u?.display_name ?? '' } } };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users).split(',')[0]}` } };
      case 'conversations.members':
        return { ok: true, members: this.members.get(String(args.channel)) ?? [], response_metadata: { next_cursor: '' } };
      default:
        // response_url posts (slash command answers) land here too; Slack answers them with "ok".
        return method.startsWith('response/') ? { ok: true } : { ok: false, error: 'unknown_method' };
    }
  }
}
