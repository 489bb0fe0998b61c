import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, TEST_MODEL_DIR } from '../helpers/hub.js';
import { spawnHub, type HubProcess } from '../helpers/hub-process.js';

const dir = mkdtempSync(join(tmpdir(), 'hub-reload-'));
const modelDir = join(dir, 'models');
let hub: HubProcess;
let url: string;

async function classify(text: string): Promise<string> {
  const r = await fetch(`${url}/api/nlu/classify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ text }),
  });
  return ((await r.json()) as { category: { code: string } }).category.code;
}

beforeAll(async () => {
  // The intent model trained once for the suite, so this hub starts quickly.
  for (const f of readdirSync(TEST_MODEL_DIR).filter((f) => f.startsWith('intents-'))) cpSync(join(TEST_MODEL_DIR, f), join(modelDir, f));
  hub = await spawnHub({ DATABASE_URL: `file:${join(dir, 'hub.db')}`, ADMIN_TOKEN, MODEL_DIR: modelDir, LOG_LEVEL: 'info' });
  url = hub.url;
}, 150_000);

afterAll(async () => {
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a routing model trained while the hub runs', () => {
  it('takes over on SIGHUP, without a restart', async () => {
    // A word no built-in example has, which the deployment's history files under health.
    const probe = '关于qzvx的事情';
    const before = await classify(probe);
    const history = join(dir, 'history.jsonl');
    const rows = Array.from({ length: 30 }, (_, i) => JSON.stringify({ text: `qzvx 第${i}次 qzvx`, category: before === 'health' ? 'transport' : 'health' }));
    writeFileSync(history, `${rows.join('\n')}\n`);
    const trained = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/train.ts', '--cases', history, '--model-dir', modelDir], { encoding: 'utf8' });
    expect(trained.status).toBe(0);
    const expected = before === 'health' ? 'transport' : 'health';
    hub.process.kill('SIGHUP');
    let now = before;
    for (let i = 0; i < 100 && now !== expected; i++) {
      await new Promise((r) => setTimeout(r, 100));
      now = await classify(probe);
    }
    expect(now).toBe(expected);
    expect(hub.output()).toContain('routing model reloaded');
    expect(hub.output()).toContain('"source":"trained"');
  }, 60_000);
});
