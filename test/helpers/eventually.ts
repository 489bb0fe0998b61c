/**
 * Polls `read` until `done` accepts its value (a condition, never a timing claim: the limit is only
 * there so a broken test fails instead of hanging).
 */
export async function eventually<T>(read: () => Promise<T> | T, done: (value: T) => boolean, limitMs = 15_000): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}
