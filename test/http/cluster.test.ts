import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/lib-hub.js';
import { ADMIN_TOKEN, TEST_MODEL_DIR } from '../helpers/hub.js';
import { completeIntake } from '../helpers/intake.js';
import { createTestDb, TEST_PROVIDER, type TestDb } from '../helpers/test-db.js';
import { WebchatClient } from '../helpers/webchat-client.js';

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

/** The hub's worker processes (tsx also starts an esbuild process, which is not one). */
function workers(pid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === pid && readFileSync(`/proc/${e}/cmdline`, 'utf8').includes('src/main.ts');
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe(`HUB_PROCESSES=2 on ${TEST_PROVIDER}`, () => {
  let testDb: TestDb;
  let hub: ChildProcess;
  let url: string;
  let output = '';

  beforeAll(async () => {
    testDb = await createTestDb();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    hub = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: testDb.url,
        ADMIN_TOKEN,
        MODEL_DIR: TEST_MODEL_DIR,
        LOG_LEVEL: 'warn',
        HUB_PROCESSES: '2',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    hub.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    hub.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    for (let i = 0; i < 600; i++) {
      const ok = await fetch(`${url}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) return;
      if (hub.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the hub did not start:\n${output}`);
  }, 150_000);

  afterAll(async () => {
    if (hub && hub.exitCode === null) {
      hub.kill('SIGTERM');
      await once(hub, 'exit');
    }
    await testDb?.drop();
  });

  it('runs two processes that share the port and the database, and pushes to a socket whichever process acted', async () => {
    expect(workers(hub.pid as number)).toHaveLength(2);
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
});
