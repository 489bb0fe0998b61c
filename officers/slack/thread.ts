import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../src/db/client.js';
import type { Details } from '../../src/domain.js';
import { HubError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { CaseService } from '../../src/cases/case-service.js';
import type { ConversationService } from '../../src/conversation/conversation-service.js';
import { RetryLater } from '../../src/outbox/outbox.js';
import { threadLine } from './event-lines.js';
import { retryable } from '../../src/slack/slack-errors.js';
import { firstDelivery } from '../../src/db/deliveries.js';
import type { OfficeTexts } from './office-texts.js';

export const THREAD_JOB = 'slack.thread';

/** Officers keep a thread message to themselves by starting it with this. */
export const INTERNAL_PREFIX = '//';

/**
 * What the petitioner adds after filing, their follow-up answers and a review they request go into
 * the case's thread (redacted), once the card exists; material they send, as links to the console.
 */
export function threadMirror(db: Db, client: WebClient, tx: OfficeTexts, publicUrl?: string) {
  return async (eventId: string): Promise<void> => {
    const event = await db.caseEvent.findUnique({ where: { id: eventId }, include: { case: { include: { slackCard: true } } } });
    if (!event) return;
    const c = event.case;
    const text = threadLine(event, JSON.parse(c.details) as Details, tx, { trackingNumber: c.trackingNumber, publicUrl });
    if (!text) return;
    const card = c.slackCard;
    if (!card?.ts) throw new RetryLater(2000, 'the case card is not posted yet');
    try {
      await client.chat.postMessage({ channel: card.channel, thread_ts: card.ts, text, unfurl_links: false, unfurl_media: false });
    } catch (err) {
      throw retryable(err);
    }
  };
}

interface ThreadMessage {
  type: 'message';
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  channel: string;
  ts: string;
  thread_ts?: string;
}

/**
 * An officer's reply in a case's thread reaches the petitioner, unless it starts with "//". Slack
 * redelivers events it thinks were missed; each event_id is handled once.
 */
export function registerThreadReplies(app: App, deps: { db: Db; cases: CaseService; conversations: ConversationService; logger: Logger; texts: OfficeTexts }): void {
  app.event('message', async ({ event, body, client }) => {
    const m = event as unknown as ThreadMessage; // Bolt's message event union; only plain user messages matter here
    if (m.subtype || m.bot_id || !m.user || !m.thread_ts || m.thread_ts === m.ts || !m.text) return;
    const text = m.text.trim();
    if (!text) return;
    const c = (await deps.db.slackCard.findFirst({ where: { channel: m.channel, ts: m.thread_ts }, select: { case: { select: { trackingNumber: true } } } }))?.case;
    const internal = text.startsWith(INTERNAL_PREFIX);
    // An officers-only line in a case's thread is the case's internal note (the console shows it too).
    if (internal && (!c || !(await firstDelivery(deps.db, `slack:${body.event_id}`)))) return;
    if (internal && c) {
      const note = text.slice(INTERNAL_PREFIX.length).trim();
      if (note) await deps.cases.act(c.trackingNumber, { action: 'note', text: note, actor: `slack:${m.user}` });
      return;
    }
    // A live hand-off before filing has its own thread in the intake channel.
    const live = c ? null : await deps.db.slackLiveThread.findFirst({ where: { channel: m.channel, ts: m.thread_ts }, select: { conversationId: true } });
    if (!c && !live) return;
    if (!(await firstDelivery(deps.db, `slack:${body.event_id}`))) return;
    try {
      if (live) await deps.conversations.live.postOfficerMessage(live.conversationId, text, `slack:${m.user}`);
      else if (c) await deps.cases.act(c.trackingNumber, { action: 'reply', text, actor: `slack:${m.user}` });
    } catch (err) {
      if (!(err instanceof HubError)) throw err;
      await client.chat.postEphemeral({ channel: m.channel, user: m.user, thread_ts: m.thread_ts, text: deps.texts.t('thread.notSent', { message: deps.texts.refusal(err) }) }).catch(() => undefined);
    }
  });
}
