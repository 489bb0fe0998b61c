import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

/** Random bytes for 256 ids, drawn at once: asking the OS 16 bytes at a time cost 2 % of a turn. */
const pool = Buffer.alloc(16 * 256);
let used = pool.length;

/**
 * Ids for rows the hub inserts all the time (messages, case events, outbox jobs): UUIDv7 starts
 * with the time, so new keys land at the end of their index instead of on a random page, and each
 * commit writes far fewer pages (docs/benchmarks.md). Ids made in the same millisecond are not
 * ordered among themselves, which costs nothing: they share the index's last page. Not for anything
 * that must be unguessable: session ids and tokens use crypto random bytes.
 */
export function newId(): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const random = pool.subarray(used, used + 16);
  used += 16;
  return v7({ random });
}
