import type { Express } from 'express';
import { WechatyBuilder, types, type Message, type Wechaty } from 'wechaty';
import type { Db } from '../../src/db/client.js';
import type { HubEventBus } from '../../src/events.js';
import { HubError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { ConversationService } from '../../src/conversation/conversation-service.js';
import { checkText } from '../../src/http/validate.js';
import type { Outbox } from '../../src/outbox/outbox.js';
import { afterPushedSeq, schedulePushes } from '../../src/outbox/push-schedule.js';
import type { RequestHandler } from 'express';
import QRCode from 'qrcode';
import { escapeHtml } from '../../src/http/html.js';
import { deliverableText } from '../../src/conversation/messages.js';

export const WECHATY_PUSH_JOB = 'wechaty.push';

/** Messages older than this arrived late (the bot was down); answering them now would confuse. */
const STALE_S = 120;

export interface WechatyDeps {
  db: Db;
  conversations: ConversationService;
  outbox: Outbox;
  events: HubEventBus;
  logger: Logger;
  puppet: string;
  puppetToken?: string;
  /** A puppet instance instead of a name (tests use wechaty-puppet-mock). */
  puppetInstance?: unknown;
}

/** In a group, a conversation belongs to one person in one room. */
const roomUser = (roomId: string, contactId: string) => `${roomId}/${contactId}`;

/**
 * A personal WeChat account as a channel, through Wechaty: one-to-one messages run the intake, in
 * group rooms only messages that mention the bot; replies and later messages go out in order from
 * the conversation's push job, so a restart in between loses nothing.
 */
export async function startWechaty(deps: WechatyDeps) {
  const { conversations, outbox, logger } = deps;
  const status = { loggedIn: false, user: null as string | null, qrcode: null as string | null, qrStatus: null as string | null };
  const bot: Wechaty = WechatyBuilder.build({
    name: 'petition-hub',
    // Wechaty's own option types name the puppet modules it knows; any other is given by name too.
    puppet: (deps.puppetInstance ?? deps.puppet) as never,
    puppetOptions: deps.puppetToken ? { token: deps.puppetToken } : undefined,
  });

  bot.on('scan', (qrcode, qrStatus) => {
    status.qrcode = qrcode;
    status.qrStatus = types.ScanStatus[qrStatus];
    logger.info({ qrStatus: status.qrStatus, qrcode, url: `https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}` }, 'wechaty: scan the QR code with the WeChat account to log in');
  });
  bot.on('login', (user) => {
    Object.assign(status, { loggedIn: true, user: user.name(), qrcode: null });
    logger.info('wechaty: logged in');
  });
  bot.on('logout', () => {
    Object.assign(status, { loggedIn: false, user: null });
    logger.warn('wechaty: logged out; waiting for a new login');
  });
  bot.on('error', (err) => logger.error({ err }, 'wechaty error'));

  bot.on('message', (msg) => {
    void handle(msg).catch((err: unknown) => logger.error({ err }, 'wechaty message failed'));
  });

  async function handle(msg: Message): Promise<void> {
    if (msg.self() || msg.age() > STALE_S || msg.type() !== types.Message.Text) return;
    const talker = msg.talker();
    const room = msg.room();
    if (room && !(await msg.mentionSelf())) return;
    const text = room ? await msg.mentionText() : msg.text();
    const userId = room ? roomUser(room.id, talker.id) : talker.id;
    const { conversationId } = await conversations.conversationFor('wechat', userId, 'zh-CN');
    try {
      await conversations.receive(conversationId, checkText(text), `wechaty:${msg.id}`);
    } catch (err) {
      if (!(err instanceof HubError)) throw err;
      await (room ? room.say(`抱歉，这条消息无法处理：${err.message}`, talker) : talker.say(`抱歉，这条消息无法处理：${err.message}`));
      return;
    }
    await outbox.enqueue(WECHATY_PUSH_JOB, conversationId);
  }

  outbox.register(WECHATY_PUSH_JOB, async (conversationId) => {
    const conv = await deps.db.conversation.findUnique({ where: { id: conversationId }, include: { petitioner: true } });
    if (!conv) return;
    if (!status.loggedIn) throw new Error('the WeChat account is not logged in');
    const pending = await deps.db.message.findMany({ where: { conversationId, seq: { gt: conv.pushedSeq }, role: { not: 'petitioner' } }, orderBy: { seq: 'asc' } });
    const [roomId, contactId] = conv.petitioner.channelUserId.includes('/') ? conv.petitioner.channelUserId.split('/') : [null, conv.petitioner.channelUserId];
    const contact = await bot.Contact.find({ id: contactId });
    const room = roomId ? await bot.Room.find({ id: roomId }) : undefined;
    if (!contact || (roomId && !room)) throw new Error('contact or room not found');
    for (const m of pending) {
      const text = deliverableText(m);
      await (room ? room.say(text, contact) : contact.say(text));
      await deps.db.conversation.update({ where: { id: conversationId }, data: { pushedSeq: m.seq } });
    }
  });
  await schedulePushes(deps, 'wechat', WECHATY_PUSH_JOB, afterPushedSeq);

  await bot.start();
  return {
    bot,
    status,
    stop: () => bot.stop(),
    /**
     * GET /api/wechaty/status (admin token): login state and the QR code; GET /admin/wechaty: the same
     * as a page with the code to scan (the admin token as the password of the browser's login box).
     */
    mountStatus(app: Express, auth: { bearer: RequestHandler; basic: RequestHandler }) {
      app.get('/api/wechaty/status', auth.bearer, (_req, res) => {
        res.json(status);
      });
      app.get('/admin/wechaty', auth.basic, async (_req, res) => {
        const qr = status.qrcode ? await QRCode.toString(status.qrcode, { type: 'svg', margin: 2, width: 280 }) : '';
        res.set({ 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'; img-src data:; frame-ancestors 'none'" });
        const state = status.loggedIn ? 'Logged in' : status.qrcode ? `Scan with the WeChat account to log in (${status.qrStatus ?? ''})` : 'Starting…';
        res.type('html').send(`<!doctype html><meta charset="utf-8"><title>WeChat bot</title><h1>WeChat bot</h1><p>${escapeHtml(state)}</p>${qr}`);
      });
    },
  };
}
