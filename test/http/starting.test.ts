import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../bench/lib-hub.js';
import { loadConfig } from '../../src/config.js';
import { startHub } from '../../src/hub.js';
import { createTestDb } from '../helpers/test-db.js';

function statusOnNewConnection(url: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).once('error', reject);
  });
}

describe('a hub that is starting', () => {
  it('answers every request with 503 not_ready and Retry-After, never a 404 for a session that exists', { timeout: 120_000 }, async () => {
    const db = await createTestDb();
    // A model directory of its own: the hub trains its models, which leaves time to ask it things.
    const models = mkdtempSync(join(tmpdir(), 'hub-models-'));
    const port = await freePort();
    const config = loadConfig({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: db.url, MODEL_DIR: models, LOG_LEVEL: 'silent', NLU_THREADS: '0', SQLITE_WRITER_THREAD: 'false' });
    const starting = startHub(config, { logger: pino({ level: 'silent' }) });
    try {
      const base = `http://127.0.0.1:${port}`;
      let health: Response | undefined;
      while (!health) health = await fetch(`${base}/healthz`).catch(() => new Promise<undefined>((resolve) => setTimeout(resolve, 20)));
      expect(health.status).toBe(503);
      const r = await fetch(`${base}/api/webchat/sessions/wc_someone/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
        body: JSON.stringify({ text: '你好', clientMessageId: 'c1' }),
      });
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('1');
      expect((await r.json()) as unknown).toMatchObject({ error: { code: 'not_ready' } });
      await starting;
      // On a new connection: while the models trained, the server closed the idle keep-alive one
      // (after its 5 s keepAliveTimeout), and fetch's pool may hand back that socket just as it closes.
      expect(await statusOnNewConnection(`${base}/healthz`)).toBe(200);
    } finally {
      await starting.then((h) => h.close()).catch(() => undefined);
      await db.drop();
      rmSync(models, { recursive: true, force: true });
    }
  });
});
