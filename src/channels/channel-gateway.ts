import type { Db } from '../db/client.js';
import type { SqlDb } from '../db/sql-driver.js';
import type { Locale } from '../domain.js';
import { HubError } from '../errors.js';
import type { HubEventBus } from '../events.js';
import { checkText } from '../http/validate.js';
import type { Logger } from '../logger.js';
import { Undeliverable, type Outbox } from '../outbox/outbox.js';
import type { ConversationService, TurnSource } from '../conversation/conversation-service.js';
import type { MessageView } from '../conversation/messages.js';
import { newId } from '../util/ids.js';
import { ChannelStore } from './channel-store.js';
import { ChannelLiveFeed } from './live-feed.js';
import type { AttachmentKeeper } from '../attachments/attachment-keeper.js';
import type { GatewayMetrics, MessageOutcome } from '../metrics/hub-metrics.js';
import { describeMaterial } from './material.js';
import { refusalText } from './refusal.js';
import { Unreachable, type AccessTokens, type AnswerMode, type Channel, type ChannelHub, type InboundMessage, type Received } from './contract.js';

export interface GatewayDeps {
  db: Db;
  sql: SqlDb;
  conversations: ConversationService;
  outbox: Outbox;
  events: HubEventBus;
  logger: Logger;
  now: () => Date;
  tokens: AccessTokens;
  attachments: AttachmentKeeper;
  /** How often a live feed looks for what other instances wrote (web chat sockets). */
  livePollMs?: number;
  /** Messages and turns counted and timed by channel (/metrics). */
  metrics?: GatewayMetrics;
}

/** The outbox job that brings a conversation on `channel` up to date. */
export const pushJob = (channel: string) => `push:${channel}`;

/**
 * The hub's side of the channel contract: every channel's messages come in here and every push
 * goes out from here, so the engine and the case service never see a transport, and a channel
 * never sees the database. One push job per channel delivers, in order, what each petitioner has
 * not been given yet, whether an officer wrote it, a notice, or an answer too slow for the platform.
 */
export class ChannelGateway {
  private readonly store: ChannelStore;
  private readonly connected = new Map<string, Channel>();
  private readonly feeds = new Map<string, ChannelLiveFeed>();

  constructor(private readonly deps: GatewayDeps) {
    this.store = new ChannelStore(deps.db);
    deps.events.on('message.outbound', (e) => {
      if (this.connected.get(e.channel)?.deliverer) void deps.outbox.enqueue(pushJob(e.channel), e.conversationId);
    });
  }

  /** Connects a channel: its push job, anything left unsent before a restart, then its intake. */
  async connect(channel: Channel): Promise<void> {
    if (this.connected.has(channel.name)) throw new Error(`channel ${channel.name} is already connected`);
    this.connected.set(channel.name, channel);
    if (channel.deliverer) this.deps.outbox.register(pushJob(channel.name), (conversationId) => this.push(channel, conversationId));
    await channel.connect(this.hubFor(channel.name));
    // After connecting: a deliverer may need what the channel was given (its access tokens).
    if (channel.deliverer) for (const id of await this.store.waiting(channel.name)) await this.deps.outbox.enqueue(pushJob(channel.name), id);
  }

  async stop(): Promise<void> {
    for (const feed of this.feeds.values()) feed.close();
    for (const channel of this.connected.values()) await channel.stop?.();
  }

  private async push(channel: Channel, conversationId: string): Promise<void> {
    const owner = await this.owner(conversationId, channel.name);
    if (!owner || !channel.deliverer) return;
    for (const message of await this.store.undelivered(conversationId)) {
      try {
        await channel.deliverer.deliver({ conversationId, senderId: owner.senderId }, message);
      } catch (err) {
        // Retrying cannot help: a dead letter until they write again (pushPending brings it back).
        if (err instanceof Unreachable) throw new Undeliverable(`petitioner cannot be reached: ${err.message}`);
        throw err;
      }
      await this.store.delivered([message.id], this.deps.now());
    }
  }

  /** A conversation of `channel`, as the turn cache holds it (no database read on the hot path). */
  private async owner(conversationId: string, channel: string) {
    const conv = await this.deps.conversations.find(conversationId);
    return conv && conv.channel === channel ? conv : null;
  }

  private hubFor(channel: string): ChannelHub {
    const { deps, store } = this;
    const feed = () => {
      let f = this.feeds.get(channel);
      if (!f) this.feeds.set(channel, (f = new ChannelLiveFeed(channel, deps.sql, deps.events, deps.logger, deps.livePollMs)));
      return f;
    };
    const owned = async (conversationId: string) => {
      const owner = await this.owner(conversationId, channel);
      if (!owner) throw new HubError('session_not_found', 'no such session');
      return owner;
    };
    return {
      channel,
      logger: deps.logger.child({ channel }),
      tokens: deps.tokens,
      attachmentLimit: deps.attachments.maxBytes,
      receive: (message, mode) => this.receive(channel, message, mode),
      firstDelivery: (id) => store.firstDelivery(`${channel}:${id}`, deps.now()),
      claimOnce: (key, binding, keepMs) => store.claimOnce(channel, key, binding, deps.now(), keepMs),
      delivered: (ids) => store.delivered(ids, deps.now()),
      pushPending: async (senderId) => {
        if (!this.connected.get(channel)?.deliverer) return;
        const id = await store.latest(channel, senderId);
        if (id) await deps.outbox.enqueue(pushJob(channel), id, deps.db, { now: true });
      },
      owns: async (conversationId, senderId) => (await this.owner(conversationId, channel))?.senderId === senderId,
      start: (input) =>
        deps.conversations.start({
          channel,
          channelUserId: input.senderId,
          conversationId: input.conversationId,
          locale: input.locale,
          tokenHash: input.credentialHash,
          recognise: input.recognise,
        }),
      credential: async (conversationId) => {
        const owner = await this.owner(conversationId, channel);
        return owner && { senderId: owner.senderId, hash: owner.tokenHash };
      },
      history: async (conversationId, afterId) => {
        await owned(conversationId);
        return deps.conversations.history(conversationId, afterId);
      },
      get live() {
        return feed();
      },
    };
  }

