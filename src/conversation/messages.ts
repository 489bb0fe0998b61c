import { newId } from '../util/ids.js';
import type { Tx } from '../db/client.js';
import type { Expects } from '../engine/types.js';
import type { Message as MessageRow } from '../../generated/sqlite/client.js';
import { execute, joinSql, query, sql, type Statement, type TxBody } from '../db/sql.js';
import { inPrisma } from '../db/sql-driver.js';
import { seal } from '../db/personal-data.js';

export type Role = 'petitioner' | 'bot' | 'officer' | 'system';

/** Message / BotMessage of the web chat API (docs/api.md, web chat API: message shapes). */
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

/** A message as plain text for channels without a place to show the tracking number separately. */
export function deliverableText(m: { text: string; caseRef?: string | null }): string {
  return m.caseRef && !m.text.includes(m.caseRef) ? `${m.text}\n${m.caseRef}` : m.text;
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

/** New messages for one conversation, with the turn's new state when there is one. */
/** Message.caseId of a message that belongs to no case (a status query about someone else's case). */
export const NO_CASE = '-';

/**
 * Which case the messages belong to: a tracking number; null for none yet (a matter not filed yet:
 * filing claims them); NO_CASE for none ever; left out, the conversation's latest case (officer
 * messages in a live conversation, notices).
 */
export type MessageCase = string | null | undefined;

export interface AppendItem {
  conversationId: string;
  drafts: Draft[];
  now: Date;
  save?: StateSave;
  caseNumber?: MessageCase;
}

function caseOf(item: AppendItem): Statement {
  if (item.caseNumber === NO_CASE) return sql`${NO_CASE}`;
  if (item.caseNumber === null) return sql`${null}`;
  if (item.caseNumber) return sql`(SELECT "id" FROM "Case" WHERE "trackingNumber" = ${item.caseNumber})`;
  return sql`(SELECT "id" FROM "Case" WHERE "conversationId" = ${item.conversationId} ORDER BY "createdAt" DESC LIMIT 1)`;
}

/**
 * Stores messages at the end of one or several conversations, with each turn's new state. Sequence
 * numbers come from an atomic increment on the conversation row, so turns, officer messages and
 * other instances never collide; a state is saved only if its version is still the one read. Plain
 * SQL, run on the driver for turns (see sql-driver.ts) and in Prisma transactions elsewhere. Returns
 * the stored rows per item, or null for a stale item (nothing of it is written).
 */
export function* appendTurns(items: AppendItem[]): TxBody<(MessageRow[] | null)[]> {
  const result: (MessageRow[] | null)[] = [];
  for (const item of items) {
    const n = item.drafts.length;
    const s = item.save;
    const [updated] = yield* query<{ lastSeq: number | bigint }>(
      s
        ? sql`UPDATE "Conversation" SET "lastSeq" = "lastSeq" + ${n}, "version" = "version" + 1, "state" = ${seal(s.state)}, "locale" = ${s.locale}, "updatedAt" = ${item.now}
            WHERE "id" = ${item.conversationId} AND "version" = ${s.version} RETURNING "lastSeq"`
        : sql`UPDATE "Conversation" SET "lastSeq" = "lastSeq" + ${n}, "updatedAt" = ${item.now} WHERE "id" = ${item.conversationId} RETURNING "lastSeq"`,
    );
    if (!updated) {
      result.push(null);
      continue;
    }
    const rows = messageRows(item, Number(updated.lastSeq) - n + 1);
    // One statement per turn, not per batch: its text then depends only on the turn's message count
    // and how its case is named, so the driver prepares it a few times instead of once per batch size.
    const caseId = caseOf(item);
    const values = rows.map(
      (r) => sql`(${r.id}, ${r.conversationId}, ${r.seq}, ${r.role}, ${seal(r.text)}, ${r.expects}, ${r.caseRef}, ${r.clientMessageId}, ${r.replyToId}, ${r.author}, ${r.createdAt}, ${caseId})`,
    );
    yield* execute(sql`INSERT INTO "Message" ("id", "conversationId", "seq", "role", "text", "expects", "caseRef", "clientMessageId", "replyToId", "author", "createdAt", "caseId") VALUES ${joinSql(values)}`);
    result.push(rows);
  }
  return result;
}

/** The one-conversation case of appendTurns, in a Prisma transaction; a stale state is an error. */
export async function appendMessages(tx: Tx, conversationId: string, drafts: Draft[], now: Date, save?: StateSave, caseNumber?: MessageCase): Promise<MessageRow[]> {
  const [rows] = await inPrisma(tx, appendTurns([{ conversationId, drafts, now, save, caseNumber }]));
  if (!rows) throw new StaleConversationError(conversationId);
  return rows;
}

function messageRows(item: AppendItem, firstSeq: number): MessageRow[] {
  return item.drafts.map((d, i) => ({
    id: d.id ?? newId(),
    conversationId: item.conversationId,
    seq: firstSeq + i,
    role: d.role,
    text: d.text,
    expects: d.expects ? JSON.stringify(d.expects) : null,
    caseRef: d.caseRef ?? null,
    clientMessageId: d.clientMessageId ?? null,
    replyToId: d.replyToId ?? null,
    author: d.author ?? null,
    deliveredAt: null,
    // Resolved by the statement (a tracking number's case id); no caller reads it from here.
    caseId: null,
    // Milliseconds apart so that time order matches sequence order for readers that sort by time.
    createdAt: new Date(item.now.getTime() + i),
  }));
}
