import type { Message as MessageRow } from '../../generated/sqlite/client.js';
import type { Config } from '../config.js';
import type { DutyPaging, MirrorKinds } from '../cases/case-writes.js';
import { HubError, type ErrorCode } from '../errors.js';
import { ThreadCalls, type PendingCall, type WireError } from '../util/thread-rpc.js';
import { StaleConversationError, type AppendItem } from './messages.js';
import type { TurnCaseEffects } from './turn-effects.js';
import type { TurnStore } from './turn-writer.js';

/** What the writer thread needs to commit turns as the hub would (turn-worker.ts). */
export interface TurnThreadSetup {
  /** The SQLite file. */
  file: string;
  config: Config;
  mirrors?: MirrorKinds;
  duty?: DutyPaging;
  grouping?: { windowMs: number; minPetitioners: number; jobs: string[] };
  intentsDir: string;
}

export interface TurnRequest {
  item: AppendItem;
  effects?: TurnCaseEffects;
}

const WORKER = new URL(`./turn-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
const RESTART_AFTER_MS = 1000;

type Thread = ThreadCalls<TurnRequest, MessageRow[]>;

/**
 * Turns committed on a thread of their own, with their own SQLite connection: on SQLite a commit is
 * synchronous, and with its statements it was about a third of the hub thread's work per message.
 * The thread groups turns into transactions as TurnWriter does (it runs one). If it dies, the turns
 * it had fail (SQLite rolled back whatever was not committed) and the petitioner's retry with the
 * same clientMessageId finds either nothing or the stored replies; the thread is started again, and
 * meanwhile turns are committed in the hub's thread by `fallback`.
 */
export class TurnThread implements TurnStore {
  private thread: Thread | null = null;
  private closed = false;

  private constructor(
    private readonly setup: TurnThreadSetup,
    private readonly fallback: TurnStore,
    private readonly entry: URL,
  ) {}

  /** @param entry the worker's script; tests give one that misbehaves. */
  static async start(setup: TurnThreadSetup, fallback: TurnStore, entry = WORKER): Promise<TurnThread> {
    const t = new TurnThread(setup, fallback, entry);
    try {
      await t.open();
    } catch (err) {
      await t.close();
      throw err;
    }
    return t;
  }

  save(item: AppendItem, effects?: TurnCaseEffects): Promise<MessageRow[]> {
    const thread = this.thread;
    return thread?.ready ? thread.call({ item, effects }) : this.fallback.save(item, effects);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.thread?.stop();
  }

  private async open(): Promise<void> {
    const thread: Thread = new ThreadCalls(this.entry, this.setup, (unanswered) => this.lost(unanswered), decode);
    this.thread = thread;
    try {
      await thread.started;
    } catch (err) {
      this.thread = null;
      throw err;
    }
  }

  private lost(unanswered: PendingCall<TurnRequest, MessageRow[]>[]): void {
    this.thread = null;
    for (const call of unanswered) call.reject(new HubError('internal', 'the turn could not be saved; please send the message again'));
    if (!this.closed) setTimeout(() => void (this.closed || this.open().catch(() => undefined)), RESTART_AFTER_MS).unref();
  }
}

/** Back into the errors ConversationService acts on: a stale state, a repeated message, a HubError. */
function decode(e: WireError, request: TurnRequest): Error {
  if (e.name === 'StaleConversationError') return new StaleConversationError(request.item.conversationId);
  if (e.name === 'HubError' && e.code) return new HubError(e.code as ErrorCode, e.message);
  return Object.assign(new Error(e.message), { name: e.name, code: e.code });
}
