import type { Db } from '../db/client.js';
import type { HubEventBus } from '../events.js';
import type { Outbox } from './outbox.js';
import type { Prisma } from '../../generated/sqlite/client.js';

/**
 * For channels the hub pushes to (a Slack DM, WeChat's customer-service API): every message for the
 * petitioner that was not a direct reply queues the conversation's push job. A message whose job was
 * never queued (a crash in between) goes out with the next one, and on start every conversation with
 * something unsent is queued again.
 */
export async function schedulePushes(
  deps: { db: Db; outbox: Outbox; events: HubEventBus },
  channel: string,
  kind: string,
  /** How the channel's pusher tells what is still to send (see its job). */
  unsent: (c: { id: string; pushedSeq: number }) => Prisma.MessageWhereInput,
): Promise<void> {
  deps.events.on('message.outbound', (e) => {
    if (e.channel === channel) void deps.outbox.enqueue(kind, e.conversationId);
  });
  const conversations = await deps.db.conversation.findMany({ where: { channel }, select: { id: true, pushedSeq: true } });
  for (const c of conversations) {
    if (await deps.db.message.count({ where: { conversationId: c.id, ...unsent(c) } })) await deps.outbox.enqueue(kind, c.id);
  }
}

/** Everything not from the petitioner after the last message pushed (Slack DM, Wechaty). */
export const afterPushedSeq = (c: { pushedSeq: number }): Prisma.MessageWhereInput => ({ seq: { gt: c.pushedSeq }, role: { not: 'petitioner' } });
