import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/**
 * Handing memory back to the system when a thread has nothing to do.
 *
 * Loading the models and a burst of traffic leave garbage and a heap grown to hold it. V8 gives that
 * back on its own only once its memory reducer has seen the process idle for a while (about 40 s
 * here, and at 10,000 open conversations not within a minute), and the young generation (up to
 * 64 MiB with `--max-semi-space-size=32`) only at a collection that follows 5 s of little
 * allocation. npm start runs node with --expose-gc so that each thread can do it itself: once when it
 * has loaded, and again whenever it has worked and then been quiet for a few seconds
 * (docs/benchmarks.md, "Where the memory goes", third pass). Without the flag (tests, a hub
 * embedded elsewhere) none of this runs and V8 does it later on its own.
 */

type Gc = (options?: { type: 'minor' | 'major' }) => void;

function exposedGc(): Gc | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as Gc) : undefined;
}

/** Collects twice: the first frees the start-up garbage, the second returns the emptied pages. */
export function collectStartupGarbage(gc: Gc | undefined = exposedGc()): void {
  if (!gc) return;
  gc();
  gc();
}

/**
 * What the quiet watch remembers between two looks at the event loop: whether the thread has worked
 * since it last collected ('worked'), has been quiet since `since` after a minor collection closed
 * the stretch of work ('settling'), or has collected and rests ('rested').
 */
export interface QuietState {
  phase: 'worked' | 'settling' | 'rested';
  /** When the phase began (ms, performance.now()). */
  since: number;
}

export interface QuietRules {
  /** How long the thread must be quiet after the minor collection. V8 shrinks the young generation only at a collection after 5 s of little allocation. */
  quietMs: number;
  /** The share of a look's interval the event loop may spend busy and still count as quiet (timers, pollers). */
  busyShare: number;
  /** How often to look (ms). */
  everyMs: number;
}

export const QUIET_RULES: QuietRules = { quietMs: 6000, busyShare: 0.05, everyMs: 1000 };

/** What a look asks for: nothing, a minor collection (ends V8's record of the work's allocation), or a full one. */
export type QuietAction = 'none' | 'minor' | 'full';

/**
 * One look at the event loop: `utilization` is the share of the time since the last look that it
 * spent running code. After work, the first quiet look collects the young generation, so that V8's
 * allocation rate no longer counts what the work allocated; once the thread has stayed quiet
 * `quietMs` after that, a full collection returns the old generation's free pages and shrinks the
 * young one. Never twice for one stretch of work, so an idle hub is left alone.
 */
export function quietStep(state: QuietState, now: number, utilization: number, rules: QuietRules = QUIET_RULES): { state: QuietState; action: QuietAction } {
  if (utilization > rules.busyShare) return { state: { phase: 'worked', since: now }, action: 'none' };
  if (state.phase === 'worked') return { state: { phase: 'settling', since: now }, action: 'minor' };
  if (state.phase === 'settling' && now - state.since >= rules.quietMs) return { state: { phase: 'rested', since: now }, action: 'full' };
  return { state, action: 'none' };
}

export interface QuietWatchOptions {
  /** V8's gc() as --expose-gc gives it: no argument for a full collection, { type: 'minor' } for the young generation. */
  gc?: Gc;
  rules?: QuietRules;
}

/**
 * Watches this thread's event loop and collects after work followed by quiet (quietStep). It starts
 * right after collectStartupGarbage, which closed the start-up's allocation, so a hub that was
 * started and left alone gives back its grown young generation `quietMs` later. The timer never
 * keeps the thread alive. Returns how to stop watching; does nothing without a gc function.
 */
export function releaseMemoryWhenQuiet(options: QuietWatchOptions = {}): { stop(): void } {
  const gc = options.gc ?? exposedGc();
  if (!gc) return { stop() {} };
  const rules = options.rules ?? QUIET_RULES;
  let state: QuietState = { phase: 'settling', since: performance.now() };
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const step = quietStep(state, performance.now(), performance.eventLoopUtilization(last).utilization, rules);
    state = step.state;
    if (step.action === 'minor') gc({ type: 'minor' });
    else if (step.action === 'full') gc();
    // Measured after the collection, so that its own pause does not count as work and start another.
    last = performance.eventLoopUtilization();
  }, rules.everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
