import type { Db } from '../db/client.js';
import type { HubEventBus } from '../events.js';
import type { Outbox } from './outbox.js';

/**
 * For channels the hub pushes to (a Slack DM, WeChat's customer-service API): every message for the
 * petitioner that was not a direct reply queues the conversation's push job. A message whose job was
 * never queued (a crash in between) goes out with the next one, and on start every conversation with
 * something unsent is queued again.
 */
export async function schedulePushes(deps: { db: Db; outbox: Outbox; events: HubEventBus }, channel: string, kind: string, roles: string[]): Promise<void> {
  deps.events.on('message.outbound', (e) => {
    if (e.channel === channel) void deps.outbox.enqueue(kind, e.conversationId);
  });
  const behind = await deps.db.conversation.findMany({
    where: { channel, messages: { some: { role: { in: roles } } } },
    select: { id: true, pushedSeq: true },
  });
  for (const c of behind) {
    const unsent = await deps.db.message.count({ where: { conversationId: c.id, seq: { gt: c.pushedSeq }, role: { in: roles } } });
    if (unsent) await deps.outbox.enqueue(kind, c.id);
  }
}
