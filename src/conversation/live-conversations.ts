import type { Locale } from '../domain.js';
import type { Db } from '../db/client.js';
import { HubError } from '../errors.js';
import type { HubEventBus } from '../events.js';
import { t } from '../i18n.js';
import type { ConversationCache } from './conversation-cache.js';
import type { KeyedLock } from './keyed-lock.js';
import { appendMessages, toView } from './messages.js';

interface LiveDeps {
  db: Db;
  events: HubEventBus;
  now: () => Date;
  lock: KeyedLock;
  cache: ConversationCache;
}

/**
 * Live hand-off: an officer takes a conversation over from the bot and later hands it back. While
 * it is held, ConversationService stores the petitioner's messages without a bot reply.
 */
export class LiveConversations {
  constructor(private readonly deps: LiveDeps) {}

  /** An officer takes the conversation over from the bot (live hand-off). */
  async takeOver(conversationId: string, actor: string): Promise<void> {
    await this.setLiveAgent(conversationId, actor, 'live.taken');
  }

  /** The officer gives the conversation back to the bot, which goes on where it was. */
  async handBack(conversationId: string, actor: string): Promise<void> {
    await this.setLiveAgent(conversationId, null, 'live.released', actor);
  }

  private async setLiveAgent(conversationId: string, agent: string | null, notice: string, actor = agent ?? 'officer') {
    const { db, now, events } = this.deps;
    const conv = await db.conversation.findUnique({ where: { id: conversationId } });
    if (!conv) throw new HubError('session_not_found', 'no such conversation');
    if (agent && conv.liveAgent && conv.liveAgent !== agent) throw new HubError('conflict', 'another officer already holds this conversation');
    const at = now();
    const row = await this.deps.lock.run(conversationId, () =>
      db.$transaction(async (tx) => {
        // Bumping the version makes every instance's cached copy stale, so none answers as the bot.
        await tx.conversation.update({ where: { id: conversationId }, data: { liveAgent: agent, version: { increment: 1 } } });
        const [stored] = await appendMessages(tx, conversationId, [{ role: 'system', text: t(conv.locale as Locale, notice), author: actor }], at);
        return stored;
      }),
    );
    this.deps.cache.evict(conversationId);
    events.emit('message.outbound', { conversationId, channel: conv.channel, message: toView(row) });
  }

  /** An officer's line in a live conversation that has no case yet (or outside the case's own thread). */
  async postOfficerMessage(conversationId: string, text: string, actor: string): Promise<void> {
    const { db, now, events } = this.deps;
    const conv = await db.conversation.findUnique({ where: { id: conversationId }, select: { channel: true } });
    if (!conv) throw new HubError('session_not_found', 'no such conversation');
    const [row] = await db.$transaction((tx) => appendMessages(tx, conversationId, [{ role: 'officer', text, author: actor }], now()));
    events.emit('message.outbound', { conversationId, channel: conv.channel, message: toView(row) });
  }

}
