import type { Request, Response, Router } from 'express';
import { actorOf } from '../../src/accounts/officer.js';
import type { Db } from '../../src/db/client.js';
import { HubError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { OfficerCases } from '../../src/cases/officer-cases.js';
import { REVEAL_MS } from '../../src/cases/officer-cases.js';
import { storageOf } from '../../src/attachments/storage.js';
import { extensionOf } from '../../src/attachments/content-check.js';
import { recordAttachmentView } from '../../src/attachments/attachment-views.js';
import { signedIn } from './session.js';

/**
 * What an attachment is served with. The type is the one the content check found (never the
 * sender's); the browser may not guess another (nosniff); the response is a sandbox that may load
 * and run nothing, so even a file that slipped through as something else cannot act as a page of
 * the console; it is not kept in any cache, and no other site may embed it.
 */
const HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Cache-Control': 'private, no-store',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * GET /console/cases/:ref/attachments/:id[/thumbnail]: a case's photo, voice message, video or file,
 * to an officer who may see the case (the case page's rule: otherwise "no such case"), and only one
 * whose message belongs to that case. Every view is recorded on the case before the content is sent
 * (the case page's previews once per officer and sitting). Mounted behind the console's sign-in.
 */
export function mountAttachmentRoutes(r: Router, deps: { db: Db; cases: OfficerCases; logger: Logger; now: () => Date }): void {
  const serve = async (req: Request, res: Response, thumbnail: boolean) => {
    const o = signedIn(res).officer;
    const ref = String(req.params.ref);
    const id = String(req.params.id);
    // The scope check of the case page; the view lists only attachments of this case's own messages.
    const view = await deps.cases.open(o, ref);
    const listed = view.attachments.find((a) => a.id === id);
    const notFound = new HubError('not_found', 'no such attachment in this case');
    if (!listed || (thumbnail && !listed.thumbnailUrl)) throw notFound;
    const storage = storageOf(deps.db);
    const row = await deps.db.attachment.findUnique({ where: { id }, select: { storageKey: true, thumbnailKey: true, contentType: true, kind: true } });
    const c = await deps.db.case.findUnique({ where: { trackingNumber: ref }, select: { id: true, status: true } });
    const key = thumbnail ? row?.thumbnailKey : row?.storageKey;
    if (!storage || !row || !key || !c) throw notFound;
    const at = deps.now();
    await recordAttachmentView(deps.db, { caseId: c.id, status: c.status, actor: actorOf(o), attachmentId: id, thumbnail, at, coalesceSince: thumbnail ? new Date(at.getTime() - REVEAL_MS) : undefined });
    const bytes = await storage.get(key);
    if (!bytes) {
      deps.logger.error({ attachment: id, thumbnail, storage: storage.describe }, 'attachment content is missing from storage');
      throw notFound;
    }
    const image = thumbnail || row.kind === 'image';
    const type = thumbnail ? 'image/webp' : row.contentType;
    // Never the sender's file name (personal data, and text a sender chose): the kind and the id.
    const filename = `${row.kind}-${id.slice(0, 8)}.${thumbnail ? 'webp' : extensionOf(row.contentType)}`;
    res.set({ ...HEADERS, 'Content-Type': type, 'Content-Length': String(bytes.length), 'Content-Disposition': `${image ? 'inline' : 'attachment'}; filename="${filename}"` });
    res.status(200).end(bytes);
  };
  r.get('/cases/:ref/attachments/:id', (req, res) => serve(req, res, false));
  r.get('/cases/:ref/attachments/:id/thumbnail', (req, res) => serve(req, res, true));
}
