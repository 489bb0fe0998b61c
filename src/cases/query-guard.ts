import type { SqlDb } from '../db/sql-driver.js';
import { execute, query, sql } from '../db/sql.js';

/** Failures of one key within the window before it must wait. */
const LIMITS = { ref: 5, addr: 10 } as const;
export const QUERY_GUARD_WINDOW_MS = 15 * 60_000;
/** The first wait; each strike after it doubles, up to a day. */
const FIRST_WAIT_MS = 15 * 60_000;
const MAX_WAIT_MS = 24 * 3_600_000;
/** A key that behaved for a day after its last wait starts again from the first wait. */
const FORGIVE_AFTER_MS = 24 * 3_600_000;

export type GuardKey = `ref:${string}` | `addr:${string}`;

/** The keys a status query counts against: the tracking number asked about, and the client's address when known. */
export function queryKeys(trackingNumber: string, address?: string): GuardKey[] {
  return [`ref:${trackingNumber.toUpperCase()}`, ...(address ? [`addr:${address}` as const] : [])];
}

const limitOf = (key: GuardKey) => (key.startsWith('ref:') ? LIMITS.ref : LIMITS.addr);
const waitFor = (strikes: number) => Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.max(0, strikes - 1));

/**
 * Failed status queries counted per tracking number and per client address, in the database so that
 * every instance counts together (a new session, a new conversation or another instance does not
 * start the count again). Past the limit the key waits, twice as long at each strike. Each statement
 * is atomic on its own, so two instances counting at once lose nothing.
 */
export class QueryGuard {
  constructor(private readonly db: SqlDb) {}

  /** How long any of the keys must still wait (ms), 0 when none is blocked. */
  async waitMs(keys: GuardKey[], now: Date): Promise<number> {
    let longest = 0;
    for (const key of keys) {
      const [row] = await this.db.query<{ blockedUntil: Date | string | null }>(sql`SELECT "blockedUntil" FROM "QueryThrottle" WHERE "key" = ${key}`);
      const until = row?.blockedUntil ? new Date(row.blockedUntil).getTime() : 0;
      longest = Math.max(longest, until - now.getTime());
    }
    return longest;
  }

  /**
   * Forgets keys with nothing left to count: no failure within the window and no wait or strike
   * still to remember. Run by the DeadlineScheduler's sweep, so guessed-at numbers do not pile up.
   */
  async sweep(at: Date): Promise<number> {
    const idle = new Date(at.getTime() - QUERY_GUARD_WINDOW_MS);
    const forgiven = new Date(at.getTime() - FORGIVE_AFTER_MS);
    await this.db.transaction(function* () {
      yield* execute(sql`DELETE FROM "QueryThrottle" WHERE "windowStart" <= ${idle}
        AND ("blockedUntil" IS NULL OR "blockedUntil" <= ${forgiven})`);
    });
    return 0;
  }

  /** A failed query: counted against each key; a key past its limit starts (a longer) wait. */
  async fail(keys: GuardKey[], now: Date): Promise<void> {
    const cutoff = new Date(now.getTime() - QUERY_GUARD_WINDOW_MS);
    const forgiven = new Date(now.getTime() - FORGIVE_AFTER_MS);
    for (const key of keys) {
      const limit = limitOf(key);
      await this.db.transaction(function* () {
        const [row] = yield* query<{ failures: number | bigint; strikes: number | bigint }>(sql`INSERT INTO "QueryThrottle" ("key", "failures", "windowStart", "strikes")
          VALUES (${key}, 1, ${now}, 0)
          ON CONFLICT ("key") DO UPDATE SET
            "failures" = CASE WHEN "QueryThrottle"."windowStart" <= ${cutoff} THEN 1 ELSE "QueryThrottle"."failures" + 1 END,
            "windowStart" = CASE WHEN "QueryThrottle"."windowStart" <= ${cutoff} THEN ${now} ELSE "QueryThrottle"."windowStart" END,
            "strikes" = CASE WHEN "QueryThrottle"."blockedUntil" IS NOT NULL AND "QueryThrottle"."blockedUntil" <= ${forgiven} THEN 0 ELSE "QueryThrottle"."strikes" END
          RETURNING "failures", "strikes"`);
        if (!row || Number(row.failures) < limit) return;
        const strikes = Number(row.strikes) + 1;
        yield* query(sql`UPDATE "QueryThrottle" SET "strikes" = ${strikes}, "failures" = 0, "windowStart" = ${now},
          "blockedUntil" = ${new Date(now.getTime() + waitFor(strikes))} WHERE "key" = ${key} RETURNING "key"`);
      });
    }
  }
}
