import { describe, expect, it } from 'vitest';
import { ThreadCalls } from '../../src/util/thread-rpc.js';

describe('worker threads', () => {
  // npm start gives the hub's thread a 32 MB young generation (--max-semi-space-size=32), a flag
  // every isolate of the process would take; a worker keeps no state between calls and needs none.
  it('get a small young generation of their own, whatever the hub thread has', async () => {
    const thread = new ThreadCalls<null, number>(new URL('../fixtures/young-generation-worker.mjs', import.meta.url), null, () => undefined);
    await thread.started;
    const newSpaceMiB = await thread.call(null);
    await thread.stop();
    // Two semi-spaces of 8 MB at most.
    expect(newSpaceMiB).toBeGreaterThan(0);
    expect(newSpaceMiB).toBeLessThanOrEqual(16);
  });
});
