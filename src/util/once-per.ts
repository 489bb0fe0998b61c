/** `fn`, called at most once per `ms` (later calls in the window are dropped): for log lines a failure would repeat on every request. */
export function oncePer<A extends unknown[]>(ms: number, fn: (...args: A) => void): (...args: A) => void {
  let last = -Infinity;
  return (...args) => {
    const now = Date.now();
    if (now - last < ms) return;
    last = now;
    fn(...args);
  };
}
