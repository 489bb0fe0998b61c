import { createHash } from 'node:crypto';
import type { Db } from '../db/client.js';
import { firstDelivery } from '../db/deliveries.js';
import { toView, type MessageView } from '../conversation/messages.js';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');
const PRUNE_EVERY_MS = 60_000;

/**
 * Everything the channels need remembered, kept by the hub on their behalf: which conversation is
 * whose, what each petitioner has been given, and which platform deliveries were already seen.
 * One delivery record for every channel: a message for the petitioner is delivered once
 * `deliveredAt` is set, whether a platform's reply carried it or the push job sent it.
 */
export class ChannelStore {
  private readonly prunedAt = new Map<string, number>();

  constructor(private readonly db: Db) {}

  /** The sender's latest conversation on the channel. */
  async latest(channel: string, senderId: string): Promise<string | null> {
    const conv = await this.db.conversation.findFirst({
      where: { channel, petitioner: { channel, channelUserId: senderId } },
      orderBy: { createdAt: 'desc' },
      select: { id: true },
    });
    return conv?.id ?? null;
  }

  /** What the petitioner has not been given yet, in order. */
  async undelivered(conversationId: string): Promise<MessageView[]> {
    const rows = await this.db.message.findMany({ where: { conversationId, role: { not: 'petitioner' }, deliveredAt: null }, orderBy: { seq: 'asc' } });
    return rows.map(toView);
  }

  async delivered(messageIds: readonly string[], at: Date): Promise<void> {
    if (messageIds.length) await this.db.message.updateMany({ where: { id: { in: [...messageIds] }, deliveredAt: null }, data: { deliveredAt: at } });
  }

  /** The channel's conversations with something still to deliver (after a restart). */
  async waiting(channel: string): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ conversationId: string }[]>`SELECT DISTINCT m."conversationId" FROM "Message" m
      JOIN "Conversation" c ON c."id" = m."conversationId"
      WHERE c."channel" = ${channel} AND m."deliveredAt" IS NULL AND m."role" <> 'petitioner'`;
    return rows.map((r) => r.conversationId);
  }

  /** True the first time a delivery id is seen; a redelivery (a platform's retry) gets false. */
  firstDelivery(id: string, at: Date): Promise<boolean> {
    return firstDelivery(this.db, id, at);
  }

  /**
   * Claim and binding are written in one transaction, so a retry that reaches another instance
   * while the first is being recorded waits for that commit instead of seeing a claim without its
   * binding. Claims are forgotten `keepMs` after they were made (at most once a minute per channel).
   */
  async claimOnce(channel: string, key: string, binding: string, at: Date, keepMs: number): Promise<boolean> {
    const prefix = `${channel}:once:`;
    const claim = `${prefix}${digest(key)}`;
    const bound = `${claim}:${digest(binding)}`;
    const admitted = await this.db.$transaction(async (tx) => {
      const fresh = await tx.$executeRaw`INSERT INTO "ProcessedDelivery" ("id", "createdAt") VALUES (${claim}, ${at}) ON CONFLICT ("id") DO NOTHING`;
      if (fresh > 0) {
        await tx.$executeRaw`INSERT INTO "ProcessedDelivery" ("id", "createdAt") VALUES (${bound}, ${at}) ON CONFLICT ("id") DO NOTHING`;
        return true;
      }
      return (await tx.processedDelivery.count({ where: { id: bound } })) > 0;
    });
    if (at.getTime() - (this.prunedAt.get(channel) ?? 0) >= PRUNE_EVERY_MS) {
      const before = new Date(at.getTime() - keepMs);
      // A failed prune only leaves the table larger until the next one; the claim itself stands.
      const pruned = await this.db.$executeRaw`DELETE FROM "ProcessedDelivery" WHERE "id" LIKE ${`${prefix}%`} AND "createdAt" < ${before}`.then(
        () => true,
        () => false,
      );
      if (pruned) this.prunedAt.set(channel, at.getTime());
    }
    return admitted;
  }
}
