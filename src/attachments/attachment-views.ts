import type { Db } from '../db/client.js';
import { inPrisma } from '../db/sql-driver.js';
import { insertEvent } from '../cases/case-rows.js';

/** How an attachment view is recorded (`via` of a `viewed` event; `views` in the admin API). */
export const ATTACHMENT_VIA = 'console_attachment';

export interface AttachmentViewRecord {
  caseId: string;
  status: string;
  actor: string;
  attachmentId: string;
  /** The case page's preview rather than the attachment itself. */
  thumbnail: boolean;
  at: Date;
  /**
   * For previews: a view by the same person of the same preview since then makes this one part of
   * it (the case page shows previews each time it is opened; the first of a sitting is recorded).
   */
  coalesceSince?: Date;
}

/**
 * Records on the case that an officer was shown an attachment, before it is sent, as other reads of
 * personal data are recorded (a `viewed` event in the case's chain, listed in `views`). Its `via` is
 * not the console's reveal, so it never unmasks the case's other personal data.
 */
export async function recordAttachmentView(db: Db, v: AttachmentViewRecord): Promise<void> {
  const data = { via: ATTACHMENT_VIA, attachment: v.attachmentId, ...(v.thumbnail ? { thumbnail: true } : {}) };
  if (v.coalesceSince) {
    const recent = await db.caseEvent.findMany({ where: { caseId: v.caseId, type: 'viewed', actor: v.actor, createdAt: { gte: v.coalesceSince } }, select: { data: true } });
    if (recent.some((e) => e.data === JSON.stringify(data))) return;
  }
  await db.$transaction((tx) => inPrisma(tx, insertEvent({ caseId: v.caseId, type: 'viewed', fromStatus: v.status, toStatus: v.status, actor: v.actor, data: JSON.stringify(data), at: v.at })));
}
