import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AppMessage {
  touser: string;
  agentid: number;
  content: string;
  accessToken: string;
  errcode: number;
}

/** WeCom's limit on a text message (message/send): 2048 bytes. */
const TEXT_MAX_BYTES = 2048;

/**
 * A local stand-in for WeCom's API (qyapi): gettoken and message/send with the real payloads and
 * error codes: 40001 for a wrong secret, 42001 for an expired token, 81013 for an unknown UserID,
 * 45009 when told to be busy, 45002 for text over 2048 bytes.
 */
export class FakeWecom {
  readonly sent: AppMessage[] = [];
  tokenRequests = 0;
  readonly expired = new Set<string>();
  readonly unknownUsers = new Set<string>();
  /** Answer this many sends with 45009 (frequency limit). */
  busy = 0;
  private issued = new Set<string>();
  private gate: Promise<void> | null = null;
  private server!: Server;
  url = '';

  constructor(
    readonly corpId: string,
    readonly secret: string,
  ) {}

  static async start(corpId: string, secret: string): Promise<FakeWecom> {
    const fake = new FakeWecom(corpId, secret);
    fake.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => void fake.handle(new URL(req.url ?? '/', 'http://qyapi'), body, (v) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(v))));
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Holds every gettoken answer until the returned function is called (to catch concurrent refreshes). */
  holdTokens(): () => void {
    let release!: () => void;
    this.gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }

  private async handle(url: URL, body: string, json: (v: object) => void): Promise<void> {
    if (url.pathname === '/cgi-bin/gettoken') {
      const n = ++this.tokenRequests;
      await this.gate;
      if (url.searchParams.get('corpid') !== this.corpId || url.searchParams.get('corpsecret') !== this.secret) return json({ errcode: 40001, errmsg: 'invalid credential' });
      const token = `wecom-token-${n}`;
      this.issued.add(token);
      return json({ errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 });
    }
    if (url.pathname === '/cgi-bin/message/send') {
      const accessToken = url.searchParams.get('access_token') ?? '';
      const msg = JSON.parse(body) as { touser: string; msgtype: string; agentid: number; text: { content: string } };
      const errcode = this.check(accessToken, msg.touser, msg.text.content);
      this.sent.push({ touser: msg.touser, agentid: msg.agentid, content: msg.text.content, accessToken, errcode });
      return json(errcode ? { errcode, errmsg: `error ${errcode}, hint: [fake], from ip: 127.0.0.1` } : { errcode: 0, errmsg: 'ok', invaliduser: '' });
    }
    json({ errcode: 404, errmsg: 'not found' });
  }

  private check(accessToken: string, touser: string, content: string): number {
    if (this.expired.has(accessToken)) return 42001;
    if (!this.issued.has(accessToken)) return 40014;
    if (this.busy > 0) {
      this.busy--;
      return 45009;
    }
    if (this.unknownUsers.has(touser)) return 81013;
    return Buffer.byteLength(content) > TEXT_MAX_BYTES ? 45002 : 0;
  }

  async waitFor(match: (m: AppMessage) => boolean, timeoutMs = 10_000): Promise<AppMessage> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = this.sent.find(match);
      if (found) return found;
      if (Date.now() > until) throw new Error(`no matching WeCom message; sent: ${JSON.stringify(this.sent)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
