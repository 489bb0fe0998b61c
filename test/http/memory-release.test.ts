/**
 * The hub as npm start runs it gives back the memory start-up grew once it has been left alone
 * (src/util/memory-release.ts): its young generation, which loading grows to the 64 MiB that
 * --max-semi-space-size=32 allows, is down to a page or two a few seconds after it is ready.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_MODEL_DIR } from '../helpers/hub.js';
import { spawnHub, type HubProcess } from '../helpers/hub-process.js';
import { parsePrometheusText, valueOf } from '../helpers/prometheus-text.js';

const MiB = 1024 * 1024;
let dir: string;
let hub: HubProcess;

async function youngGeneration(): Promise<number> {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  return valueOf(parsePrometheusText(text), 'nodejs_heap_space_size_total_bytes', { space: 'new' });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hub-memory-'));
  hub = await spawnHub({ DATABASE_URL: `file:${join(dir, 'hub.db')}`, MODEL_DIR: TEST_MODEL_DIR });
}, 150_000);

afterAll(async () => {
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a hub left alone after start', () => {
  it('shrinks the young generation that loading grew', async () => {
    expect(await youngGeneration()).toBeGreaterThan(8 * MiB);
    // A scrape is work for the hub too: one every 8 s leaves it the 1 + 6 quiet seconds it needs even
    // on a loaded machine, where a scrape may count as a busy second and start the wait again.
    await vi.waitFor(async () => expect(await youngGeneration()).toBeLessThanOrEqual(2 * MiB), { timeout: 60_000, interval: 8000 });
  }, 90_000);
});
