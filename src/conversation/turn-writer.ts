import type { Message as MessageRow } from '../../generated/sqlite/client.js';
import type { SqlDb } from '../db/sql-driver.js';
import type { CaseWrites } from '../cases/case-writes.js';
import { appendTurns, StaleConversationError, type AppendItem } from './messages.js';
import { applyEffects, type TurnCaseEffects } from './turn-effects.js';

/**
 * Where turns are committed: a turn's messages, its new state and its case changes, in one
 * transaction, before any reply is sent. Resolves with the stored messages; rejects with
 * StaleConversationError when the conversation changed since it was read.
 */
export interface TurnStore {
  save(item: AppendItem, effects?: TurnCaseEffects): Promise<MessageRow[]>;
  close(): Promise<void>;
}

interface Pending {
  item: AppendItem;
  effects?: TurnCaseEffects;
  resolve(rows: MessageRow[]): void;
  reject(err: unknown): void;
}

/** What a database error code says: the transaction lost a deadlock or a serialization check, and may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const retryable = (err: unknown) => RETRYABLE.has((err as { code?: string })?.code ?? '');
const MAX_RETRIES = 3;

/**
 * Group commit for turns. While transactions are being written, the turns that finish meanwhile
 * queue up and are written together in the next one, so under load many conversations share one
 * commit; a lone turn is written at once. Each caller's promise settles only after its turn is
 * durable, so no reply is ever sent for something not stored.
 *
 * On SQLite one transaction at a time (the database has one writer). On PostgreSQL several run at
 * once on their own connections (`parallel`): a commit there is a few round trips to a server, and
 * one writer would leave every other turn waiting on them. A batch without case changes is one
 * statement (appendTurns), which PostgreSQL commits on its own, without BEGIN and COMMIT. Turns of
 * one conversation never meet in two batches at once: the conversation service waits for a turn's
 * save before the next turn of the same conversation.
 */
export class TurnWriter implements TurnStore {
  private readonly queue: Pending[] = [];
  private active = 0;
  private scheduled = false;

  constructor(
    private readonly db: SqlDb,
    private readonly cases: CaseWrites,
    private readonly options: { maxBatch?: number; parallel?: number } = {},
  ) {}

  /** Resolves when the turns in hand are committed (the database belongs to whoever opened it). */
  async close(): Promise<void> {
    while (this.active || this.scheduled || this.queue.length) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  save(item: AppendItem, effects?: TurnCaseEffects): Promise<MessageRow[]> {
    return new Promise<MessageRow[]>((resolve, reject) => {
      this.queue.push({ item, effects, resolve, reject });
      if (this.scheduled || this.active >= this.parallel) return;
      this.scheduled = true;
      // On SQLite a transaction completes synchronously, so nothing would ever wait to join the next
      // one: start it after the turns already running in this pass of the event loop have queued.
      setImmediate(() => {
        this.scheduled = false;
        this.fill();
      });
    });
  }

  private get parallel(): number {
    return this.db.provider === 'postgresql' ? Math.max(1, this.options.parallel ?? 1) : 1;
  }

  /** Starts commits for the queued turns while there are free writers. */
  private fill(): void {
    while (this.queue.length && this.active < this.parallel) {
      const batch = this.take();
      this.active++;
      void this.commit(batch).finally(() => {
        this.active--;
        this.fill();
      });
    }
  }

  /** The next batch: up to maxBatch turns in order, one per conversation (a second waits for the next batch). */
  private take(): Pending[] {
    const max = this.options.maxBatch ?? 64;
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const seen = new Set<string>();
    for (const p of this.queue) {
      if (batch.length < max && !seen.has(p.item.conversationId)) {
        seen.add(p.item.conversationId);
        batch.push(p);
      } else rest.push(p);
    }
    this.queue.splice(0, this.queue.length, ...rest);
    return batch;
  }

  private async commit(batch: Pending[], attempt = 1): Promise<void> {
    try {
      const cases = this.cases;
      const body = function* () {
        const rows = yield* appendTurns(batch.map((p) => p.item));
        // A stale turn is not stored, so neither are its case changes; it will be run again.
        for (let i = 0; i < batch.length; i++) {
          const e = batch[i].effects;
          if (rows[i] && e) yield* applyEffects(cases, e.effects, e.origin, e.at);
        }
        return rows;
      };
      const results = await this.db.transaction(body, { oneStatement: !batch.some((p) => p.effects) });
      results.forEach((rows, i) => {
        if (rows) batch[i].resolve(rows);
        else batch[i].reject(new StaleConversationError(batch[i].item.conversationId));
      });
    } catch (err) {
      if (batch.length === 1) {
        // Two writers (or two hubs) that locked the same case rows in opposite order: PostgreSQL
        // broke the tie by failing one; nothing of it was stored, so it can run again.
        if (retryable(err) && attempt < MAX_RETRIES) return this.commit(batch, attempt + 1);
        batch[0].reject(err);
        return;
      }
      // One bad turn (a replayed clientMessageId, a failed case change) must not fail the others:
      // write them one by one, so only its own writes roll back.
      for (const p of batch) await this.commit([p]);
    }
  }
}
