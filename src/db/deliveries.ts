import type { Db } from './client.js';

/** True the first time a delivery id is seen; a redelivery (Slack's retries) gets false. */
export async function firstDelivery(db: Db, id: string): Promise<boolean> {
  const inserted = await db.$executeRaw`INSERT INTO "ProcessedDelivery" ("id", "createdAt") VALUES (${id}, ${new Date()}) ON CONFLICT ("id") DO NOTHING`;
  return inserted > 0;
}
