import { randomUUID } from 'node:crypto';
import { newId } from '../util/ids.js';
import type { Locale, Slot } from '../domain.js';
import type { Db } from '../db/client.js';
import type { SqlDb } from '../db/sql-driver.js';
import { openConversation, runTurn, type Recognised } from '../engine/engine.js';
import type { CategoryGuess, Understanding } from '../nlu/understanding.js';
import { DEFAULT_ASKED, initialState, reviveState } from '../engine/state.js';
import type { AttachmentKinds, DialogueState, Reply, TurnContext, TurnResult } from '../engine/types.js';
import { HubError } from '../errors.js';
import type { HubEventBus } from '../events.js';
import type { Logger } from '../logger.js';
import type { Nlu } from '../nlu/nlu.js';
import type { CaseService } from '../cases/case-service.js';
import type { Router } from '../cases/routing.js';
import { KeyedLock } from './keyed-lock.js';
import { ConversationCache, type CachedConversation } from './conversation-cache.js';
import { TurnWriter, type TurnStore } from './turn-writer.js';
import { LiveConversations } from './live-conversations.js';
import { appendTurns, NO_CASE, StaleConversationError, toView, type Draft, type MessageCase, type MessageView } from './messages.js';
import { execute, query, sql } from '../db/sql.js';
import { isUniqueViolation, isVersionConflict } from '../db/errors.js';
import { RoutingNeeded, turnContext } from './turn-context.js';
import { seal } from '../db/personal-data.js';
import type { QueryGuard } from '../cases/query-guard.js';
import { announceEffects } from './turn-effects.js';
import { t } from '../i18n.js';

export interface ConversationDeps {
  db: Db;
  sql: SqlDb;
  nlu: Nlu;
  cases: CaseService;
  router: Router;
  events: HubEventBus;
  logger: Logger;
  now: () => Date;
  /** Dates told to petitioners are dates in this zone. */
  timeZone: string;
  officeName: Record<Locale, string>;
  emergencyContacts: Record<Locale, string>;
  /** Failed status queries counted per tracking number and client address, across instances. */
  queryGuard?: QueryGuard;
  /** Whether an emergency filed at this moment pages a person (someone on duty, a way to reach them). */
  dutyOnCall?: (at: Date) => boolean;
  /**
   * Conversations kept in memory between turns. 0 when other processes serve the same
   * conversations (a cluster): a copy there would mostly be stale, and a stale copy costs a whole
   * turn run again, where reading the row costs tens of microseconds.
   */
  cacheSize?: number;
  /** Where turns are committed; by default on `sql` in this thread. */
  turns?: TurnStore;
  /** The details asked for when not told (ASKED_DETAILS); by default the engine's. */
  askFor?: readonly Slot[];
  /** A petitioner writing again after this long is greeted back with their cases (RETURNING_AFTER_HOURS). */
  returningAfterMs?: number;
}

export interface StartInput {
  /** A channel's name (webchat, wechat-oa, slack…; any channel connected to the hub). */
  channel: string;
  channelUserId: string;
  locale: Locale;
  tokenHash?: string;
  conversationId?: string;
  /** Look for the person's earlier conversations (a returning web chat browser): greet them back, take up their draft. */
  recognise?: boolean;
}

const MAX_ATTEMPTS = 4;
/** Accounts one turn may route (a new matter, a correction at the summary, a question back: one or two). */
const MAX_ROUTED = 8;

/** Where a message came from, as far as the turn needs to know. */
export interface TurnSource {
  /** The client's address (the web chat's), for status-query throttling. */
  address?: string;
  /** What the channel carries besides words. */
  attachments?: AttachmentKinds;
}

/**
 * One petitioner turn: load the state, understand, run the dialogue, and store the message, the
 * replies, the new state and any case changes in one transaction, before any reply is sent.
 */
export class ConversationService {
  private readonly lock = new KeyedLock();
  private readonly cache: ConversationCache;
  private readonly writer: TurnStore;
  /** Officers holding conversations live (hand-off). */
  readonly live: LiveConversations;

  constructor(private readonly deps: ConversationDeps) {
    this.cache = new ConversationCache(deps.sql, deps.cacheSize);
    this.writer = deps.turns ?? new TurnWriter(deps.sql, deps.cases.writes);
    this.live = new LiveConversations({ ...deps, lock: this.lock, cache: this.cache });
  }

  /** The conversation as the last turn left it (channels use it to check credentials). */
  find(conversationId: string): Promise<CachedConversation | null> {
    return this.cache.get(conversationId);
  }

