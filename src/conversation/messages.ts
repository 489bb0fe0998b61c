import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/client.js';
import type { Expects } from '../engine/types.js';
import type { Message as MessageRow } from '../../generated/sqlite/client.js';

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

/**
 * Stores messages at the end of a conversation. Sequence numbers come from an atomic increment on
 * the conversation row, so turns, officer messages and other instances never collide.
 */
export async function appendMessages(
  tx: Tx,
  conversationId: string,
  drafts: Draft[],
  now: Date,
  conversationUpdate: Record<string, unknown> = {},
  expectedVersion?: number,
): Promise<MessageRow[]> {
  const where = expectedVersion === undefined ? { id: conversationId } : { id: conversationId, version: expectedVersion };
  const { lastSeq } = await tx.conversation.update({
    where,
    data: { ...conversationUpdate, lastSeq: { increment: drafts.length } },
    select: { lastSeq: true },
  });
  const first = lastSeq - drafts.length + 1;
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
  if (rows.length) await tx.message.createMany({ data: rows });
  return rows;
}
