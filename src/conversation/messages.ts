import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/client.js';
import type { Expects } from '../engine/types.js';
import { Prisma, type Message as MessageRow } from '../../generated/sqlite/client.js';

const { sql, join } = Prisma;

export type Role = 'petitioner' | 'bot' | 'officer' | 'system';

/** CONTRACTS.md Message / BotMessage. */
export interface MessageView {
  id: string;
  role: Role;
  text: string;
  createdAt: string;
  expects?: Expects;
  caseRef?: string;
  /** On petitioner messages: the id the client sent, so it can match its local copy after a resync. */
  clientMessageId?: string;
}

export interface Draft {
  role: Role;
  text: string;
  expects?: Expects;
  caseRef?: string;
  clientMessageId?: string;
  replyToId?: string;
  author?: string;
  /** Preset when the caller must refer to the message before it is stored. */
  id?: string;
}

export function toView(row: MessageRow): MessageView {
  const view: MessageView = { id: row.id, role: row.role as Role, text: row.text, createdAt: row.createdAt.toISOString() };
  if (row.expects) view.expects = JSON.parse(row.expects) as Expects;
  if (row.caseRef) view.caseRef = row.caseRef;
  if (row.clientMessageId) view.clientMessageId = row.clientMessageId;
  return view;
}

/** What a turn saves with its messages: the new dialogue state, guarded by the version it was read at. */
export interface StateSave {
  state: string;
  locale: string;
  version: number;
}

/** The conversation was saved by someone else since it was read (another instance, a racing turn). */
export class StaleConversationError extends Error {
  constructor(conversationId: string) {
    super(`conversation ${conversationId} changed since it was read`);
    this.name = 'StaleConversationError';
  }
}

/**
 * Stores messages at the end of a conversation, with the turn's new state when there is one.
 * Sequence numbers come from an atomic increment on the conversation row, so turns, officer messages
 * and other instances never collide. Written as two plain SQL statements because this is the hot
 * path of every turn: Prisma's query compiler costs several times the SQL itself here
 * (docs/benchmarks.md), and this SQL is the same for SQLite and PostgreSQL.
 */
export async function appendMessages(tx: Tx, conversationId: string, drafts: Draft[], now: Date, save?: StateSave): Promise<MessageRow[]> {
  const n = drafts.length;
  const updated = save
    ? await tx.$queryRaw<{ lastSeq: number | bigint }[]>`UPDATE "Conversation" SET "lastSeq" = "lastSeq" + ${n}, "state" = ${save.state}, "locale" = ${save.locale}, "version" = "version" + 1, "updatedAt" = ${now} WHERE "id" = ${conversationId} AND "version" = ${save.version} RETURNING "lastSeq"`
    : await tx.$queryRaw<{ lastSeq: number | bigint }[]>`UPDATE "Conversation" SET "lastSeq" = "lastSeq" + ${n}, "updatedAt" = ${now} WHERE "id" = ${conversationId} RETURNING "lastSeq"`;
  if (updated.length === 0) throw new StaleConversationError(conversationId);
  const first = Number(updated[0].lastSeq) - n + 1;
  const rows: MessageRow[] = drafts.map((d, i) => ({
    id: d.id ?? randomUUID(),
    conversationId,
    seq: first + i,
    role: d.role,
    text: d.text,
    expects: d.expects ? JSON.stringify(d.expects) : null,
    caseRef: d.caseRef ?? null,
    clientMessageId: d.clientMessageId ?? null,
    replyToId: d.replyToId ?? null,
    author: d.author ?? null,
    // Milliseconds apart so that time order matches sequence order for readers that sort by time.
    createdAt: new Date(now.getTime() + i),
  }));
  if (n === 0) return rows;
  const values = rows.map(
    (r) => sql`(${r.id}, ${r.conversationId}, ${r.seq}, ${r.role}, ${r.text}, ${r.expects}, ${r.caseRef}, ${r.clientMessageId}, ${r.replyToId}, ${r.author}, ${r.createdAt})`,
  );
  await tx.$executeRaw`INSERT INTO "Message" ("id", "conversationId", "seq", "role", "text", "expects", "caseRef", "clientMessageId", "replyToId", "author", "createdAt") VALUES ${join(values)}`;
  return rows;
}
