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

/**
 * Conversations recently spoken in, so that a turn costs one transaction instead of three round
 * trips. The database stays the truth: every save is guarded by the version, and a save that finds
 * another version (another instance wrote first) evicts the entry and the turn is run again.
 */
export class ConversationCache {
  private readonly entries: LruMap<string, CachedConversation>;

  constructor(
    private readonly db: SqlDb,
    max = 10_000,
  ) {
    this.entries = new LruMap(max);
  }

  async get(id: string): Promise<CachedConversation | null> {
    const hit = this.entries.get(id);
    if (hit) return hit;
    const [row] = await this.db.query<CachedConversation>(
      sql`SELECT c."id", c."petitionerId", c."channel", c."locale", c."state", c."version", c."tokenHash", c."liveAgent", p."channelUserId" AS "senderId"
        FROM "Conversation" c JOIN "Petitioner" p ON p."id" = c."petitionerId" WHERE c."id" = ${id}`,
    );
    if (!row) return null;
    this.set(row);
    return row;
  }

  set(entry: CachedConversation): void {
    this.entries.set(entry.id, entry);
  }

  evict(id: string): void {
    this.entries.delete(id);
  }
}
