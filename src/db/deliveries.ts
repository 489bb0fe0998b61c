import type { Db } from './client.js';
import type { SqlDb } from './sql-driver.js';
import { execute, sql } from './sql.js';

/** True the first time a delivery id is seen; a redelivery (Slack's retries) gets false. */
export async function firstDelivery(db: Db, id: string, at = new Date()): Promise<boolean> {
  const inserted = await db.$executeRaw`INSERT INTO "ProcessedDelivery" ("id", "createdAt") VALUES (${id}, ${at}) ON CONFLICT ("id") DO NOTHING`;
  return inserted > 0;
}

/** Slack retries a delivery for about an hour and WeChat for seconds: two days covers both with room. */
export const DELIVERY_MEMORY_MS = 2 * 86_400_000;

/**
 * Forgets deliveries no platform will retry any more, so the table stays the size of two days'
 * traffic. Run by the DeadlineScheduler's sweep, on the hub's clock.
 */
export class DeliveryMemory {
  constructor(private readonly db: SqlDb) {}

  async sweep(at: Date): Promise<number> {
    const before = new Date(at.getTime() - DELIVERY_MEMORY_MS);
    await this.db.transaction(function* () {
      yield* execute(sql`DELETE FROM "ProcessedDelivery" WHERE "createdAt" < ${before}`);
    });
    return 0;
  }
}
