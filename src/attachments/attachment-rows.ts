import type { Db } from '../db/client.js';
import type { SqlDb } from '../db/sql-driver.js';
import { execute, sql, type TxBody } from '../db/sql.js';
import type { Logger } from '../logger.js';
import type { AttachmentKind } from '../channels/contract.js';
import type { AttachmentStorage } from './storage.js';

/** An attachment of a case, as officers' views list it: what it is, never what it holds. */
export interface CaseAttachment {
  id: string;
  /** The petitioner message that carried it. */
  messageId: string;
  kind: AttachmentKind;
  contentType: string;
  size: number;
  createdAt: Date;
  hasThumbnail: boolean;
}

/** Attachments kept but never linked to a message (the turn that would have carried them failed) go after this. */
export const UNLINKED_MS = 86_400_000;
const PURGE_BATCH = 100;

/**
 * The attachments carried by these messages (a case's own messages: CaseService.view), oldest
 * first; none that are being deleted.
 */
export async function attachmentsOfMessages(db: Db, messageIds: readonly string[]): Promise<CaseAttachment[]> {
  if (!messageIds.length) return [];
  const rows = await db.attachment.findMany({
    where: { messageId: { in: [...messageIds] }, removedAt: null },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, messageId: true, kind: true, contentType: true, size: true, createdAt: true, thumbnailKey: true },
  });
  return rows.map((r) => ({ id: r.id, messageId: r.messageId as string, kind: r.kind as AttachmentKind, contentType: r.contentType, size: r.size, createdAt: r.createdAt, hasThumbnail: r.thumbnailKey !== null }));
}

/** A case's attachments, by the case's messages (an attachment belongs to the case its message does). */
export async function attachmentsOfCase(db: Db, caseId: string): Promise<CaseAttachment[]> {
  const messages = await db.message.findMany({ where: { caseId, role: 'petitioner' }, select: { id: true } });
  return attachmentsOfMessages(db, messages.map((m) => m.id));
}

/**
 * Within an anonymisation (src/cases/anonymise.ts): the case's attachments are marked for deletion and
 * lose the sender's file name at once, in the same transaction; from then on nothing serves them.
 * Their stored content goes with the next purge (a storage is not part of a database transaction).
 * Returns how many were marked.
 */
export function* removeCaseAttachments(caseId: string, at: Date): TxBody<number> {
  return yield* execute(sql`UPDATE "Attachment" SET "name" = ${null}, "removedAt" = ${at}
    WHERE "removedAt" IS NULL AND "messageId" IN (SELECT "id" FROM "Message" WHERE "caseId" = ${caseId})`);
}

/**
 * Deletes the stored content and thumbnails of attachments marked for deletion, then their rows; also
 * marks those never linked to a message within UNLINKED_MS. When the storage refuses (unreachable),
 * the rest wait for the next run, still marked. Run by Retention on each deadline sweep. Returns how
 * many were deleted.
 */
export async function purgeAttachments(deps: { sql: SqlDb; storage: AttachmentStorage; logger: Logger }, at: Date): Promise<number> {
  const { sql: db, storage, logger } = deps;
  await db.execute(sql`UPDATE "Attachment" SET "name" = ${null}, "removedAt" = ${at}
    WHERE "removedAt" IS NULL AND "messageId" IS NULL AND "createdAt" < ${new Date(at.getTime() - UNLINKED_MS)}`);
  let deleted = 0;
  for (;;) {
    const rows = await db.query<{ id: string; storageKey: string; thumbnailKey: string | null }>(sql`SELECT "id", "storageKey", "thumbnailKey" FROM "Attachment"
      WHERE "removedAt" IS NOT NULL ORDER BY "removedAt", "id" LIMIT ${PURGE_BATCH}`);
    for (const r of rows) {
      try {
        await storage.delete(r.storageKey);
        if (r.thumbnailKey) await storage.delete(r.thumbnailKey);
      } catch (err) {
        logger.warn({ err, attachment: r.id, storage: storage.describe }, 'attachment content could not be deleted yet; tried again on the next sweep');
        return deleted;
      }
      await db.execute(sql`DELETE FROM "Attachment" WHERE "id" = ${r.id} AND "removedAt" IS NOT NULL`);
      deleted++;
    }
    if (rows.length < PURGE_BATCH) break;
  }
  if (deleted) logger.info({ deleted, storage: storage.describe }, 'attachments deleted from storage (anonymised cases, never linked)');
  return deleted;
}
