import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/util/atomic-file.js';

const dir = mkdtempSync(join(tmpdir(), 'atomic-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Two other processes save a large model to the same file over and over, as two hub instances
// starting at once on one data folder do, while this one reads it.
const WRITER = `
const { writeFileAtomic } = await import(process.argv[2]);
const [path, tag, rounds, plain] = process.argv.slice(3);
const text = JSON.stringify({ tag, weights: Array.from({ length: 200000 }, (_, i) => i % 97) });
const { writeFileSync } = await import('node:fs');
for (let i = 0; i < Number(rounds); i++) (plain === '1' ? writeFileSync : writeFileAtomic)(path, text);
`;

async function race(plain: boolean): Promise<{ reads: number; torn: number }> {
  const path = join(dir, plain ? 'plain.json' : 'atomic.json');
  writeFileAtomic(path, JSON.stringify({ tag: 'start' }));
  const script = join(dir, 'writer.mjs');
  writeFileSync(script, WRITER);
  const module = new URL('../../src/util/atomic-file.ts', import.meta.url).href;
  const writers = ['a', 'b'].map((tag) => fork(script, [module, path, tag, '40', plain ? '1' : '0'], { execArgv: ['--import', 'tsx'], stdio: 'ignore' }));
  const done = Promise.all(writers.map((w) => new Promise((resolve) => w.on('exit', resolve))));
  let running = true;
  void done.then(() => (running = false));
  let reads = 0;
  let torn = 0;
  while (running) {
    reads++;
    try {
      JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      torn++;
    }
    await new Promise((r) => setImmediate(r));
  }
  return { reads, torn };
}

// With plain writeFileSync in the writers (the race's `plain` switch) this reader sees torn files at
// once on this machine; that direction is not a test of its own, since it depends on timing.
describe('writeFileAtomic', () => {
  it('never lets a reader see part of a file, with two processes writing it at once', async () => {
    const { reads, torn } = await race(false);
    expect(reads).toBeGreaterThan(10);
    expect(torn).toBe(0);
    // Nothing of the writers' temporary files is left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
