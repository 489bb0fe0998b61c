import { createHash } from 'node:crypto';
import type { Db } from '../../src/db/client.js';
import type { Logger } from '../../src/logger.js';

const PREFIX = 'wechat-oa:nonce:';
const PRUNE_EVERY_MS = 60_000;

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * What stays the same when WeChat retries a callback: the fields WeChat says to deduplicate by (MsgId;
 * for events, which have none, sender and CreateTime), with the type and, for text, the words.
 * Metadata beyond these is left out so a retry never fails to match.
 */
export function retryIdentity(f: Record<string, string>): string {
  return JSON.stringify([f.FromUserName, f.ToUserName, f.MsgType, f.MsgId, f.CreateTime, f.Event, f.Content].map((v) => v ?? ''));
}

/**
 * Refuses a callback whose timestamp and nonce already came with a different message.
 *
 * Why not simply "a nonce once": WeChat retries a slow callback with the same timestamp, nonce and
 * signature, and an error to a retry makes the follower see "该公众号暂时无法提供服务". So a nonce is
 * bound to the first message it carried; that message again is a retry and goes on to the MsgId /
 * event deduplication, which answers it as before, while any other message under it is a replay.
 * An identical replay gains nothing: it is deduplicated like a retry (and in safe mode answered sealed).
 *
 * Why the database: every instance shares it, and ProcessedDelivery is already the table of deliveries
 * seen (Slack's and WeChat's retries); the hub's Redis link is not given to channels and only offers
 * rate-limit stores. Claim and binding are written in one transaction, so a retry that reaches another
 * instance while the first is being recorded waits for that commit instead of seeing a claim without
 * its message.
 */
export class NonceGuard {
  private prunedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    private readonly logger: Logger,
    /** How far a timestamp may be from the clock, either way. */
    private readonly windowS: number,
  ) {}

  /** True for the first message under this timestamp and nonce, and for retries of it. */
  async admit(timestamp: string, nonce: string, message: string): Promise<boolean> {
    const claim = `${PREFIX}${digest(`${timestamp}\n${nonce}`)}`;
    const binding = `${claim}:${digest(message)}`;
    const at = this.now();
    const admitted = await this.db.$transaction(async (tx) => {
      const fresh = await tx.$executeRaw`INSERT INTO "ProcessedDelivery" ("id", "createdAt") VALUES (${claim}, ${at}) ON CONFLICT ("id") DO NOTHING`;
      if (fresh > 0) {
        await tx.$executeRaw`INSERT INTO "ProcessedDelivery" ("id", "createdAt") VALUES (${binding}, ${at}) ON CONFLICT ("id") DO NOTHING`;
        return true;
      }
      return (await tx.processedDelivery.count({ where: { id: binding } })) > 0;
    });
    await this.prune(at);
    return admitted;
  }

  /**
   * A timestamp is accepted until a window after it, and it may itself be a window ahead of the clock
   * that stored it: past two windows (and a minute for clocks apart) the timestamp check refuses any replay.
   */
  private async prune(at: Date): Promise<void> {
    if (at.getTime() - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = at.getTime();
    const before = new Date(at.getTime() - (2 * this.windowS + 60) * 1000);
    try {
      await this.db.$executeRaw`DELETE FROM "ProcessedDelivery" WHERE "id" LIKE ${`${PREFIX}%`} AND "createdAt" < ${before}`;
    } catch (err) {
      this.logger.warn({ err }, 'could not prune old WeChat nonces');
    }
  }
}
