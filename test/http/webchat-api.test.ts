import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { completeIntake } from '../helpers/intake.js';
import type { MessageView } from '../../src/conversation/messages.js';
import { api, lastExpects, WebchatClient } from '../helpers/webchat-client.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ env: { WEBCHAT_RATE_LIMIT: '40' } });
});
afterAll(async () => hub?.drop());

describe('web chat sessions', () => {
  it('creates a session whose messages greet the petitioner and ask an open question', async () => {
    const c = await WebchatClient.open(hub.url, 'zh-CN');
    expect(c.sessionId).toMatch(/\S{10,}/);
    expect(c.token.length).toBeGreaterThanOrEqual(32);
    expect(c.greeting[0].role).toBe('bot');
    expect(c.greeting[0].text).toContain('您好');
    expect(lastExpects(c.greeting)).toEqual({ type: 'text', slot: 'issue' });
    for (const m of c.greeting) expect(Date.parse(m.createdAt)).not.toBeNaN();
  });

  it('takes the locale from Accept-Language when none is given', async () => {
    const r = await api<{ messages: { text: string }[] }>(hub.url, '/api/webchat/sessions', {
      method: 'POST',
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
    });
    expect(r.status).toBe(201);
    expect(r.body.messages[0].text).toMatch(/^Hello/);
  });

  it('refuses an unknown locale', async () => {
    const r = await api<{ error: { code: string } }>(hub.url, '/api/webchat/sessions', { method: 'POST', json: { locale: 'fr' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('bad_request');
  });
});

describe('messages', () => {
  it('answers a message and returns the same replies, storing nothing twice, when the clientMessageId repeats', async () => {
    const c = await WebchatClient.open(hub.url, 'zh-CN');
    const first = await c.post('我们小区的路灯坏了两个月了,晚上特别黑', 'cm-1');
    expect(first.status).toBe(200);
    expect(first.body.messages.length).toBeGreaterThan(0);
    const again = await c.post('我们小区的路灯坏了两个月了,晚上特别黑', 'cm-1');
    expect(again.body.messages).toEqual(first.body.messages);
    const history = await c.history();
    expect(history.filter((m) => m.role === 'petitioner')).toHaveLength(1);
    expect(history).toHaveLength(c.greeting.length + 1 + first.body.messages.length);
  });

  it('handles the same message sent twice at the same moment once', async () => {
    const c = await WebchatClient.open(hub.url, 'zh-CN');
    const [a, b] = await Promise.all([c.post('楼下饭店油烟太大了', 'same'), c.post('楼下饭店油烟太大了', 'same')]);
    expect(a.body).toEqual(b.body);
    expect((await c.history()).filter((m) => m.role === 'petitioner')).toHaveLength(1);
  });

  it('returns the history after a given message, oldest first', async () => {
    const c = await WebchatClient.open(hub.url, 'en');
    await c.say('The bus stop near my house was removed without notice');
    const all = await c.history();
    const after = await c.history(all[1].id);
    expect(after).toEqual(all.slice(2));
    expect(all.map((m) => m.createdAt)).toEqual([...all.map((m) => m.createdAt)].sort());
  });

  it('stores HTML and script as plain text and returns it as JSON, never as markup', async () => {
    const c = await WebchatClient.open(hub.url, 'en');
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> & <@U123> <!channel>';
    const r = await fetch(`${hub.url}/api/webchat/sessions/${c.sessionId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: hostile, clientMessageId: 'x1' }),
    });
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const history = await c.history();
    expect(history.find((m) => m.role === 'petitioner')?.text).toBe(hostile);
  });
});

// The message lane serves the path as written here; the Express route serves it with a trailing slash.
describe.each([
  ['message lane', ''],
  ['Express route', '/'],
])('bad input changes nothing and never crashes the hub (%s)', (_path, suffix) => {
  let c: WebchatClient;
  let before: number;
  beforeAll(async () => {
    c = await WebchatClient.open(hub.url, 'zh-CN');
    before = (await c.history()).length;
  });

  const cases: [string, () => Promise<{ status: number; body: unknown }>, number, string][] = [
    ['empty text', () => c.post('   ', undefined, suffix), 400, 'empty_text'],
    ['text over 5,000 characters', () => c.post('长'.repeat(5001), undefined, suffix), 400, 'text_too_long'],
    ['missing clientMessageId', () => c.post('你好', null, suffix), 400, 'missing_client_message_id'],
    ['text that is not a string', () => c.post({ nested: true }, undefined, suffix), 400, 'bad_request'],
    ['binary control characters', () => c.post('abc\u0000\u0001def', undefined, suffix), 400, 'bad_request'],
    ['a lone surrogate', () => c.post('abc\ud800', undefined, suffix), 400, 'bad_request'],
    [
      'malformed JSON',
      () => api(hub.url, `/api/webchat/sessions/${c.sessionId}/messages${suffix}`, { method: 'POST', token: c.token, headers: { 'content-type': 'application/json' }, body: '{"text": "hi",' }),
      400,
      'invalid_json',
    ],
    [
      'a non-JSON body',
      () => api(hub.url, `/api/webchat/sessions/${c.sessionId}/messages${suffix}`, { method: 'POST', token: c.token, headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array([0, 159, 146, 150]) }),
      400,
      'bad_request',
    ],
    [
      'a huge body',
      () => api(hub.url, `/api/webchat/sessions/${c.sessionId}/messages${suffix}`, { method: 'POST', token: c.token, json: { text: 'x'.repeat(200_000), clientMessageId: 'big' } }),
      413,
      'payload_too_large',
    ],
    [
      'a wrong token',
      () => api(hub.url, `/api/webchat/sessions/${c.sessionId}/messages${suffix}`, { method: 'POST', token: 'nope', json: { text: 'hi', clientMessageId: 'w' } }),
      401,
      'unauthorized',
    ],
    [
      'no token',
      () => api(hub.url, `/api/webchat/sessions/${c.sessionId}/messages${suffix}`, { method: 'POST', json: { text: 'hi', clientMessageId: 'w' } }),
      401,
      'unauthorized',
    ],
    [
      'an unknown session',
      () => api(hub.url, `/api/webchat/sessions/wc_doesnotexist/messages${suffix}`, { method: 'POST', token: c.token, json: { text: 'hi', clientMessageId: 'u' } }),
      404,
      'session_not_found',
    ],
    [
      'a body that is not what its Content-Encoding says',
      () => api(hub.url, `/api/webchat/sessions/${c.sessionId}/messages${suffix}`, { method: 'POST', token: c.token, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: '{"text": "hi", "clientMessageId": "z"}' }),
      400,
      'bad_request',
    ],
    [
      'a Content-Encoding the hub does not speak',
      () => api(hub.url, `/api/webchat/sessions/${c.sessionId}/messages${suffix}`, { method: 'POST', token: c.token, headers: { 'content-type': 'application/json', 'content-encoding': 'zstd-nonsense' }, body: '{"text": "hi", "clientMessageId": "y"}' }),
      415,
      'unsupported_media_type',
    ],
    ['an unknown endpoint', () => api(hub.url, '/api/nothing-here'), 404, 'not_found'],
  ];

  for (const [name, send, status, code] of cases) {
    it(`${name} → ${status} ${code}`, async () => {
      const r = await send();
      expect(r.status).toBe(status);
      expect(r.body).toMatchObject({ error: { code, message: expect.any(String) } });
      expect(await c.history()).toHaveLength(before);
    });
  }

  it('reads history only with the right token, and rejects an after= from another conversation', async () => {
    const other = await WebchatClient.open(hub.url, 'zh-CN');
    const r = await api(hub.url, `/api/webchat/sessions/${c.sessionId}/messages`, { token: other.token });
    expect(r.status).toBe(401);
    const foreign = other.greeting[0].id;
    const leak = await api(hub.url, `/api/webchat/sessions/${c.sessionId}/messages?after=${foreign}`, { token: c.token });
    expect(leak.status).toBe(404);
  });

  it('is still healthy afterwards', async () => {
    const r = await api(hub.url, '/healthz');
    expect(r).toEqual({ status: 200, body: { status: 'ok' } });
  });
});

describe('rate limiting', () => {
  it('answers 429 with a JSON error once a session sends too fast', async () => {
    const limited = await startTestHub({ env: { WEBCHAT_RATE_LIMIT: '3' } });
    try {
      const c = await WebchatClient.open(limited.url, 'zh-CN');
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await c.post(`第${i}条`)).status);
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      const r = await c.post('再来一条');
      expect(r.status).toBe(429);
      expect(r.body).toMatchObject({ error: { code: 'rate_limited' } });
    } finally {
      await limited.drop();
    }
  });

  it('checks the token before the session limit: someone who knows only a session id cannot lock its petitioner out', async () => {
    const limited = await startTestHub({ env: { WEBCHAT_RATE_LIMIT: '3' } });
    try {
      const victim = await WebchatClient.open(limited.url, 'zh-CN');
      const stranger = (i: number) =>
        api(limited.url, `/api/webchat/sessions/${victim.sessionId}/messages`, { method: 'POST', token: 'guessed-token', json: { text: `垃圾${i}`, clientMessageId: `s${i}` }, headers: { 'X-Forwarded-For': '203.0.113.66' } });
      const refused = [];
      for (let i = 0; i < 6; i++) refused.push((await stranger(i)).status);
      expect(refused).toEqual([401, 401, 401, 401, 401, 401]);
      const own = [];
      for (let i = 0; i < 3; i++) own.push((await victim.post(`我的第${i}条`)).status);
      expect(own).toEqual([200, 200, 200]);
    } finally {
      await limited.drop();
    }
  });

  it('limits unauthenticated requests per address, and no one else pays for them', async () => {
    const c = await WebchatClient.open(hub.url, 'zh-CN');
    const from = (address: string, token: string, i: number) =>
      api(hub.url, `/api/webchat/sessions/${c.sessionId}/messages`, { method: 'POST', token, json: { text: `试${i}`, clientMessageId: `f${address}${i}` }, headers: { 'X-Forwarded-For': address } });
    const statuses = [];
    for (let i = 0; i < 21; i++) statuses.push((await from('203.0.113.77', 'wrong', i)).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    // Reading with a wrong token counts too.
    expect((await api(hub.url, `/api/webchat/sessions/${c.sessionId}/messages`, { token: 'wrong', headers: { 'X-Forwarded-For': '203.0.113.77' } })).status).toBe(429);
    expect((await from('203.0.113.78', 'wrong', 0)).status).toBe(401);
    expect((await from('203.0.113.77', c.token, 99)).status).toBe(200);
  });

  it('answers 429 once one address opens too many sessions, and counts each address apart', async () => {
    const limited = await startTestHub({ env: { WEBCHAT_SESSION_RATE_LIMIT: '2' } });
    try {
      const open = (address: string) => api(limited.url, '/api/webchat/sessions', { method: 'POST', json: {}, headers: { 'X-Forwarded-For': address } });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await open('198.51.100.7')).status);
      expect(statuses).toEqual([201, 201, 429]);
      expect((await open('198.51.100.7')).body).toMatchObject({ error: { code: 'rate_limited' } });
      expect((await open('198.51.100.8')).status).toBe(201);
    } finally {
      await limited.drop();
    }
  });
});

describe('web chat socket', () => {
  it('refuses a wrong token, an unknown session and another path, with a JSON error', async () => {
    const c = await WebchatClient.open(hub.url, 'zh-CN');
    const refused = (url: string) =>
      new Promise<{ status: number; type: string; body: unknown }>((resolve) => {
        new WebSocket(url).on('unexpected-response', (_req, res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += String(chunk)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: JSON.parse(text) }));
        });
      });
    const cases: [string, number, string][] = [
      [c.socketUrl('wrong'), 401, 'unauthorized'],
      [c.socketUrl().replace(c.sessionId, 'wc_unknown'), 404, 'session_not_found'],
      [c.socketUrl().replace('/api/webchat/socket', '/api/webchat/elsewhere'), 404, 'not_found'],
    ];
    for (const [url, status, code] of cases) {
      const r = await refused(url);
      expect(r).toEqual({ status, type: 'application/json; charset=utf-8', body: { error: { code, message: expect.any(String) } } });
    }
  });

  const opened = (url: string, origin?: string) =>
    new Promise<{ ws: WebSocket; status: number }>((resolve) => {
      const ws = new WebSocket(url, origin ? { origin } : {});
      ws.on('error', () => undefined); // a refused upgrade is the answer here, not a failure
      ws.on('open', () => resolve({ ws, status: 101 }));
      ws.on('unexpected-response', (req, res) => {
        req.destroy();
        resolve({ ws, status: res.statusCode ?? 0 });
      });
    });

  it('holds at most five sockets per session; a closed one makes room', async () => {
    const c = await WebchatClient.open(hub.url, 'zh-CN');
    const open: { ws: WebSocket; status: number }[] = [];
    for (let i = 0; i < 5; i++) open.push(await opened(c.socketUrl()));
    expect(open.map((o) => o.status)).toEqual([101, 101, 101, 101, 101]);
    expect((await opened(c.socketUrl())).status).toBe(429);
    // Another session is not affected.
    const other = await WebchatClient.open(hub.url, 'zh-CN');
    const theirs = await opened(other.socketUrl());
    expect(theirs.status).toBe(101);
    await new Promise<void>((resolve) => {
      open[0].ws.once('close', () => resolve());
      open[0].ws.close();
    });
    const again = await eventuallyOpened(c.socketUrl());
    expect(again.status).toBe(101);
    for (const o of [...open.slice(1), theirs, again]) o.ws.close();
  });

  /** The hub counts the closed socket once its close frame arrived: until then the sixth is still refused. */
  async function eventuallyOpened(url: string): Promise<{ ws: WebSocket; status: number }> {
    for (let i = 0; i < 50; i++) {
      const r = await opened(url);
      if (r.status === 101) return r;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return opened(url);
  }

  it('opens only for the pages allowed to embed the widget, and the hub\'s own', async () => {
    const strict = await startTestHub({ env: { WEBCHAT_ALLOWED_ORIGINS: 'https://county.example.gov' } });
    try {
      const c = await WebchatClient.open(strict.url, 'zh-CN');
      const tries = [
        await opened(c.socketUrl(), 'https://county.example.gov'),
        await opened(c.socketUrl(), strict.url),
        await opened(c.socketUrl()),
        await opened(c.socketUrl(), 'https://evil.example.com'),
      ];
      expect(tries.map((t) => t.status)).toEqual([101, 101, 101, 403]);
      for (const t of tries) if (t.status === 101) t.ws.close();
    } finally {
      await strict.drop();
    }
  });
});

describe('officer messages name their department', () => {
  it('adds an optional "from" to officer messages, in history and on the socket, following a transfer', async () => {
    const c = await WebchatClient.open(hub.url, 'zh-CN');
    const { trackingNumber } = await completeIntake(c, '我们公司拖欠了三个月工资,老板一直不给', { location: '成都市高新区天府大道100号' });
    const socket = await c.connect();
    const act = (json: Record<string, unknown>) => api(hub.url, `/api/cases/${trackingNumber}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { actor: 'officer:1', ...json } });
    expect((await act({ action: 'reply', text: '已经联系公司了' })).status).toBe(200);
    const first = await socket.next();
    expect((await act({ action: 'transfer', department: 'commerce_tourism' })).status).toBe(200);
    const notice = await socket.next();
    expect((await act({ action: 'reply', text: '已转我局办理' })).status).toBe(200);
    const second = await socket.next();
    socket.close();

    expect([first.role, (first as { from?: string }).from]).toEqual(['officer', '人力资源和社会保障局']);
    expect([notice.role, 'from' in notice]).toEqual(['system', false]);
    expect([second.role, (second as { from?: string }).from]).toEqual(['officer', '商务和旅游局']);
    const history = (await c.history()) as (MessageView & { from?: string })[];
    expect(history.filter((m) => m.from !== undefined).map((m) => [m.role, m.from])).toEqual([
      ['officer', '人力资源和社会保障局'],
      ['officer', '商务和旅游局'],
    ]);
  });
});
