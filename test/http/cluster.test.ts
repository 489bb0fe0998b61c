import { request } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, TEST_MODEL_DIR } from '../helpers/hub.js';
import { spawnHub, type HubProcess } from '../helpers/hub-process.js';
import { completeIntake } from '../helpers/intake.js';
import { createTestDb, TEST_PROVIDER, type TestDb } from '../helpers/test-db.js';
import { WebchatClient } from '../helpers/webchat-client.js';
import { parsePrometheusText, valueOf } from '../helpers/prometheus-text.js';
import { startArgs } from '../../scripts/start-command.js';

/** The script npm start runs, which the cluster's workers run too. */
const ENTRY = startArgs(process.cwd()).at(-1) as string;

/** A POST on a new TCP connection each time, so that the cluster hands each to a process of its choosing. */
function postFresh(url: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** A request on a new TCP connection (any process may take it): its status and body. */
function fresh(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = init.body === undefined ? undefined : JSON.stringify(init.body);
    const headers = { ...init.headers, ...(data ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(data)) } : {}) };
    const req = request(url, { method: init.method ?? 'GET', agent: false, headers });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** The hub's worker processes (tsx also starts an esbuild process, which is not one). */
function workers(pid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === pid && readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(ENTRY);
      } catch {
        return false;
      }
    })
    .map(Number);
}

// The processes relay pushes through the primary; with REDIS_URL (CI's Redis), through Redis instead
// and with the database poll off, so a push can only have come that way, and only once.
const REDIS_URL = process.env.TEST_REDIS_URL;
const relays: { relay: string; env: Record<string, string> }[] = [
  { relay: 'the primary', env: {} },
  ...(REDIS_URL ? [{ relay: 'Redis', env: { REDIS_URL, REDIS_PREFIX: `hub-cluster-${process.pid}`, WEBCHAT_PUSH_POLL_MS: '3600000' } }] : []),
];

describe.each(relays)(`HUB_PROCESSES=2 on ${TEST_PROVIDER}, relaying through $relay`, ({ env }) => {
  let testDb: TestDb;
  let hub: HubProcess;
  let url: string;

  beforeAll(async () => {
    testDb = await createTestDb();
    hub = await spawnHub({ DATABASE_URL: testDb.url, ADMIN_TOKEN, MODEL_DIR: TEST_MODEL_DIR, HUB_PROCESSES: '2', ...env });
    url = hub.url;
  }, 150_000);

  afterAll(async () => {
    await hub?.stop();
    await testDb?.drop();
  });

  it('runs two processes that share the port and the database, and pushes to a socket whichever process acted', async () => {
    expect(workers(hub.process.pid as number)).toHaveLength(2);
    const client = await WebchatClient.open(url, 'zh-CN');
    const { trackingNumber } = await completeIntake(
      client,
      '我们小区门口的路灯坏了两个月,晚上特别黑,已经有老人摔倒了。',
      { location: '杭州市西湖区文三路', time: '两个月前', desiredOutcome: '尽快修好路灯', priorAttempts: '打过物业电话', contactName: '张女士', contactPhone: '13500001111' },
      client.greeting,
    );
    const socket = await client.connect();
    try {
      // Each on a new connection: with two processes taking turns, some land where the socket is not.
      const texts = ['第一次回复', '第二次回复', '第三次回复', '第四次回复'];
      for (const text of texts) {
        expect(await postFresh(`${url}/api/cases/${trackingNumber}/actions`, { action: 'reply', text, actor: 'officer:li' })).toBe(200);
        const pushed = await socket.next();
        expect(pushed.role).toBe('officer');
        expect(pushed.text).toContain(text);
      }
    } finally {
      socket.close();
    }
    const history = await client.history();
    expect(history.filter((m) => m.role === 'officer')).toHaveLength(4);
  }, 60_000);

  it('answers /metrics for the whole cluster, whichever process takes the scrape', async () => {
    const scrape = async () => {
      const r = await fresh(`${url}/metrics`);
      expect(r.status).toBe(200);
      return parsePrometheusText(r.text);
    };
    const taken = { channel: 'webchat', outcome: 'taken' };
    const before = valueOf(await scrape(), 'hub_messages_received_total', taken);
    const client = await WebchatClient.open(url, 'zh-CN');
    // Each on a new connection: the processes take turns, so both count some of them.
    const texts = ['你好', '我想反映个问题', '我们小区的路灯坏了', '已经一个多月了', '晚上很黑', '老人出门不方便'];
    for (const [i, text] of texts.entries()) {
      const r = await fresh(`${url}/api/webchat/sessions/${client.sessionId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${client.token}` },
        body: { text, clientMessageId: `cluster-metrics-${i}` },
      });
      expect(r.status).toBe(200);
    }
    // Whichever process answers, the figures are the cluster's: both processes, every message.
    for (let i = 0; i < 4; i++) {
      const m = await scrape();
      expect(valueOf(m, 'hub_processes')).toBe(2);
      expect(valueOf(m, 'hub_messages_received_total', taken) - before).toBe(texts.length);
      expect(valueOf(m, 'hub_turn_duration_seconds_count', { channel: 'webchat' })).toBeGreaterThanOrEqual(texts.length);
    }
  }, 60_000);
});
