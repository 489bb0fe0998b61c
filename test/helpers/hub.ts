import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { startHub, type Hub } from '../../src/hub.js';
import { createTestDb, type TestDb } from './test-db.js';

/** Trained models are cached here across test files (keyed by corpus hash), as the hub caches them in data/. */
export const TEST_MODEL_DIR = join(tmpdir(), 'hub-test-models');
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestHub extends Hub {
  databaseUrl: string;
  testDb: TestDb;
  /** Stops the hub; the database stays (for restart tests) until drop(). */
  stop(): Promise<void>;
  drop(): Promise<void>;
}

export interface TestHubOptions {
  env?: Record<string, string>;
  now?: () => Date;
  /** Reuse the database of an earlier hub (restart). */
  db?: TestDb;
  wechatyPuppet?: unknown;
}

/** A real hub on a loopback port over a real database of the provider under test. */
export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const db = options.db ?? (await createTestDb());
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    ADMIN_TOKEN,
    MODEL_DIR: TEST_MODEL_DIR,
    LOG_LEVEL: 'silent',
    // Threads per hub would load the models again for each of the suite's many hubs; the thread
    // paths have their own tests (nlu-threads.test.ts, turn-thread.test.ts). TEST_HUB_THREADS=1
    // runs the whole suite with an NLU thread and a SQLite writer thread in every hub instead.
    ...(process.env.TEST_HUB_THREADS === '1' ? { NLU_THREADS: '1', SQLITE_WRITER_THREAD: 'true' } : { NLU_THREADS: '0', SQLITE_WRITER_THREAD: 'false' }),
    // Warming up costs each hub about 2 s of start-up; test/nlu/warm-up*.test.ts test it.
    NLU_WARM_UP: 'false',
    // Stored attachments live beside the test's database, never in the working tree's data/.
    ATTACHMENTS_DIR: join(tmpdir(), 'hub-test-attachments', randomBytes(6).toString('hex')),
    // TEST_PERSONAL_DATA_KEYS runs the suite with personal data encrypted at rest in every hub.
    ...(process.env.TEST_PERSONAL_DATA_KEYS ? { PERSONAL_DATA_KEYS: process.env.TEST_PERSONAL_DATA_KEYS } : {}),
    ...options.env,
  });
  const hub = await startHub(config, { now: options.now, wechatyPuppet: options.wechatyPuppet, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await hub.close();
  };
  return Object.assign(hub, { databaseUrl: db.url, stop, drop: async () => { await stop(); await db.drop(); }, testDb: db });
}