  /** Every channel's messages come in here: each is counted by how it ended (docs/metrics.md). */
  private async receive(channel: string, message: InboundMessage, mode: AnswerMode): Promise<Received> {
    let outcome: MessageOutcome = 'failed';
    try {
      const handled = await this.handle(channel, message, mode);
      outcome = handled.outcome;
      return handled.received;
    } catch (err) {
      if (err instanceof HubError) outcome = 'refused';
      throw err;
    } finally {
      this.deps.metrics?.message(channel, outcome);
    }
  }

  private async handle(channel: string, message: InboundMessage, mode: AnswerMode): Promise<{ received: Received; outcome: MessageOutcome }> {
    const { conversations } = this.deps;
    let conversationId = message.conversationId;
    let started = false;
    let locale: Locale = message.locale ?? 'zh-CN';
    if (conversationId) {
      // Never trusted as given: a button's value or a session id must be the sender's own.
      const owner = await this.owner(conversationId, channel);
      if (!owner || owner.senderId !== message.senderId) throw new HubError('session_not_found', 'no such conversation for this sender');
      locale = owner.locale as Locale;
    } else {
      ({ conversationId, started } = await conversations.conversationFor(channel, message.senderId, locale));
    }
    const greeting = started && mode === 'inline' ? await conversations.history(conversationId) : [];
    let taken: Taken = { replies: [], duplicate: false };
    let outcome: MessageOutcome;
    try {
      taken = await this.take(channel, conversationId, message, started);
      outcome = taken.duplicate ? 'duplicate' : 'taken';
    } catch (err) {
      if (!(err instanceof HubError) || mode === 'inline') throw err;
      outcome = 'refused';
      await this.apologise(channel, { conversationId, senderId: message.senderId }, locale, err);
    }
    if (mode === 'push' && this.connected.get(channel)?.deliverer) await this.deps.outbox.enqueue(pushJob(channel), conversationId);
    return { received: { conversationId, replies: taken.replies, greeting }, outcome };
  }

  /** Runs the message: material first (kept without a dialogue turn), then any words as a turn. */
  private async take(channel: string, conversationId: string, m: InboundMessage, started: boolean): Promise<Taken> {
    const from: TurnSource = { address: m.address, attachments: this.connected.get(channel)?.attachments };
    if (m.arrival) {
      // A new conversation's greeting says hello already; someone known is greeted by a turn.
      if (started) return { replies: [], duplicate: false };
      return this.turn(channel, conversationId, m.locale === 'en' ? 'hello' : '你好', m.messageId, from);
    }
    const parts: Taken[] = [];
    const material = m.attachments?.length || m.link;
    if (material) parts.push(await this.keepMaterial(channel, conversationId, m, m.text ? `${m.messageId}:material` : m.messageId));
    const words = m.text ?? (m.location ? locationText(m.location) : undefined);
    if (words !== undefined || !material) parts.push(await this.turn(channel, conversationId, checkText(words), m.messageId, from));
    // A retry of the message: every part of it was answered before.
    return { replies: parts.flatMap((p) => p.replies), duplicate: parts.some((p) => p.duplicate) };
  }

  /** One dialogue turn, counted and timed from here: waiting for the conversation included. */
  private async turn(channel: string, conversationId: string, text: string, messageId: string, from: TurnSource): Promise<Taken> {
    const started = performance.now();
    try {
      const taken = await this.deps.conversations.receive(conversationId, text, messageId, from);
      this.deps.metrics?.turn(channel, taken.duplicate ? 'duplicate' : 'answered', performance.now() - started);
      return taken;
    } catch (err) {
      this.deps.metrics?.turn(channel, 'failed', performance.now() - started);
      throw err;
    }
  }

  private async keepMaterial(channel: string, conversationId: string, m: InboundMessage, clientMessageId: string): Promise<Taken> {
    const { conversations, attachments } = this.deps;
    // A retry of a message already taken: nothing is downloaded or stored again.
    const prior = await conversations.answered(conversationId, clientMessageId);
    if (prior) return { replies: prior.replies, duplicate: true };
    const { description, keptIds } = await describeMaterial({ channel, conversationId, message: m, keeper: attachments, logger: this.deps.logger });
    const { replies, messageId } = await conversations.attach(conversationId, description, clientMessageId);
    if (keptIds.length) await attachments.link(keptIds, messageId);
    return { replies, duplicate: false };
  }

  /** A message that could not be taken, said to the sender at once; it is not stored. */
  private async apologise(channel: string, to: { conversationId: string; senderId: string }, locale: Locale, err: HubError): Promise<void> {
    const deliverer = this.connected.get(channel)?.deliverer;
    const text = refusalText(locale, err);
    const note: MessageView = { id: newId(), role: 'bot', text, createdAt: this.deps.now().toISOString() };
    await deliverer?.deliver(to, note).catch((e: unknown) => this.deps.logger.warn({ err: e, channel }, 'could not tell the sender their message was refused'));
  }
}

/** What became of a message's part (its material, its words): the replies, and whether it had been taken before. */
interface Taken {
  replies: MessageView[];
  duplicate: boolean;
}

function locationText(l: { latitude: number; longitude: number; label?: string }): string {
  return `位置：${l.label ?? ''}（${l.latitude}，${l.longitude}）`;
}
