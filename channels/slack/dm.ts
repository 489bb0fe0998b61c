import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { deliverableText } from '../../src/conversation/messages.js';
import { escapeMrkdwn } from '../../src/slack/mrkdwn.js';
import { retryable } from '../../src/slack/slack-errors.js';
import { boundedBody } from '../../src/channels/material.js';
import type { AttachmentKind, Channel, ChannelHub, Deliverer, InboundAttachment } from '../../src/channels/contract.js';

/** Sends one message to an employee's DM with the bot, with the engine's choices as buttons. */
function dmDeliverer(client: WebClient): Deliverer {
  return {
    async deliver(to, m) {
      const text = escapeMrkdwn(deliverableText(m));
      const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } }];
      if (m.expects?.options?.length) {
        blocks.push({
          type: 'actions',
          elements: m.expects.options.slice(0, 25).map((o) => ({
            type: 'button' as const,
            action_id: `intake:reply:${o.value}`,
            value: JSON.stringify({ c: to.conversationId, v: o.value }),
            text: { type: 'plain_text' as const, text: o.label.slice(0, 75) },
          })),
        });
      }
      try {
        await client.chat.postMessage({ channel: to.senderId, text, blocks, unfurl_links: false, unfurl_media: false });
      } catch (err) {
        throw retryable(err);
      }
    },
  };
}

interface SlackFile {
  mimetype?: string;
  name?: string;
  size?: number;
  url_private_download?: string;
  url_private?: string;
}

interface DirectMessage {
  channel_type?: string;
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts: string;
  files?: SlackFile[];
}

function kindOf(mimetype = ''): AttachmentKind {
  if (mimetype.startsWith('image/')) return 'image';
  if (mimetype.startsWith('audio/')) return 'voice';
  if (mimetype.startsWith('video/')) return 'video';
  return 'file';
}

/** A file shared in the DM, fetched with the bot's token from Slack's private URL. */
function slackFile(client: WebClient, f: SlackFile): InboundAttachment | null {
  const url = f.url_private_download ?? f.url_private;
  if (!url) return null;
  return {
    kind: kindOf(f.mimetype),
    declaredType: f.mimetype,
    name: f.name,
    async download(maxBytes) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${client.token ?? ''}` }, signal: AbortSignal.timeout(30_000) });
      if (!res.ok) throw new Error(`Slack file download answered HTTP ${res.status}`);
      return boundedBody(res, maxBytes);
    },
  };
}

/**
 * The petitioners' side of Slack: employees write to the bot by direct message (text, and files
 * shared there) and are answered in the same DM.
 */
export function slackDmChannel(app: App): Channel {
  function listen(hub: ChannelHub): void {
    app.event('message', async ({ event, body }) => {
      const m = event as unknown as DirectMessage; // Bolt's message union; only people's messages in a DM matter here
      if (m.channel_type !== 'im' || (m.subtype && m.subtype !== 'file_share') || m.bot_id || !m.user) return;
      const attachments = (m.files ?? []).map((f) => slackFile(app.client, f)).filter((f): f is InboundAttachment => f !== null);
      if (m.text === undefined && !attachments.length) return;
      // A file shared with no comment is material alone; words, even empty ones, are a turn.
      const text = attachments.length && !m.text?.trim() ? undefined : m.text;
      if (!(await hub.firstDelivery(`dm:${body.event_id}`))) return;
      await hub.receive({ senderId: m.user, messageId: `slack:${m.ts}`, text, attachments }, 'push');
    });

    app.action<BlockAction<ButtonAction>>(/^intake:reply:/, async ({ ack, body, action }) => {
      await ack();
      const { c, v } = JSON.parse(action.value ?? '{}') as { c?: string; v?: string };
      // A button is only ever honoured for the person whose conversation it belongs to.
      if (!c || !v || !(await hub.owns(c, body.user.id))) return;
      await hub.receive({ senderId: body.user.id, messageId: `slack-action:${action.action_ts}`, conversationId: c, text: v }, 'push');
    });
  }
  return { name: 'slack', deliverer: dmDeliverer(app.client), connect: listen };
}
