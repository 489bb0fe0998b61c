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

/**
 * Group commit for turns. While one transaction is being written, the turns that finish meanwhile
 * queue up and are written together in the next one, so under load many conversations share one
 * commit; a lone turn is written at once. Each caller's promise settles only after its turn is
 * durable, so no reply is ever sent for something not stored.
 */
export class TurnWriter implements TurnStore {
  private readonly queue: Pending[] = [];
  private draining = false;

  constructor(
    private readonly db: SqlDb,
    private readonly cases: CaseWrites,
    private readonly maxBatch = 64,
  ) {}

  /** Resolves when the turns in hand are committed (the database belongs to whoever opened it). */
  async close(): Promise<void> {
    while (this.draining || this.queue.length) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  save(item: AppendItem, effects?: TurnCaseEffects): Promise<MessageRow[]> {
    return new Promise<MessageRow[]>((resolve, reject) => {
      this.queue.push({ item, effects, resolve, reject });
      if (this.draining) return;
      this.draining = true;
      // On SQLite a transaction completes synchronously, so nothing would ever wait to join the next
      // one: start it after the turns already running in this pass of the event loop have queued.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) await this.commit(this.take());
    } finally {
      this.draining = false;
    }
  }

  private take(): Pending[] {
    return this.queue.splice(0, this.maxBatch);
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      const cases = this.cases;
      const results = await this.db.transaction(function* () {
        const rows = yield* appendTurns(batch.map((p) => p.item));
        // A stale turn is not stored, so neither are its case changes; it will be run again.
        for (let i = 0; i < batch.length; i++) {
          const e = batch[i].effects;
          if (rows[i] && e) yield* applyEffects(cases, e.effects, e.origin, e.at);
        }
        return rows;
      });
      results.forEach((rows, i) => {
        if (rows) batch[i].resolve(rows);
        else batch[i].reject(new StaleConversationError(batch[i].item.conversationId));
      });
    } catch (err) {
      if (batch.length === 1) {
        batch[0].reject(err);
        return;
      }
      // One bad turn (a replayed clientMessageId, a failed case change) must not fail the others:
      // write them one by one, so only its own writes roll back.
      for (const p of batch) await this.commit([p]);
    }
  }
}
