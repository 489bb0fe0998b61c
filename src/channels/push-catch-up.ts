import type { SqlDb } from '../db/sql-driver.js';
import { joinSql, sql } from '../db/sql.js';
import { toView, type MessageView } from '../conversation/messages.js';
import type { Message as MessageRow } from '../../generated/sqlite/client.js';

/** Sessions asked about in one query. */
const CHUNK = 200;

interface Seen {
  /** Messages up to this sequence number have been pushed or were there before the socket opened. */
  seq: number;
  /** Pushed from this instance's own events, so the next read does not push them again. */
  ids: Set<string>;
  /**
   * Pushed by a read before this instance heard the event for it (relayed from the instance that
   * wrote it, a moment later): the event must not push it a second time.
   */
  read: Set<string>;
}

/** Messages remembered per session as already pushed by a read; the oldest are forgotten first. */
const READ_MEMORY = 64;

type Row = Omit<MessageRow, 'createdAt' | 'deliveredAt'> & { createdAt: Date | string; seq: number };

/**
 * Messages for an open socket that another hub instance wrote (an officer acted through it, its
 * deadline sweep closed the case): this instance hears its own events at once, the others' only
 * from the database. One query per interval covers every open session; it reads what was written
 * for the petitioner but not in answer to them (officer and status messages, follow-up questions).
 */
export class PushCatchUp {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly sql: SqlDb) {}

  /** From now on, for a session whose socket just opened. */
  async watch(conversationId: string): Promise<void> {
    if (this.seen.has(conversationId)) return;
    const [c] = await this.sql.query<{ lastSeq: number | string }>(sql`SELECT "lastSeq" FROM "Conversation" WHERE "id" = ${conversationId}`);
    this.seen.set(conversationId, { seq: Number(c?.lastSeq ?? 0), ids: new Set(), read: new Set() });
  }

  forget(conversationId: string): void {
    this.seen.delete(conversationId);
  }

  /**
   * A message this instance heard of as an event: whether to push it (false when a read already did).
   */
  pushed(conversationId: string, messageId: string): boolean {
    const s = this.seen.get(conversationId);
    if (s?.read.delete(messageId)) return false;
    s?.ids.add(messageId);
    return true;
  }

  /** What other instances wrote since the last call, by session, in order. */
  async read(): Promise<Map<string, MessageView[]>> {
    const out = new Map<string, MessageView[]>();
    const sessions = [...this.seen.entries()];
    for (let i = 0; i < sessions.length; i += CHUNK) {
      const part = sessions.slice(i, i + CHUNK);
      const which = joinSql(part.map(([id, s]) => sql`("conversationId" = ${id} AND "seq" > ${s.seq})`), ' OR ');
      const rows = await this.sql.query<Row>(
        sql`SELECT "id", "conversationId", "seq", "role", "text", "expects", "caseRef", "clientMessageId", "replyToId", "author", "createdAt"
          FROM "Message" WHERE (${which}) AND "role" <> ${'petitioner'} AND "replyToId" IS NULL ORDER BY "conversationId", "seq"`,
      );
      for (const row of rows) {
        const s = this.seen.get(row.conversationId);
        if (!s) continue;
        s.seq = Math.max(s.seq, Number(row.seq));
        if (s.ids.delete(row.id)) continue;
        s.read.add(row.id);
        if (s.read.size > READ_MEMORY) s.read.delete(s.read.values().next().value as string);
        const list = out.get(row.conversationId) ?? [];
        list.push(toView({ ...row, seq: Number(row.seq), createdAt: new Date(row.createdAt), deliveredAt: null }));
        out.set(row.conversationId, list);
      }
    }
    return out;
  }
}
