import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api, WebchatClient } from '../helpers/webchat-client.js';
import { fileLabourCase } from '../helpers/petitions.js';
import { loadConfig, weakAdminToken } from '../../src/config.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => hub?.drop());

const caseRead = (ref: string, authorization: string, address: string) =>
  fetch(`${hub.url}/api/cases/${ref}`, { headers: { authorization, 'X-Forwarded-For': address } });

describe('the admin token', () => {
  it('is taken only as a Bearer token', async () => {
    const { ref } = await fileLabourCase(hub.url);
    expect((await caseRead(ref, `Bearer ${ADMIN_TOKEN}`, '198.51.100.20')).status).toBe(200);
    for (const header of [ADMIN_TOKEN, `Token ${ADMIN_TOKEN}`, `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`, `Bearer  ${ADMIN_TOKEN}x`]) {
      const r = await caseRead(ref, header, '198.51.100.20');
      expect(r.status).toBe(401);
      expect(await r.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('throttles wrong guesses per address: after ten, that address is refused for a while, others are not', async () => {
    const { ref } = await fileLabourCase(hub.url);
    const guesses = [];
    for (let i = 0; i < 11; i++) guesses.push((await caseRead(ref, `Bearer guess-${i}-${'x'.repeat(20)}`, '203.0.113.5')).status);
    expect(guesses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(guesses[10]).toBe(429);
    const blocked = await caseRead(ref, `Bearer ${ADMIN_TOKEN}`, '203.0.113.5');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).not.toBeNull();
    // Someone else, and the same office's scripts with the right token, are not slowed.
    expect((await caseRead(ref, `Bearer ${ADMIN_TOKEN}`, '203.0.113.6')).status).toBe(200);
    for (let i = 0; i < 15; i++) expect((await caseRead(ref, `Bearer ${ADMIN_TOKEN}`, '203.0.113.7')).status).toBe(200);
  });

  it('is reported at start when too short, and the hub still serves petitioners', async () => {
    expect(weakAdminToken(loadConfig({ ADMIN_TOKEN: 'short-token' }))).toBe('ADMIN_TOKEN is 11 characters; use at least 24 (for example: openssl rand -base64 32)');
    expect(weakAdminToken(loadConfig({ ADMIN_TOKEN }))).toBeNull();
    expect(weakAdminToken(loadConfig({}))).toBeNull();
    // Refusing to start would take every channel down with the admin API: petitions must still come in.
    const short = await startTestHub({ env: { ADMIN_TOKEN: 'short-token' } });
    try {
      const { ref } = await fileLabourCase(short.url);
      expect((await api(short.url, `/api/cases/${ref}`, { token: 'short-token' })).status).toBe(200);
    } finally {
      await short.drop();
    }
  });
});

describe('every read of personal data is recorded and listed on the case', () => {
  it('records who read a case through the admin API and the case page, and lists it', async () => {
    const { ref } = await fileLabourCase(hub.url);
    const read = (actor?: string) => api<{ views: { at: string; by: string; via: string }[] }>(hub.url, `/api/cases/${ref}`, { token: ADMIN_TOKEN, headers: actor ? { 'X-Actor': actor } : {} });
    await read('officer:wang (labour bureau)');
    const row = await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: ref } });
    const { issueCaseLink } = await import('../../officers/case-link/case-page.js');
    expect((await fetch(await issueCaseLink(hub.db, row, 'slack:U0ZHAO', hub.url))).status).toBe(200);
    const last = await read();
    expect(last.body.views.map((v) => [v.by, v.via])).toEqual([
      ['officer:wang (labour bureau)', 'admin_api'],
      ['slack:U0ZHAO', 'case_page'],
      ['admin-api', 'admin_api'],
    ]);
    const bad = await read('x'.repeat(201));
    expect(bad.status).toBe(400);
  });
});

describe('responses that carry petitions and personal data', () => {
  it('are never cached or sniffed: the admin API, the web chat API and its message lane', async () => {
    const { ref } = await fileLabourCase(hub.url);
    const client = await WebchatClient.open(hub.url, 'zh-CN');
    const responses = [
      await caseRead(ref, `Bearer ${ADMIN_TOKEN}`, '198.51.100.30'),
      await fetch(`${hub.url}/api/stats`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
      await fetch(`${hub.url}/api/webchat/sessions/${client.sessionId}/messages`, { headers: { authorization: `Bearer ${client.token}` } }),
      await fetch(`${hub.url}/api/webchat/sessions/${client.sessionId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: '你好', clientMessageId: 'h1' }),
      }),
      await fetch(`${hub.url}/api/webchat/sessions/${client.sessionId}/messages`, { headers: { authorization: 'Bearer wrong' } }),
    ];
    for (const r of responses) {
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 401]);
    // The widget on other sites still reads the web chat API.
    const created = await api(hub.url, '/api/webchat/sessions', { method: 'POST', json: {}, headers: { origin: 'https://county.example.gov' } });
    expect(created.status).toBe(201);
  });
});
