import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { collectStartupGarbage, quietStep, releaseMemoryWhenQuiet, QUIET_RULES, type QuietAction, type QuietState } from '../../src/util/memory-release.js';

const RULES = QUIET_RULES;
const QUIET = 0.01;
const BUSY = 0.5;

/** Plays looks one `everyMs` apart from a state and returns the actions taken. */
function play(utilizations: number[], state: QuietState = { phase: 'rested', since: 0 }): QuietAction[] {
  const actions: QuietAction[] = [];
  utilizations.forEach((u, i) => {
    const step = quietStep(state, (i + 1) * RULES.everyMs, u, RULES);
    state = step.state;
    actions.push(step.action);
  });
  return actions;
}

describe('quietStep', () => {
  it('after work, a minor collection at the first quiet look and a full one once quiet quietMs after it', () => {
    const quietLooks = RULES.quietMs / RULES.everyMs;
    const actions = play([BUSY, BUSY, ...Array<number>(quietLooks + 3).fill(QUIET)]);
    expect(actions.slice(0, 2)).toEqual(['none', 'none']);
    expect(actions[2]).toBe('minor');
    expect(actions.indexOf('full')).toBe(2 + quietLooks);
    expect(actions.filter((a) => a !== 'none')).toEqual(['minor', 'full']);
  });

  it('work before quietMs have passed starts the wait again', () => {
    const quietLooks = RULES.quietMs / RULES.everyMs;
    const actions = play([BUSY, ...Array<number>(quietLooks - 1).fill(QUIET), BUSY, ...Array<number>(quietLooks + 1).fill(QUIET)]);
    expect(actions.slice(0, quietLooks)).not.toContain('full');
    expect(actions.filter((a) => a === 'minor')).toHaveLength(2);
    expect(actions.at(-1)).toBe('full');
  });

  it('an idle thread that has collected is left alone, and light use (under busyShare) is not work', () => {
    expect(play(Array<number>(100).fill(QUIET))).toEqual(Array<QuietAction>(100).fill('none'));
    expect(play(Array<number>(100).fill(RULES.busyShare))).toEqual(Array<QuietAction>(100).fill('none'));
  });

  it('the start counts as the end of work: a hub left alone after it collects once', () => {
    const actions = play(Array<number>(20).fill(QUIET), { phase: 'settling', since: 0 });
    expect(actions.filter((a) => a !== 'none')).toEqual(['full']);
    expect(actions.indexOf('full')).toBe(RULES.quietMs / RULES.everyMs - 1);
  });

  it('for any pattern of looks: a full collection only after quietMs of quiet that began with a minor one, never two for one stretch of work, never while busy', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(QUIET), fc.constant(BUSY), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 200 }), (us) => {
        const actions = play(us);
        let minorAt = -Infinity;
        let workSinceFull = true;
        actions.forEach((a, i) => {
          if (us[i] > RULES.busyShare) {
            expect(a).toBe('none');
            workSinceFull = true;
            minorAt = -Infinity;
          }
          if (a === 'minor') minorAt = i;
          if (a === 'full') {
            expect(workSinceFull).toBe(true);
            expect((i - minorAt) * RULES.everyMs).toBeGreaterThanOrEqual(RULES.quietMs);
            for (let j = minorAt; j <= i; j++) expect(us[j]).toBeLessThanOrEqual(RULES.busyShare);
            workSinceFull = false;
          }
        });
      }),
    );
  });
});

describe('releaseMemoryWhenQuiet', () => {
  const rules = { quietMs: 200, busyShare: 0.5, everyMs: 50 };

  it('collects on its own timer: fully once quiet after the start, then minor and full again after the event loop worked', async () => {
    const calls: string[] = [];
    const watch = releaseMemoryWhenQuiet({ gc: (o) => calls.push(o?.type ?? 'full'), rules });
    try {
      // The pure step's tests pin down the order; on a loaded machine a look may count as busy here.
      await vi.waitFor(() => expect(calls).toContain('full'), { timeout: 5000, interval: 20 });
      const before = calls.length;
      // Keep the event loop busy through more than one look.
      const until = performance.now() + 4 * rules.everyMs;
      while (performance.now() < until) {
        /* busy */
      }
      await vi.waitFor(() => expect(calls.slice(before).join()).toMatch(/minor,full/), { timeout: 5000, interval: 20 });
    } finally {
      watch.stop();
    }
  });

  it('stop() ends the watch', async () => {
    const calls: string[] = [];
    releaseMemoryWhenQuiet({ gc: () => calls.push('gc'), rules }).stop();
    // Wait for a watch started after these to collect: by then a running first one would have too.
    const later: string[] = [];
    const probe = releaseMemoryWhenQuiet({ gc: () => later.push('gc'), rules });
    await vi.waitFor(() => expect(later.length).toBeGreaterThan(0), { timeout: 5000, interval: 20 });
    probe.stop();
    expect(calls).toEqual([]);
  });
});

describe('collectStartupGarbage', () => {
  it('collects twice when gc is exposed and does nothing without it', () => {
    const gc = vi.fn();
    collectStartupGarbage(gc);
    expect(gc).toHaveBeenCalledTimes(2);
    expect(() => collectStartupGarbage(undefined)).not.toThrow();
  });
});
