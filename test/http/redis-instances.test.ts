import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, Socket, type Server } from 'node:net';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { api, WebchatClient } from '../helpers/webchat-client.js';
import { fileLabourCase, officerReply } from '../helpers/petitions.js';
import { eventually } from '../helpers/eventually.js';

// The machine's Redis (CI sets TEST_REDIS_URL and fails without it); skipped where there is none.
const REDIS_URL = process.env.TEST_REDIS_URL;

/** Two instances of one deployment: one database, one Redis namespace, no database poll for pushes. */
async function pair(env: Record<string, string> = {}): Promise<[TestHub, TestHub]> {
  const shared = { REDIS_URL: REDIS_URL as string, REDIS_PREFIX: `hub-test-${randomBytes(4).toString('hex')}`, WEBCHAT_PUSH_POLL_MS: '3600000', ...env };
  const a = await startTestHub({ env: shared });
  const b = await startTestHub({ env: shared, db: a.testDb });
  return [a, b];
}

describe.skipIf(!REDIS_URL)('several instances with REDIS_URL', () => {
  let a: TestHub;
  let b: TestHub;
  beforeAll(async () => {
    [a, b] = await pair();
  });
  afterAll(async () => {
    await b?.stop();
    await a?.drop();
  });

  it("push at once to a petitioner's socket what an officer wrote on the other instance", async () => {
    const { client, ref } = await fileLabourCase(a.url, 'en');
    const socket = await client.connect();
    try {
      expect((await officerReply(b.url, ref, 'We have called the factory.')).status).toBe(200);
      // The poll is off (an hour), so only Redis can have carried it.
      const pushed = await socket.next();
      expect([pushed.role, pushed.text]).toEqual(['officer', expect.stringContaining('We have called the factory.')]);
    } finally {
      socket.close();
    }
  });

  it("count a session's messages once across the instances", async () => {
    const [c, d] = await pair({ WEBCHAT_RATE_LIMIT: '3' });
    try {
      const onC = await WebchatClient.open(c.url, 'en');
      const onD = WebchatClient.resume(d.url, onC.sessionId, onC.token);
      expect((await onC.post('Hello')).status).toBe(200);
      expect((await onD.post('The street light outside my house is broken')).status).toBe(200);
      expect((await onC.post('It is on Elm Street')).status).toBe(200);
      const fourth = await onD.post('since last week');
      expect(fourth.status).toBe(429);
      expect(fourth.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
      expect(await c.db.message.count({ where: { conversationId: onC.sessionId, role: 'petitioner' } })).toBe(3);
    } finally {
      await d.stop();
      await c.drop();
    }
  });

  it('count new sessions from one address once across the instances', async () => {
    const from = { 'X-Forwarded-For': '203.0.113.77' };
    const open = (hub: TestHub) => api(hub.url, '/api/webchat/sessions', { method: 'POST', json: {}, headers: from });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await open(i % 2 ? b : a)).status);
    expect(statuses).toEqual(Array(30).fill(201));
    expect((await open(b)).status).toBe(429);
    expect((await open(a)).status).toBe(429);
  });
});

describe.skipIf(!REDIS_URL)('an instance whose Redis goes away and comes back', () => {
  const target = new URL(REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `hub-test-${randomBytes(4).toString('hex')}`;
  const conns = new Set<Socket>();
  let proxy: Server;
  let port = 0;
  let a: TestHub;
  let b: TestHub;
  let client: WebchatClient;
  let ref: string;
  let socket: Awaited<ReturnType<WebchatClient['connect']>>;

  // Instance a reaches Redis through a loopback proxy, so the test can cut it off and restore it.
  const openProxy = () => {
    proxy = createServer((inbound) => {
      const outbound = new Socket().connect(Number(target.port || 6379), target.hostname);
      for (const s of [inbound, outbound]) {
        conns.add(s);
        s.on('error', () => undefined);
        s.on('close', () => conns.delete(s));
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    return new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
  };
  const cutProxy = () => {
    proxy.close();
    for (const s of conns) s.destroy();
  };

  beforeAll(async () => {
    await openProxy();
    port = (proxy.address() as { port: number }).port;
    const env = { REDIS_PREFIX: prefix, WEBCHAT_PUSH_POLL_MS: '3600000' };
    a = await startTestHub({ env: { ...env, REDIS_URL: `redis://127.0.0.1:${port}` } });
    b = await startTestHub({ env: { ...env, REDIS_URL: REDIS_URL as string }, db: a.testDb });
    ({ client, ref } = await fileLabourCase(a.url, 'zh-CN'));
    socket = await client.connect();
  });
  afterAll(async () => {
    socket?.close();
    await b?.stop();
    await a?.drop();
    if (proxy?.listening) proxy.close();
  });

  /** A petitioner's message to instance a, as the widget sends it; the limiter's headers say whether Redis counted it. */
  const say = (text: string) =>
    fetch(`${a.url}/api/webchat/sessions/${client.sessionId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text, clientMessageId: randomUUID() }),
    });

  it('still answers petitioners and lets officers act meanwhile, refusing nothing for want of Redis', async () => {
    const counted = await say('工厂在宝安区福永街道');
    expect([counted.status, counted.headers.get('ratelimit')]).toEqual([200, expect.stringMatching(/remaining=\d+/)]);
    cutProxy();
    expect((await officerReply(a.url, ref, '已联系工厂')).status).toBe(200);
    // Its own socket still gets the push: the event is local, only its relay to others failed.
    expect((await socket.next()).text).toContain('已联系工厂');
    const answered = await say('请问什么时候能处理好');
    // Answered, and not counted: the store failed and the limiter let the message through.
    expect([answered.status, answered.headers.get('ratelimit')]).toEqual([200, null]);
    expect(((await answered.json()) as { messages: unknown[] }).messages.length).toBeGreaterThan(0);
    expect((await api(a.url, '/api/webchat/sessions', { method: 'POST', json: {} })).status).toBe(201);
  });

  it('relays again once Redis is back', async () => {
    await openProxy();
    const watcher = createClient({ url: REDIS_URL });
    await watcher.connect();
    try {
      // Both instances' subscribers are back on the channel (a's reconnected and subscribed again).
      const subscribers = await eventually(
        async () => Number((await watcher.pubSubNumSub(`${prefix}:events`))[`${prefix}:events`]),
        (n) => n === 2,
      );
      expect(subscribers).toBe(2);
    } finally {
      await watcher.close();
    }
    expect((await officerReply(b.url, ref, '工厂答应周五前结清')).status).toBe(200);
    expect((await socket.next()).text).toContain('工厂答应周五前结清');
  });
});

describe('REDIS_URL that cannot be reached', () => {
  it('stops the hub from starting, saying why', async () => {
    await expect(startTestHub({ env: { REDIS_URL: 'redis://127.0.0.1:1' } })).rejects.toThrow(/could not connect to Redis at REDIS_URL \(redis:\/\/127\.0\.0\.1:1\)/);
  });
});
