import type { Express, RequestHandler } from 'express';
import { WechatyBuilder, types, type Message, type Wechaty } from 'wechaty';
import QRCode from 'qrcode';
import { tooLarge } from '../../src/channels/material.js';
import { escapeHtml } from '../../src/http/html.js';
import { deliverableText } from '../../src/conversation/messages.js';
import type { AttachmentKind, Channel, ChannelHub, Deliverer, InboundAttachment } from '../../src/channels/contract.js';

/** Messages older than this arrived late (the bot was down); answering them now would confuse. */
const STALE_S = 120;

export interface WechatyOptions {
  puppet: string;
  puppetToken?: string;
  /** A puppet instance instead of a name (tests use wechaty-puppet-mock). */
  puppetInstance?: unknown;
}

/** In a group, a conversation belongs to one person in one room. */
const roomUser = (roomId: string, contactId: string) => `${roomId}/${contactId}`;

/** Wechaty's message types that carry a file, as the hub's kinds of material. */
const MATERIAL: Partial<Record<types.Message, AttachmentKind>> = {
  [types.Message.Image]: 'image',
  [types.Message.Audio]: 'voice',
  [types.Message.Video]: 'video',
  [types.Message.Attachment]: 'file',
};

/**
 * A personal WeChat account as a channel, through Wechaty: one-to-one messages run the intake, in
 * group rooms only messages that mention the bot; replies and later messages are pushed by the hub
 * in order, so a restart in between loses nothing.
 */
export function wechatyChannel(options: WechatyOptions) {
  const status = { loggedIn: false, user: null as string | null, qrcode: null as string | null, qrStatus: null as string | null };
  const bot: Wechaty = WechatyBuilder.build({
    name: 'petition-hub',
    // Wechaty's own option types name the puppet modules it knows; any other is given by name too.
    puppet: (options.puppetInstance ?? options.puppet) as never,
    puppetOptions: options.puppetToken ? { token: options.puppetToken } : undefined,
  });

  const deliverer: Deliverer = {
    async deliver(to, message) {
      if (!status.loggedIn) throw new Error('the WeChat account is not logged in');
      const [roomId, contactId] = to.senderId.includes('/') ? to.senderId.split('/') : [null, to.senderId];
      const contact = await bot.Contact.find({ id: contactId });
      const room = roomId ? await bot.Room.find({ id: roomId }) : undefined;
      if (!contact || (roomId && !room)) throw new Error('contact or room not found');
      const text = deliverableText(message);
      await (room ? room.say(text, contact) : contact.say(text));
    },
  };

  async function handle(hub: ChannelHub, msg: Message): Promise<void> {
    if (msg.self() || msg.age() > STALE_S) return;
    const kind = MATERIAL[msg.type()];
    if (msg.type() !== types.Message.Text && !kind) return;
    const talker = msg.talker();
    const room = msg.room();
    if (room && !(await msg.mentionSelf())) return;
    const senderId = room ? roomUser(room.id, talker.id) : talker.id;
    const messageId = `wechaty:${msg.id}`;
    if (kind) {
      const box = await msg.toFileBox();
      const file: InboundAttachment = {
        kind,
        declaredType: box.mediaType,
        name: box.name,
        async download(maxBytes) {
          if (box.size > maxBytes) throw tooLarge(maxBytes);
          return box.toBuffer();
        },
      };
      await hub.receive({ senderId, messageId, attachments: [file] }, 'push');
      return;
    }
    const text = room ? await msg.mentionText() : msg.text();
    await hub.receive({ senderId, messageId, text }, 'push');
  }

  const channel: Channel & { bot: Wechaty; status: typeof status; mountStatus(app: Express, auth: { bearer: RequestHandler; basic: RequestHandler }): void } = {
    name: 'wechat',
    deliverer,
    bot,
    status,
    async connect(hub) {
      const { logger } = hub;
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
        void handle(hub, msg).catch((err: unknown) => logger.error({ err }, 'wechaty message failed'));
      });
      await bot.start();
    },
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
  return channel;
}