  /**
   * A new conversation, opened with the greeting: the petitioner (one per channel user) and the
   * conversation and its first messages in one transaction. On the SQL driver, not Prisma's query
   * engine, which cost several milliseconds of the hub thread per session (docs/benchmarks.md).
   */
  async start(input: StartInput): Promise<{ conversationId: string; messages: MessageView[] }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.open(input);
      } catch (err) {
        // The petitioner wrote in their old conversation while the draft was being moved out of it:
        // nothing was written; look again, so that the draft lives in one conversation only.
        if (input.recognise && isVersionConflict(err) && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  private async open(input: StartInput): Promise<{ conversationId: string; messages: MessageView[] }> {
    const known = input.recognise ? await this.recognise(input) : null;
    const opened = openConversation(input.locale, { ...this.deps, askFor: this.deps.askFor ?? DEFAULT_ASKED }, known?.recognised ?? null);
    const conversationId = input.conversationId ?? randomUUID();
    const at = this.deps.now();
    const drafts = opened.replies.map(botDraft());
    const state = JSON.stringify(opened.state);
    const moved = known?.moveDraftFrom ?? null;
    const rows = await this.deps.sql.transaction(function* () {
      const [petitioner] = yield* query<{ id: string }>(sql`INSERT INTO "Petitioner" ("id", "channel", "channelUserId", "createdAt", "updatedAt")
        VALUES (${randomUUID()}, ${input.channel}, ${input.channelUserId}, ${at}, ${at})
        ON CONFLICT ("channel", "channelUserId") DO UPDATE SET "updatedAt" = "Petitioner"."updatedAt" RETURNING "id"`);
      yield* execute(sql`INSERT INTO "Conversation" ("id", "petitionerId", "channel", "locale", "state", "tokenHash", "createdAt", "updatedAt")
        VALUES (${conversationId}, ${petitioner.id}, ${input.channel}, ${input.locale}, ${seal(state)}, ${input.tokenHash ?? null}, ${at}, ${at})`);
      // The draft goes on in the new conversation, not in both: the old one forgets it, unless
      // someone wrote there meanwhile (then everything here is rolled back and start looks again).
      if (moved) {
        const changed = yield* execute(sql`UPDATE "Conversation" SET "state" = ${seal(moved.state)}, "version" = "version" + 1, "updatedAt" = ${at}
          WHERE "id" = ${moved.id} AND "version" = ${moved.version}`);
        if (changed !== 1) throw new StaleConversationError(moved.id);
      }
      // A new conversation holds no case yet.
      const [stored] = yield* appendTurns([{ conversationId, drafts, now: at, caseNumber: null }]);
      return stored;
    });
    if (moved) this.cache.evict(moved.id);
    if (!rows) throw new StaleConversationError(conversationId);
    return { conversationId, messages: rows.map(toView) };
  }

  /**
   * A person the hub has seen before (a web chat browser that keeps its visitor key): their open
   * cases, and the draft of a petition they left in their latest conversation, which the new one
   * takes over. Null for someone new.
   */
  private async recognise(input: StartInput): Promise<{ recognised: Recognised; moveDraftFrom: { id: string; version: number; state: string } | null } | null> {
    const [petitioner] = await this.deps.sql.query<{ id: string }>(sql`SELECT "id" FROM "Petitioner" WHERE "channel" = ${input.channel} AND "channelUserId" = ${input.channelUserId}`);
    if (!petitioner) return null;
    const [latest] = await this.deps.sql.query<{ id: string; state: string; version: number; locale: string }>(sql`SELECT "id", "state", "version", "locale" FROM "Conversation"
      WHERE "petitionerId" = ${petitioner.id} ORDER BY "createdAt" DESC LIMIT 1`);
    if (!latest) return null;
    const openCases = await this.deps.cases.reads.openSnapshotsOf(petitioner.id);
    const last = reviveState(latest.state, latest.locale as Locale);
    const draft = last.phase === 'intake' && last.details.issue ? last.details : null;
    const forgotten = draft ? JSON.stringify({ ...initialState(last.locale), turn: last.turn, queryFailures: last.queryFailures, lastMessageAt: last.lastMessageAt }) : null;
    return {
      recognised: { openCases, draft },
      moveDraftFrom: draft && forgotten ? { id: latest.id, version: latest.version, state: forgotten } : null,
    };
  }

  /**
   * The conversation of a person on a channel where they simply write (a Slack DM, WeChat): their
   * latest one, or a new one opened with the greeting. Asked on every message those channels bring,
   * so on the SQL driver.
   */
  async conversationFor(channel: string, channelUserId: string, locale: Locale): Promise<{ conversationId: string; started: boolean }> {
    return this.lock.run(`${channel}:${channelUserId}`, async () => {
      const [existing] = await this.deps.sql.query<{ id: string }>(sql`SELECT c."id" FROM "Conversation" c
        JOIN "Petitioner" p ON p."id" = c."petitionerId"
        WHERE p."channel" = ${channel} AND p."channelUserId" = ${channelUserId} AND c."channel" = ${channel}
        ORDER BY c."createdAt" DESC LIMIT 1`);
      if (existing) return { conversationId: existing.id, started: false };
      const started = await this.start({ channel, channelUserId, locale });
      return { conversationId: started.conversationId, started: true };
    });
  }

  /**
   * @param from where the message came from, when the channel knows (the web chat client's address),
   * and what the channel carries besides words (by default anything).
   */
  async receive(conversationId: string, text: string, clientMessageId?: string, from: TurnSource = {}): Promise<{ replies: MessageView[]; duplicate: boolean }> {
    return this.withRetries(conversationId, clientMessageId, (prior) => ({ replies: prior.replies, duplicate: true }), () =>
      this.turn(conversationId, text, clientMessageId, from),
    );
  }

  /**
   * Runs a step that saves under the conversation's lock, again from the database when another
   * instance saved it first (its copy here was stale). The same message again (a retry, caught by
   * the unique clientMessageId when saving) is answered with what was stored the first time.
   */
  private async withRetries<T>(
    conversationId: string,
    clientMessageId: string | undefined,
    again: (prior: { replies: MessageView[]; messageId: string }) => T,
    step: () => Promise<T>,
  ): Promise<T> {
    return this.lock.run(conversationId, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await step();
        } catch (err) {
          if (isUniqueViolation(err) && clientMessageId) {
            const prior = await this.answered(conversationId, clientMessageId);
            if (prior) return again(prior);
          }
          this.cache.evict(conversationId);
          if ((isVersionConflict(err) || isUniqueViolation(err)) && attempt < MAX_ATTEMPTS) continue;
          throw err;
        }
      }
    });
  }

  private async turn(conversationId: string, text: string, clientMessageId: string | undefined, from: TurnSource) {
    const { nlu, now } = this.deps;
    // A repeated clientMessageId is caught by the unique index when the turn is saved (see receive),
    // which keeps the usual turn to a single transaction.
    const conv = await this.cache.take(conversationId);
    if (!conv) throw new HubError('session_not_found', 'no such conversation');
    if (conv.liveAgent) return this.liveTurn(conv, text, clientMessageId);
    const state = reviveState(conv.state, conv.locale as Locale);
    const u = await nlu.understand(text, state.locale, state.asking);
    const at = now();
    const routed = new Map<string, CategoryGuess>();
    const ctx = await turnContext(this.deps, { now: at, state, u, conversationId: conv.id, petitionerId: conv.petitionerId, channel: conv.channel, address: from.address, attachments: from.attachments }, routed);
    const result = await this.routedTurn(state, u, ctx, routed);
    const saved = JSON.stringify(result.state);
    const inboundId = newId();
    const drafts: Draft[] = [
      { id: inboundId, role: 'petitioner', text: u.text, clientMessageId },
      ...result.replies.map(botDraft(inboundId)),
    ];
    const origin = { conversationId, petitionerId: conv.petitionerId, channel: conv.channel, state: result.state };
    const rows = await this.writer.save(
      { conversationId, drafts, now: at, save: { state: saved, locale: result.state.locale, version: conv.version }, caseNumber: caseOfTurn(u, result) },
      result.effects.length ? { effects: result.effects, origin, at } : undefined,
    );
    this.cache.set({ ...conv, state: saved, locale: result.state.locale, version: conv.version + 1 });
    announceEffects(this.deps, result.effects, conversationId);
    return { replies: rows.slice(1).map(toView), duplicate: false };
  }

  /**
   * An officer holds the conversation: the message is stored (and shown to the officer) and the bot
   * says nothing. The save is version-guarded like any turn, so an instance that missed the
   * hand-back or the take-over finds out and runs the turn again with the right mode.
   */
  /**
   * The dialogue's answer to a message. While NLU threads hold the routing model, an account the
   * dialogue routes that no thread has routed yet stops the run (RoutingNeeded): it is routed on a
   * thread and the message run again, which the pure dialogue makes safe.
   */
  private async routedTurn(state: DialogueState, u: Understanding, ctx: TurnContext, routed: Map<string, CategoryGuess>): Promise<TurnResult> {
    for (;;) {
      try {
        return runTurn(state, u, ctx);
      } catch (err) {
        if (!(err instanceof RoutingNeeded) || routed.has(err.text) || routed.size >= MAX_ROUTED) throw err;
        routed.set(err.text, await this.deps.nlu.category(err.text));
      }
    }
  }

  private async liveTurn(conv: CachedConversation, text: string, clientMessageId?: string) {
    const at = this.deps.now();
    const [row] = await this.writer.save({
      conversationId: conv.id,
      drafts: [{ role: 'petitioner', text: text.trim(), clientMessageId }],
      now: at,
      save: { state: conv.state, locale: conv.locale, version: conv.version },
    });
    this.cache.set({ ...conv, version: conv.version + 1 });
    this.deps.events.emit('conversation.live_message', { conversationId: conv.id, messageId: row.id });
    return { replies: [], duplicate: false };
  }

  /**
   * Something the petitioner sent that is not text (a photo, a voice message, a link): stored as
   * their message, added to their filed case if there is one, and acknowledged without a dialogue
   * turn, so it can never be mistaken for an answer to the question pending.
   */
  async attach(conversationId: string, description: string, clientMessageId: string): Promise<{ replies: MessageView[]; messageId: string }> {
    return this.withRetries(conversationId, clientMessageId, (prior) => prior, () => this.attachOnce(conversationId, description, clientMessageId));
  }

  private async attachOnce(conversationId: string, description: string, clientMessageId: string): Promise<{ replies: MessageView[]; messageId: string }> {
    const prior = await this.answered(conversationId, clientMessageId);
    if (prior) return prior;
    const conv = await this.cache.take(conversationId);
    if (!conv) throw new HubError('session_not_found', 'no such conversation');
    const state = reviveState(conv.state, conv.locale as Locale);
    const at = this.deps.now();
    const ref = state.trackingNumber;
    const inboundId = newId();
    const ack = t(state.locale, ref ? 'attachment.added' : 'attachment.kept', { trackingNumber: ref ?? '' });
    const rows = await this.writer.save(
      {
        conversationId,
        drafts: [
          { id: inboundId, role: 'petitioner', text: description, clientMessageId },
          { role: 'bot', text: ack, replyToId: inboundId },
        ],
        now: at,
        save: { state: conv.state, locale: conv.locale, version: conv.version },
      },
      ref ? { effects: [{ type: 'add_to_case', trackingNumber: ref, text: description }], origin: { conversationId, petitionerId: conv.petitionerId, channel: conv.channel, state }, at } : undefined,
    );
    this.cache.set({ ...conv, version: conv.version + 1 });
    if (ref) this.deps.events.emit('case.info_added', { trackingNumber: ref });
    return { replies: rows.slice(1).map(toView), messageId: inboundId };
  }

  async history(conversationId: string, afterId?: string): Promise<MessageView[]> {
    const { db } = this.deps;
    let afterSeq = 0;
    if (afterId) {
      const anchor = await db.message.findFirst({ where: { id: afterId, conversationId } });
      if (!anchor) throw new HubError('not_found', 'the message given in after= is not in this conversation');
      afterSeq = anchor.seq;
    }
    const rows = await db.message.findMany({ where: { conversationId, seq: { gt: afterSeq } }, orderBy: { seq: 'asc' } });
    return rows.map(toView);
  }

  /** A message already taken under this id: the replies it was given (a retry is answered the same). */
  async answered(conversationId: string, clientMessageId: string): Promise<{ replies: MessageView[]; messageId: string } | null> {
    const { db } = this.deps;
    const prior = await db.message.findUnique({ where: { conversationId_clientMessageId: { conversationId, clientMessageId } } });
    if (!prior) return null;
    const replies = await db.message.findMany({ where: { replyToId: prior.id }, orderBy: { seq: 'asc' } });
    return { replies: replies.map(toView), messageId: prior.id };
  }
}

function botDraft(replyToId?: string) {
  return (r: Reply): Draft => ({ role: 'bot', text: r.text, expects: r.expects, caseRef: r.caseRef, replyToId });
}

/**
 * The case a turn's messages belong to: the one its effects name (more told, a follow-up answer, the
 * filing itself), else the one the conversation is on; none yet during a new matter's intake (its
 * filing claims them), and none ever for a status query about a case that is not the conversation's,
 * so that no other case's view shows it.
 */
function caseOfTurn(u: Understanding, r: TurnResult): MessageCase {
  const named = r.effects.map((e) => ('trackingNumber' in e ? e.trackingNumber : null)).find((ref): ref is string => Boolean(ref));
  if (u.caseQuery && !named && u.caseQuery.trackingNumber !== r.state.trackingNumber) return NO_CASE;
  return named ?? r.state.trackingNumber ?? null;
}
