import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../src/db/client.js';
import { HubError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { ConversationService } from '../../src/conversation/conversation-service.js';
import { deliverableText, toView } from '../../src/conversation/messages.js';
import { checkText } from '../../src/http/validate.js';
import type { Outbox } from '../../src/outbox/outbox.js';
import { escapeMrkdwn } from '../../src/slack/mrkdwn.js';
import { retryable } from '../../src/slack/slack-errors.js';
import { firstDelivery } from '../../src/db/deliveries.js';

export const DM_JOB = 'slack.dm';

/**
 * Delivers, in order, everything in a Slack DM conversation the petitioner has not been sent yet
 * (the bot's replies, officers' messages, status notices), remembering how far it got.
 */
export function dmPusher(db: Db, client: WebClient) {
  return async (conversationId: string): Promise<void> => {
    const conv = await db.conversation.findUnique({ where: { id: conversationId }, include: { petitioner: true } });
    if (!conv) return;
    const pending = await db.message.findMany({
      where: { conversationId, seq: { gt: conv.pushedSeq }, role: { not: 'petitioner' } },
      orderBy: { seq: 'asc' },
    });
    for (const row of pending) {
      const m = toView(row);
      const text = escapeMrkdwn(deliverableText(m));
      const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } }];
      if (m.expects?.options?.length) {
        blocks.push({
          type: 'actions',
          elements: m.expects.options.slice(0, 25).map((o) => ({
            type: 'button' as const,
            action_id: `intake:reply:${o.value}`,
            value: JSON.stringify({ c: conversationId, v: o.value }),
            text: { type: 'plain_text' as const, text: o.label.slice(0, 75) },
          })),
        });
      }
      try {
        await client.chat.postMessage({ channel: conv.petitioner.channelUserId, text, blocks, unfurl_links: false, unfurl_media: false });
      } catch (err) {
        throw retryable(err);
      }
      await db.conversation.update({ where: { id: conversationId }, data: { pushedSeq: row.seq } });
    }
  };
}

interface DirectMessage {
  channel_type?: string;
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts: string;
}

/** An employee who writes to the bot directly goes through the same intake as on any other channel. */
export function registerDmIntake(app: App, deps: { db: Db; conversations: ConversationService; outbox: Outbox; logger: Logger }): void {
  const { conversations, outbox } = deps;

  async function take(user: string, text: string, clientMessageId: string, conversationId?: string) {
    const id = conversationId ?? (await conversations.conversationFor('slack', user, 'zh-CN')).conversationId;
    try {
      await conversations.receive(id, checkText(text), clientMessageId);
    } catch (err) {
      if (!(err instanceof HubError)) throw err;
      // Too long or empty: tell the person instead of dropping their message silently.
      await app.client.chat.postMessage({ channel: user, text: escapeMrkdwn(`Sorry, that message could not be taken: ${err.message}`) }).catch(() => undefined);
    }
    await outbox.enqueue(DM_JOB, id);
  }

  app.event('message', async ({ event, body }) => {
    const m = event as unknown as DirectMessage; // Bolt's message union; only plain messages in a DM matter here
    if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user || m.text === undefined) return;
    if (!(await firstDelivery(deps.db, `slack:dm:${body.event_id}`))) return;
    await take(m.user, m.text, `slack:${m.ts}`);
  });

  app.action<BlockAction<ButtonAction>>(/^intake:reply:/, async ({ ack, body, action }) => {
    await ack();
    const { c, v } = JSON.parse(action.value ?? '{}') as { c?: string; v?: string };
    if (!c || !v) return;
    const conv = await deps.db.conversation.findUnique({ where: { id: c }, include: { petitioner: true } });
    // A button is only ever honoured for the person whose conversation it belongs to.
    if (!conv || conv.petitioner.channel !== 'slack' || conv.petitioner.channelUserId !== body.user.id) return;
    await take(body.user.id, v, `slack-action:${action.action_ts}`, c);
  });
}
