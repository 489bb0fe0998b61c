import { v7 } from 'uuid';

/**
 * Ids for rows the hub inserts all the time (messages, case events, outbox jobs): UUIDv7 starts
 * with the time, so new keys land at the end of their index instead of on a random page, and each
 * commit writes far fewer pages (docs/benchmarks.md). Not for anything that must be unguessable:
 * session ids and tokens use crypto random bytes.
 */
export const newId = (): string => v7();
