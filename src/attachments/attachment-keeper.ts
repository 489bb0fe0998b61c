import { createHash, randomUUID } from 'node:crypto';
import type { AttachmentKind } from '../channels/contract.js';
import type { Config } from '../config.js';
import { slackEnabled } from '../config.js';
import { sqlOf, type Db } from '../db/client.js';
import { seal } from '../db/personal-data.js';
import { execute, joinSql, query, sql } from '../db/sql.js';
import { HubError } from '../errors.js';
import type { Logger } from '../logger.js';
import { enqueueJob } from '../outbox/outbox.js';
import { checkContent } from './content-check.js';
import { reencodeImage } from './images.js';
import { configuredStorage, placeStorage, type AttachmentStorage } from './storage.js';
import { newStorageKey } from './storage-keys.js';
import { sizeText } from '../util/size-text.js';

export interface KeptAttachment {
  id: string;
  kind: AttachmentKind;
  contentType: string;
  size: number;
}

export interface AttachmentKeeper {
  /** The largest content taken, in bytes (ATTACHMENT_MAX_BYTES). */
  readonly maxBytes: number;
  /** Checks the content and stores it; nothing is stored when it is refused. */
  keep(input: { conversationId: string; channel: string; kind: AttachmentKind; bytes: Buffer; declaredType?: string; name?: string }): Promise<KeptAttachment>;
  /** Links kept attachments to the petitioner message that carries them (its caseId gives the case). */
  link(attachmentIds: readonly string[], messageId: string): Promise<void>;
}

/**
 * Outbox job (subject: a case id) saying that the case's material changed: material added to a filed
 * case is linked after its message was stored, so the Slack card, which lists it, is brought up to
 * date once more (officers/slack registers the handler; enqueued only when Slack is on).
 */
export const CASE_MATERIAL_JOB = 'attachments.case';

/** Message.caseId of a message that belongs to no case (a status query about another case). */
const NO_CASE = '-';


/** The sender's file name as kept: printable, at most 255 characters; null when there is nothing left. */
function keptName(name: string | undefined): string | null {
  const clean = (name ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return clean || null;
}

/**
 * Keeps petitioners' photos, voice messages, videos and files as material of their case
 * (docs/attachments.md): checked by content (content-check.ts), images re-encoded without metadata
 * and given a thumbnail (images.ts), stored under random keys (storage.ts), recorded as Attachment
 * rows. The storage is placed beside `db` for the console and retention (storageOf).
 */
export function createAttachmentKeeper(deps: { config: Config; db: Db; logger: Logger; now: () => Date }): AttachmentKeeper {
  const storage = configuredStorage(deps.config);
  placeStorage(deps.db, storage);
  return new Keeper({ ...deps, storage, maxBytes: deps.config.ATTACHMENT_MAX_BYTES, slack: slackEnabled(deps.config) });
}

class Keeper implements AttachmentKeeper {
  readonly maxBytes: number;

  constructor(private readonly deps: { db: Db; logger: Logger; now: () => Date; storage: AttachmentStorage; maxBytes: number; slack: boolean }) {
    this.maxBytes = deps.maxBytes;
  }

  async keep(input: { conversationId: string; channel: string; kind: AttachmentKind; bytes: Buffer; declaredType?: string; name?: string }): Promise<KeptAttachment> {
    const { db, logger, storage } = this.deps;
    const about = { channel: input.channel, conversationId: input.conversationId, kind: input.kind, bytes: input.bytes.length };
    let stored: { bytes: Buffer; contentType: string; kind: AttachmentKind; thumbnail: Buffer | null };
    try {
      if (input.bytes.length > this.maxBytes) {
        throw new HubError('attachment_too_large', `the file is ${sizeText(input.bytes.length, { up: true })}; at most ${sizeText(this.maxBytes)} is taken`);
      }
      const checked = await checkContent(input);
      stored = { bytes: input.bytes, contentType: checked.contentType, kind: checked.kind, thumbnail: null };
      if (checked.kind === 'image') {
        const image = await reencodeImage(input.bytes, checked.contentType);
        stored = { ...stored, bytes: image.bytes, thumbnail: image.thumbnail };
      }
    } catch (err) {
      // Why, by code and content type only: never the name, never the content.
      if (err instanceof HubError) logger.info({ ...about, refused: err.code, reason: err.message, detail: err.cause instanceof Error ? err.cause.message : undefined }, 'attachment refused');
      throw err;
    }
    const id = randomUUID();
    const storageKey = newStorageKey();
    const thumbnailKey = stored.thumbnail ? newStorageKey() : null;
    await storage.put(storageKey, stored.bytes, stored.contentType);
    try {
      if (stored.thumbnail && thumbnailKey) await storage.put(thumbnailKey, stored.thumbnail, 'image/webp');
      await db.attachment.create({
        data: {
          id, conversationId: input.conversationId, channel: input.channel, kind: stored.kind, contentType: stored.contentType, size: stored.bytes.length,
          sha256: createHash('sha256').update(stored.bytes).digest('hex'), storageKey, thumbnailKey, name: seal(keptName(input.name)), createdAt: this.deps.now(),
        },
      });
    } catch (err) {
      // Nothing is kept of an attachment that has no row: no content without a record of it.
      await storage.delete(storageKey).catch(() => undefined);
      if (thumbnailKey) await storage.delete(thumbnailKey).catch(() => undefined);
      throw err;
    }
    logger.info({ ...about, attachment: id, kind: stored.kind, contentType: stored.contentType, size: stored.bytes.length }, 'attachment kept');
    return { id, kind: stored.kind, contentType: stored.contentType, size: stored.bytes.length };
  }

  async link(attachmentIds: readonly string[], messageId: string): Promise<void> {
    const ids = [...new Set(attachmentIds)];
    if (!ids.length) return;
    const at = this.deps.now();
    const slack = this.deps.slack;
    await sqlOf(this.deps.db).transaction(function* () {
      const [m] = yield* query<{ conversationId: string; role: string; caseId: string | null }>(sql`SELECT "conversationId", "role", "caseId" FROM "Message" WHERE "id" = ${messageId}`);
      if (!m) throw new Error(`attachments: no message ${messageId} to link to`);
      if (m.role !== 'petitioner') throw new Error('attachments: only a petitioner message carries attachments');
      // Only attachments kept for this conversation, not yet another message's: a link cannot move material between cases.
      const linked = yield* execute(sql`UPDATE "Attachment" SET "messageId" = ${messageId}
        WHERE "id" IN (${joinSql(ids.map((id) => sql`${id}`))}) AND "conversationId" = ${m.conversationId}
          AND ("messageId" IS NULL OR "messageId" = ${messageId}) AND "removedAt" IS NULL`);
      if (linked !== ids.length) throw new Error(`attachments: ${ids.length - linked} of ${ids.length} are not this conversation's to link (unknown, removed, or another message's)`);
      if (slack && m.caseId && m.caseId !== NO_CASE) yield* enqueueJob(CASE_MATERIAL_JOB, m.caseId, at);
    });
  }
}
