import type { SqlDb } from '../db/sql-driver.js';
import { sql } from '../db/sql.js';
import { LruMap } from '../util/lru-map.js';

/** The fields of a conversation a turn needs; kept in memory between turns. */
export interface CachedConversation {
  id: string;
  petitionerId: string;
  channel: string;
  locale: string;
  state: string;
  version: number;
  tokenHash: string | null;
  liveAgent: string | null;
  /** The petitioner's id on the channel (Petitioner.channelUserId): channels check a sender against it. */
  senderId: string;
}

/** How long a row read for a request (its credentials, its sender) may serve that request's turn. */
const HANDOVER_MS = 1000;

/**
 * Conversations recently spoken in, so that a turn costs one transaction instead of three round
 * trips. The database stays the truth: every save is guarded by the version, and a save that finds
 * another version (another instance wrote first) evicts the entry and the turn is run again.
 *
 * With no room (max 0: a cluster, where another process may have answered the last message), a row
 * read to check a request's credentials or sender is still handed on to that request's turn, which
 * takes it (`take`): one read per message instead of two, and never a copy older than a second, nor
 * one a later message could find.
 */
export class ConversationCache {
  private readonly entries: LruMap<string, CachedConversation>;
  private readonly handover = new Map<string, { row: CachedConversation; at: number }>();

  constructor(
    private readonly db: SqlDb,
    private readonly max = 10_000,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.entries = new LruMap(max);
  }

  /** The conversation, from memory or the database. */
  async get(id: string): Promise<CachedConversation | null> {
    const hit = this.entries.get(id) ?? this.handedOver(id, false);
    if (hit) return hit;
    const row = await this.read(id);
    if (!row) return null;
    if (this.max > 0) this.set(row);
    else this.handOver(row);
    return row;
  }

  /** The conversation for a turn about to be run; what was handed over for it is used up. */
  async take(id: string): Promise<CachedConversation | null> {
    return this.entries.get(id) ?? this.handedOver(id, true) ?? this.read(id);
  }

  /** Conversations held in memory (kept, or read for a request and not yet taken by its turn). */
  get size(): number {
    return this.entries.size + this.handover.size;
  }

  set(entry: CachedConversation): void {
    this.entries.set(entry.id, entry);
  }

  evict(id: string): void {
    this.entries.delete(id);
    this.handover.delete(id);
  }

  /** Kept for the request's turn; rows of requests that ran no turn (a poll, a refusal) are let go within a second. */
  private handOver(row: CachedConversation): void {
    const now = this.clock();
    for (const [id, h] of this.handover) {
      if (now - h.at <= HANDOVER_MS) break;
      this.handover.delete(id);
    }
    this.handover.delete(row.id);
    this.handover.set(row.id, { row, at: now });
  }

  private handedOver(id: string, takeIt: boolean): CachedConversation | undefined {
    const h = this.handover.get(id);
    if (!h) return undefined;
    const fresh = this.clock() - h.at <= HANDOVER_MS;
    if (takeIt || !fresh) this.handover.delete(id);
    return fresh ? h.row : undefined;
  }

  private async read(id: string): Promise<CachedConversation | null> {
    const [row] = await this.db.query<CachedConversation>(
      sql`SELECT c."id", c."petitionerId", c."channel", c."locale", c."state", c."version", c."tokenHash", c."liveAgent", p."channelUserId" AS "senderId"
        FROM "Conversation" c JOIN "Petitioner" p ON p."id" = c."petitionerId" WHERE c."id" = ${id}`,
    );
    return row ?? null;
  }
}
