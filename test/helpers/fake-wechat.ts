import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CustomMessage {
  touser: string;
  content: string;
  accessToken: string;
  errcode: number;
}

/** A local stand-in for the WeChat API: the access token and the customer-service send, with 45015 on demand. */
export class FakeWechat {
  readonly sent: CustomMessage[] = [];
  tokenRequests = 0;
  /** openids whose 48-hour reply window is closed: sends to them answer 45015. */
  readonly windowClosed = new Set<string>();
  /** Temporary media by media_id, as /cgi-bin/media/get serves it (video: JSON naming a URL on this server). */
  readonly media = new Map<string, { type: string; bytes: Buffer; video?: boolean }>();
  mediaRequests = 0;
  private gate: Promise<void> | null = null;
  private server!: Server;
  url = '';

  static async start(): Promise<FakeWechat> {
    const fake = new FakeWechat();
    fake.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', async () => {
        const url = new URL(req.url ?? '/', 'http://wechat');
        const json = (v: object) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(v));
        if (url.pathname === '/cgi-bin/token') {
          const n = ++fake.tokenRequests;
          await fake.gate;
          if (url.searchParams.get('secret') !== 'oa-secret') return json({ errcode: 40125, errmsg: 'invalid appsecret' });
          return json({ access_token: `token-${n}`, expires_in: 7200 });
        }
        if (url.pathname === '/cgi-bin/media/get') {
          fake.mediaRequests++;
          const id = url.searchParams.get('media_id') ?? '';
          const item = fake.media.get(id);
          if (!url.searchParams.get('access_token')?.startsWith('token-')) return json({ errcode: 40001, errmsg: 'invalid credential' });
          if (!item) return json({ errcode: 40007, errmsg: 'invalid media_id' });
          if (item.video) return json({ video_url: `${fake.url}/video/${encodeURIComponent(id)}` });
          return res.writeHead(200, { 'content-type': item.type, 'content-disposition': `attachment; filename="${id}"` }).end(item.bytes);
        }
        if (url.pathname.startsWith('/video/')) {
          const item = fake.media.get(decodeURIComponent(url.pathname.slice('/video/'.length)));
          return item ? res.writeHead(200, { 'content-type': item.type }).end(item.bytes) : res.writeHead(404).end();
        }
        if (url.pathname === '/cgi-bin/message/custom/send') {
          const msg = JSON.parse(body) as { touser: string; text: { content: string } };
          const errcode = fake.windowClosed.has(msg.touser) ? 45015 : 0;
          fake.sent.push({ touser: msg.touser, content: msg.text.content, accessToken: url.searchParams.get('access_token') ?? '', errcode });
          return json(errcode ? { errcode, errmsg: 'response out of time limit or subscription is canceled' } : { errcode: 0, errmsg: 'ok' });
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Holds every token answer until the returned function is called (to catch concurrent refreshes). */
  holdTokens(): () => void {
    let release!: () => void;
    this.gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }

  async waitFor(match: (m: CustomMessage) => boolean, timeoutMs = 10_000): Promise<CustomMessage> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = this.sent.find(match);
      if (found) return found;
      if (Date.now() > until) throw new Error(`no matching customer-service message; sent: ${JSON.stringify(this.sent)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
