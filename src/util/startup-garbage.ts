/**
 * Loading the models and the rest of start-up leave tens of MiB of garbage and a heap grown to hold
 * it. V8 hands that memory back only once it has seen the process idle for a while (its memory
 * reducer, about 40 s after start here), so a hub that just said it is ready would hold some 70 MiB
 * it does not use, and one that goes straight to work keeps it longer. npm start runs node with
 * --expose-gc so that each thread can collect once, when it has loaded and before it takes work:
 * the first full collection frees the garbage, the second gives the emptied pages back to the
 * system (docs/benchmarks.md, "Memory against open conversations"). Without the flag (tests, a
 * hub embedded elsewhere) this does nothing and V8 does it later on its own.
 */
export function collectStartupGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return;
  gc();
  gc();
}
