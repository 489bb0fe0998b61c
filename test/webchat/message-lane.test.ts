import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { WebchatClient } from '../helpers/webchat-client.js';

// A petitioner's message is answered by the message lane when the path is written as docs/api.md
// (web chat API) gives it, and by the Express route otherwise; a petitioner must not be able to tell
// the two apart.
// Express adds an ETag to its JSON answers and the lane does not: that is how these tests know which
// one answered.

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ env: { WEBCHAT_RATE_LIMIT: '6', WEBCHAT_ALLOWED_ORIGINS: 'https://town.example' } });
});
afterAll(async () => hub?.drop());

async function send(c: WebchatClient, suffix: string, init: { text?: unknown; origin?: string; body?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${c.token}` };
  if (init.origin) headers.origin = init.origin;
  const res = await fetch(`${hub.url}/api/webchat/sessions/${c.sessionId}/messages${suffix}`, {
    method: 'POST',
    headers,
    body: init.body ?? JSON.stringify({ text: init.text ?? '你好', clientMessageId: randomUUID() }),
  });
  const h = (name: string) => res.headers.get(name);
  return {
    status: res.status,
    body: (await res.json()) as { messages?: { role: string; text: string }[]; error?: { code: string } },
    etag: h('etag'),
    headers: {
      type: h('content-type'),
      allowOrigin: h('access-control-allow-origin'),
      vary: h('vary'),
      policy: h('ratelimit-policy'),
      limit: h('ratelimit')?.replace(/remaining=\d+/, 'remaining=N'),
    },
  };
}

describe('the message lane', () => {
  it('answers the usual path itself, with the same replies and headers as the Express route', async () => {
    const a = await WebchatClient.open(hub.url, 'zh-CN');
    const b = await WebchatClient.open(hub.url, 'zh-CN');
    const text = '我家楼下的饭店每天晚上油烟很大,已经两个月了';
    const lane = await send(a, '', { text, origin: 'https://town.example' });
    const route = await send(b, '/', { text, origin: 'https://town.example' });
    expect(lane.etag).toBeNull();
    expect(route.etag).not.toBeNull();
    expect(lane.status).toBe(200);
    expect(route.status).toBe(200);
    const texts = (r: typeof lane) => r.body.messages?.map((m) => [m.role, m.text]);
    expect(texts(lane)).toEqual(texts(route));
    expect(texts(lane)?.length).toBeGreaterThan(0);
    expect(lane.headers).toEqual(route.headers);
    expect(lane.headers).toMatchObject({ type: 'application/json; charset=utf-8', allowOrigin: 'https://town.example', vary: 'Origin' });
    expect(lane.headers.policy).toMatch(/^6;w=60$/);
  });

  it('also takes the path with a query string', async () => {
    const c = await WebchatClient.open(hub.url, 'en');
    const r = await send(c, '?from=widget');
    expect(r.status).toBe(200);
    expect(r.etag).toBeNull();
  });

  it('gives no CORS permission to an origin that is not allowed, as the Express route does not', async () => {
    const c = await WebchatClient.open(hub.url, 'en');
    const lane = await send(c, '', { origin: 'https://evil.example' });
    const route = await send(c, '/', { origin: 'https://evil.example' });
    expect(lane.headers.allowOrigin).toBeNull();
    expect(route.headers.allowOrigin).toBeNull();
    expect(lane.headers.vary).toBe(route.headers.vary);
  });

  it('counts a session’s messages together with the Express route against one rate limit', async () => {
    const c = await WebchatClient.open(hub.url, 'zh-CN');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await send(c, i % 2 ? '/' : '', { text: `第${i}条` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    const limited = await send(c, '');
    expect(limited.etag).toBeNull();
    expect(limited.body).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('answers a broken body with the same JSON error as the Express route, and the hub stays up', async () => {
    const c = await WebchatClient.open(hub.url, 'zh-CN');
    for (const suffix of ['', '/']) {
      const r = await send(c, suffix, { body: '{"text": ' });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ error: { code: 'invalid_json' } });
    }
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
  });
});
