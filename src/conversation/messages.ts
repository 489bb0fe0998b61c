import { newId } from '../util/ids.js';
import type { Tx } from '../db/client.js';
import type { Expects } from '../engine/types.js';
import type { Message as MessageRow } from '../../generated/sqlite/client.js';
import { dialect, execute, joinSql, query, sql, type Statement, type TxBody } from '../db/sql.js';
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
  if ((yield* dialect()) === 'postgresql') return yield* appendTogether(items);
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
    const rows = messageRows(item, item.drafts.map(idOf), Number(updated.lastSeq) - n + 1);
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

const idOf = (d: Draft) => d.id ?? newId();

/**
 * PostgreSQL: every turn of a batch in one statement, one round trip however many turns the group
 * commit holds (on SQLite, in the process, statements cost no trip). The turns and their messages
 * travel as arrays, so the text never changes and the server plans it once per connection. Each
 * conversation's update is version-guarded as above, and its messages take their numbers from the
 * update's RETURNING, so a stale turn stores nothing. A statement updates a row once at most: a
 * conversation that comes twice in one batch (never, while a conversation's turns wait for each
 * other) goes into the next statement.
 */
function* appendTogether(items: AppendItem[]): TxBody<(MessageRow[] | null)[]> {
  const ids = items.map((item) => item.drafts.map(idOf));
  const result: (MessageRow[] | null)[] = items.map(() => null);
  for (const chunk of distinctRuns(items)) {
    const turns = chunk.map((i) => items[i]);
    const messages = chunk.flatMap((i) => messageRows(items[i], ids[i], 0).map((r, k) => ({ r, k: k + 1, item: items[i] })));
    const saved = yield* query<{ id: string; lastSeq: number | bigint }>(sql`WITH
      "t" AS (SELECT * FROM unnest(${turns.map((t) => t.conversationId)}::text[], ${turns.map((t) => t.drafts.length)}::int[], ${turns.map((t) => t.save?.version ?? null)}::int[],
        ${turns.map((t) => (t.save ? seal(t.save.state) : null))}::text[], ${turns.map((t) => t.save?.locale ?? null)}::text[], ${turns.map((t) => t.now)}::timestamp(3)[])
        AS "t" ("id", "n", "version", "state", "locale", "now")),
      "c" AS (UPDATE "Conversation" AS "conv" SET "lastSeq" = "conv"."lastSeq" + "t"."n", "updatedAt" = "t"."now",
          "version" = "conv"."version" + (CASE WHEN "t"."version" IS NULL THEN 0 ELSE 1 END),
          "state" = COALESCE("t"."state", "conv"."state"), "locale" = COALESCE("t"."locale", "conv"."locale")
        FROM "t" WHERE "conv"."id" = "t"."id" AND ("t"."version" IS NULL OR "conv"."version" = "t"."version")
        RETURNING "conv"."id", "conv"."lastSeq", "t"."n"),
      "m" AS (INSERT INTO "Message" ("id", "conversationId", "seq", "role", "text", "expects", "caseRef", "clientMessageId", "replyToId", "author", "createdAt", "caseId")
        SELECT "v"."id", "v"."conversationId", "c"."lastSeq" - "c"."n" + "v"."k", "v"."role", "v"."text", "v"."expects", "v"."caseRef", "v"."clientMessageId", "v"."replyToId", "v"."author", "v"."createdAt",
          CASE "v"."caseMode"
            WHEN 'number' THEN (SELECT "id" FROM "Case" WHERE "trackingNumber" = "v"."caseNumber")
            WHEN 'latest' THEN (SELECT "id" FROM "Case" WHERE "conversationId" = "v"."conversationId" ORDER BY "createdAt" DESC LIMIT 1)
            WHEN 'none' THEN ${NO_CASE}
          END
        FROM unnest(${messages.map((m) => m.r.id)}::text[], ${messages.map((m) => m.r.conversationId)}::text[], ${messages.map((m) => m.k)}::int[], ${messages.map((m) => m.r.role)}::text[],
          ${messages.map((m) => seal(m.r.text))}::text[], ${messages.map((m) => m.r.expects)}::text[], ${messages.map((m) => m.r.caseRef)}::text[], ${messages.map((m) => m.r.clientMessageId)}::text[],
          ${messages.map((m) => m.r.replyToId)}::text[], ${messages.map((m) => m.r.author)}::text[], ${messages.map((m) => m.r.createdAt)}::timestamp(3)[],
          ${messages.map((m) => caseMode(m.item))}::text[], ${messages.map((m) => (typeof m.item.caseNumber === 'string' && m.item.caseNumber !== NO_CASE ? m.item.caseNumber : null))}::text[])
          AS "v" ("id", "conversationId", "k", "role", "text", "expects", "caseRef", "clientMessageId", "replyToId", "author", "createdAt", "caseMode", "caseNumber")
        JOIN "c" ON "c"."id" = "v"."conversationId")
    SELECT "id", "lastSeq" FROM "c"`);
    const lastSeq = new Map(saved.map((row) => [row.id, Number(row.lastSeq)]));
    for (const i of chunk) {
      const last = lastSeq.get(items[i].conversationId);
      if (last !== undefined) result[i] = messageRows(items[i], ids[i], last - items[i].drafts.length + 1);
    }
  }
  return result;
}

/** How a message's case is found (see caseOf): by number, the conversation's latest, none ever, or none yet (null). */
function caseMode(item: AppendItem): string | null {
  if (item.caseNumber === NO_CASE) return 'none';
  if (item.caseNumber === null) return null;
  return item.caseNumber ? 'number' : 'latest';
}

/** The items' indexes in runs within which no conversation comes twice, in order. */
function distinctRuns(items: AppendItem[]): number[][] {
  const runs: number[][] = [];
  let seen = new Set<string>();
  items.forEach((item, i) => {
    if (!runs.length || seen.has(item.conversationId)) {
      runs.push([]);
      seen = new Set();
    }
    seen.add(item.conversationId);
    runs[runs.length - 1].push(i);
  });
  return runs;
}

/** The one-conversation case of appendTurns, in a Prisma transaction; a stale state is an error. */
export async function appendMessages(tx: Tx, conversationId: string, drafts: Draft[], now: Date, save?: StateSave, caseNumber?: MessageCase): Promise<MessageRow[]> {
  const [rows] = await inPrisma(tx, appendTurns([{ conversationId, drafts, now, save, caseNumber }]));
  if (!rows) throw new StaleConversationError(conversationId);
  return rows;
}

function messageRows(item: AppendItem, ids: string[], firstSeq: number): MessageRow[] {
  return item.drafts.map((d, i) => ({
    id: ids[i],
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
