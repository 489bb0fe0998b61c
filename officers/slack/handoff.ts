import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../src/db/client.js';
import type { Details } from '../../src/domain.js';
import { HubError } from '../../src/errors.js';
import type { HubEventBus } from '../../src/events.js';
import type { ConversationService } from '../../src/conversation/conversation-service.js';
import { RetryLater, type Outbox } from '../../src/outbox/outbox.js';
import { redact } from '../../src/cases/redaction.js';
import { escapeMrkdwn } from '../../src/slack/mrkdwn.js';
import type { MembershipCheck } from './membership.js';
import { retryable } from '../../src/slack/slack-errors.js';
import type { OfficeTexts } from './office-texts.js';

export const HANDOFF_JOB = 'slack.handoff';
export const LIVE_JOB = 'slack.live';

interface HandoffDeps {
  db: Db;
  client: WebClient;
  intakeChannel: string;
  texts: OfficeTexts;
}

const button = (action: string, text: string, conversationId: string, style?: 'primary') => ({
  type: 'button' as const,
  action_id: action,
  value: conversationId,
  text: { type: 'plain_text' as const, text },
  ...(style ? { style } : {}),
});

/**
 * A petitioner asked for a person: the request goes where officers will see it — the case's thread
 * when the case is filed and on a card, else the general intake channel with the conversation so
 * far (redacted) — with a button to take the conversation over.
 */
export function handoffRequest(deps: HandoffDeps) {
  return async (conversationId: string): Promise<void> => {
    const { db, client, texts: tx } = deps;
    const conv = await db.conversation.findUnique({ where: { id: conversationId }, include: { slackLiveThread: true } });
    if (!conv) return;
    const c = await db.case.findFirst({ where: { conversationId }, orderBy: { createdAt: 'desc' }, include: { slackCard: true } });
    if (c && !c.slackCard?.ts) throw new RetryLater(2000, 'the case card is not posted yet');
    const take = { type: 'actions' as const, elements: [button('handoff:take', tx.t('handoff.take'), conversationId, 'primary')] };
    const liveIn = (place: { channel: string; ts: string | null }) =>
      db.slackLiveThread.upsert({ where: { conversationId }, create: { conversationId, ...place }, update: place });
    try {
      const live = conv.slackLiveThread;
      if (live?.ts) {
        const again = tx.t('handoff.again');
        await client.chat.postMessage({ channel: live.channel, thread_ts: live.ts, text: again, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: again } }, take] });
        return;
      }
      const card = c?.slackCard;
      if (c && card?.ts) {
        await client.chat.postMessage({ channel: card.channel, thread_ts: card.ts, text: tx.t('handoff.case', { ref: c.trackingNumber }), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: tx.t('handoff.case', { ref: `*${c.trackingNumber}*` }) } }, take] });
        await liveIn({ channel: card.channel, ts: card.ts });
        return;
      }
      const said = await db.message.findMany({ where: { conversationId, role: 'petitioner' }, orderBy: { seq: 'desc' }, take: 8 });
      const state = JSON.parse(conv.state) as { details?: Details };
      const lines = said.reverse().map((m) => `> ${escapeMrkdwn(redact(m.text, state.details ?? {})).slice(0, 500)}`);
      const posted = await client.chat.postMessage({
        channel: deps.intakeChannel,
        text: tx.t('handoff.unfiled', { channel: tx.of('channel', conv.channel) }),
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: tx.t('handoff.unfiledBlock', { channel: tx.of('channel', conv.channel), lines: lines.join('\n') || tx.t('handoff.nothing') }).slice(0, 3000) } },
          take,
        ],
        unfurl_links: false,
      });
      await liveIn({ channel: posted.channel ?? deps.intakeChannel, ts: posted.ts ?? null });
    } catch (err) {
      throw retryable(err);
    }
  };
}

/** While an officer holds the conversation, what the petitioner writes appears in the live thread. */
export function liveMirror(db: Db, client: WebClient, tx: OfficeTexts) {
  return async (messageId: string): Promise<void> => {
    const m = await db.message.findUnique({ where: { id: messageId }, include: { conversation: { include: { slackLiveThread: true } } } });
    if (!m) return;
    const conv = m.conversation;
    const live = conv.slackLiveThread;
    if (!live?.ts) throw new RetryLater(2000, 'the hand-off request is not posted yet');
    const details = (JSON.parse(conv.state) as { details?: Details }).details ?? {};
    try {
      await client.chat.postMessage({ channel: live.channel, thread_ts: live.ts, text: tx.t('petitioner.said', { text: escapeMrkdwn(redact(m.text, details)) }), unfurl_links: false });
    } catch (err) {
      throw retryable(err);
    }
  };
}

export function registerHandoff(
  app: App,
  deps: { db: Db; conversations: ConversationService; outbox: Outbox; events: HubEventBus; members: MembershipCheck; texts: OfficeTexts },
): void {
  const { db, conversations, outbox, events, members, texts: tx } = deps;
  events.on('human.requested', ({ conversationId }) => void outbox.enqueue(HANDOFF_JOB, conversationId));
  events.on('conversation.live_message', ({ messageId }) => void outbox.enqueue(LIVE_JOB, messageId));

  app.action<BlockAction<ButtonAction>>(/^handoff:(take|release)$/, async ({ ack, body, action, client }) => {
    await ack();
    const conversationId = action.value ?? '';
    const live = await db.slackLiveThread.findUnique({ where: { conversationId } });
    const user = body.user.id;
    if (!live?.ts || !(await members.isMember(client, live.channel, user))) return;
    const thread = { channel: live.channel, thread_ts: live.ts };
    const say = (text: string, blocks?: object[]) => client.chat.postMessage({ ...thread, text, ...(blocks ? { blocks: blocks as never } : {}) });
    try {
      if (action.action_id === 'handoff:take') {
        await conversations.live.takeOver(conversationId, `slack:${user}`);
        const text = tx.t('handoff.taken', { user });
        await say(text, [{ type: 'section', text: { type: 'mrkdwn', text } }, { type: 'actions', elements: [button('handoff:release', tx.t('handoff.release'), conversationId)] }]);
      } else {
        await conversations.live.handBack(conversationId, `slack:${user}`);
        await say(tx.t('handoff.released', { user }));
      }
    } catch (err) {
      if (!(err instanceof HubError)) throw err;
      await client.chat.postEphemeral({ channel: live.channel, user, text: tx.refusal(err) }).catch(() => undefined);
    }
  });
}
