import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { sqlitePath, type Db } from '../../src/db/client.js';
import { isSealed, useConfiguredKeys } from '../../src/db/personal-data.js';
import { rotateKeys, unsealedCount } from '../../src/db/rotate-keys.js';
import { sqlOf } from '../../src/db/client.js';
import { HubError } from '../../src/errors.js';
import { CASE_MATERIAL_JOB, createAttachmentKeeper, type AttachmentKeeper } from '../../src/attachments/attachment-keeper.js';
import { LocalStorage } from '../../src/attachments/local-storage.js';
import { storageOf } from '../../src/attachments/storage.js';
import { newStorageKey } from '../../src/attachments/storage-keys.js';
import { MAX_SIDE, THUMBNAIL_SIDE } from '../../src/attachments/images.js';
import { CAMERA, SECRET_PLACE, phoneJpeg, png, samples } from '../helpers/media.js';
import { TEST_PROVIDER } from '../helpers/test-db.js';
import { migratedTestDb, type MigratedDb } from '../helpers/migrated-db.js';

const quiet = pino({ level: 'silent' });
const NOW = new Date('2026-03-02T08:00:00Z');
const SENDER_NAME = '王小红的身份证照片.jpg';

/** Every file under a folder, as paths relative to it. */
function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
  } catch {
    return [];
  }
}

async function refusalOf(p: Promise<unknown>): Promise<HubError> {
  const outcome = await p.then(
    () => new Error('it was kept'),
    (err: unknown) => err,
  );
  if (!(outcome instanceof HubError)) throw outcome;
  return outcome;
}

describe(`keeping attachments on ${TEST_PROVIDER}`, () => {
  let testDb: MigratedDb;
  let db: Db;
  let dir: string;
  let keeper: AttachmentKeeper;
  let n = 0;

  const configFor = (env: Record<string, string> = {}) => loadConfig({ DATABASE_URL: 'file:./unused.db', ATTACHMENTS_DIR: dir, ...env });

  /** A conversation with one petitioner message and one bot message, as the hub writes them. */
  async function conversation(caseId: string | null = null): Promise<{ conversationId: string; messageId: string; botMessageId: string }> {
    const i = ++n;
    await db.petitioner.create({ data: { id: `p${i}`, channel: 'webchat', channelUserId: `u${i}` } });
    await db.conversation.create({ data: { id: `conv${i}`, petitionerId: `p${i}`, channel: 'webchat', locale: 'zh-CN', state: '{}' } });
    await db.message.create({ data: { id: `m${i}`, conversationId: `conv${i}`, seq: 1, role: 'petitioner', text: '[图片 image]', caseId } });
    await db.message.create({ data: { id: `b${i}`, conversationId: `conv${i}`, seq: 2, role: 'bot', text: '收到', caseId } });
    return { conversationId: `conv${i}`, messageId: `m${i}`, botMessageId: `b${i}` };
  }

  beforeAll(async () => {
    testDb = await migratedTestDb();
    db = testDb.db;
    dir = mkdtempSync(join(tmpdir(), 'hub-attachments-'));
    keeper = createAttachmentKeeper({ config: configFor(), db, logger: quiet, now: () => NOW });
  });
  afterAll(async () => {
    await testDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => useConfiguredKeys(undefined));

  it('keeps a PNG: re-encoded under a random name, with a thumbnail, its row naming the checked type', async () => {
    const { conversationId } = await conversation();
    const before = filesUnder(dir).length;
    const photo = await png(640, 480);
    const kept = await keeper.keep({ conversationId, channel: 'webchat', kind: 'image', bytes: photo, declaredType: 'image/png', name: SENDER_NAME });
    expect(kept).toMatchObject({ kind: 'image', contentType: 'image/png' });
    const row = await db.attachment.findUniqueOrThrow({ where: { id: kept.id } });
    expect(row).toMatchObject({ conversationId, messageId: null, channel: 'webchat', kind: 'image', contentType: 'image/png', size: kept.size, name: SENDER_NAME, removedAt: null });
    const files = filesUnder(dir);
    expect(files).toHaveLength(before + 2);
    // File names are the random storage keys: nothing of the sender's name, nor the case.
    expect(files.filter((f) => f.endsWith(row.storageKey) || f.endsWith(row.thumbnailKey as string))).toHaveLength(2);
    expect(files.join('\n')).not.toMatch(/王小红|\.jpg|身份证|conv/);
    const stored = readFileSync(join(dir, row.storageKey.slice(0, 2), row.storageKey));
    expect(stored.length).toBe(kept.size);
    expect((await sharp(stored).metadata())).toMatchObject({ format: 'png', width: 640, height: 480 });
    const thumb = await sharp(readFileSync(join(dir, (row.thumbnailKey as string).slice(0, 2), row.thumbnailKey as string))).metadata();
    expect(thumb).toMatchObject({ format: 'webp', width: THUMBNAIL_SIDE, height: 240 });
    expect(await storageOf(db)?.get(row.storageKey)).toEqual(stored);
  });

  it('strips EXIF (GPS position, camera) from a phone photo and turns it upright', async () => {
    const { conversationId } = await conversation();
    const photo = await phoneJpeg();
    expect(photo.toString('latin1')).toContain(SECRET_PLACE);
    const kept = await keeper.keep({ conversationId, channel: 'wechat-oa', kind: 'image', bytes: photo, declaredType: 'image/jpeg' });
    const row = await db.attachment.findUniqueOrThrow({ where: { id: kept.id } });
    const stored = (await storageOf(db)?.get(row.storageKey)) as Buffer;
    expect(stored.toString('latin1')).not.toContain(SECRET_PLACE);
    expect(stored.toString('latin1')).not.toContain(CAMERA);
    const meta = await sharp(stored).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 40, height: 80 });
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
  });

  it('caps a huge photo at the longest side it keeps', async () => {
    const { conversationId } = await conversation();
    const kept = await keeper.keep({ conversationId, channel: 'webchat', kind: 'image', bytes: await png(MAX_SIDE + 904, 100) });
    const row = await db.attachment.findUniqueOrThrow({ where: { id: kept.id } });
    expect((await sharp((await storageOf(db)?.get(row.storageKey)) as Buffer).metadata()).width).toBe(MAX_SIDE);
  });

  it('keeps a voice message and a PDF as they came, without a thumbnail', async () => {
    const { conversationId } = await conversation();
    const voice = samples.wechatSilk();
    const kept = await keeper.keep({ conversationId, channel: 'wechat', kind: 'voice', bytes: voice });
    const row = await db.attachment.findUniqueOrThrow({ where: { id: kept.id } });
    expect(row).toMatchObject({ contentType: 'audio/silk', kind: 'voice', thumbnailKey: null, size: voice.length });
    expect(await storageOf(db)?.get(row.storageKey)).toEqual(voice);
    expect(row.sha256).toBe((await import('node:crypto')).createHash('sha256').update(voice).digest('hex'));
    const doc = await keeper.keep({ conversationId, channel: 'slack', kind: 'file', bytes: samples.pdf(), declaredType: 'application/pdf', name: '材料.pdf' });
    expect(doc).toMatchObject({ kind: 'file', contentType: 'application/pdf' });
  });

  it('stores nothing when it refuses: a page named photo.jpg declared image/jpeg, an SVG, a file too large', async () => {
    const { conversationId } = await conversation();
    const files = filesUnder(dir);
    const rows = await db.attachment.count();
    const page = await refusalOf(keeper.keep({ conversationId, channel: 'webchat', kind: 'image', bytes: samples.html(), declaredType: 'image/jpeg', name: 'photo.jpg' }));
    expect([page.code, page.status]).toEqual(['attachment_refused', 415]);
    const svg = await refusalOf(keeper.keep({ conversationId, channel: 'slack', kind: 'image', bytes: samples.svg(), declaredType: 'image/svg+xml', name: 'photo.svg' }));
    expect(svg.code).toBe('attachment_refused');
    const small = createAttachmentKeeper({ config: configFor({ ATTACHMENT_MAX_BYTES: '2048' }), db, logger: quiet, now: () => NOW });
    expect(small.maxBytes).toBe(2048);
    const big = await refusalOf(small.keep({ conversationId, channel: 'webchat', kind: 'file', bytes: Buffer.concat([samples.pdf(), Buffer.alloc(4096, 0x20)]) }));
    expect([big.code, big.status]).toEqual(['attachment_too_large', 413]);
    expect(big.message).toBe('the file is 5 KB; at most 2 KB is taken');
    const damaged = await refusalOf(keeper.keep({ conversationId, channel: 'webchat', kind: 'image', bytes: (await png()).subarray(0, 60) }));
    expect(damaged.code).toBe('attachment_refused');
    expect(filesUnder(dir)).toEqual(files);
    expect(await db.attachment.count()).toBe(rows);
  });

  it('links kept attachments to the petitioner message that carries them, once, in its own conversation only', async () => {
    const a = await conversation();
    const b = await conversation();
    const kept = await keeper.keep({ conversationId: a.conversationId, channel: 'webchat', kind: 'voice', bytes: samples.amr() });
    await expect(keeper.link([kept.id], b.messageId)).rejects.toThrow(/not this conversation's/);
    await expect(keeper.link([kept.id], a.botMessageId)).rejects.toThrow(/petitioner message/);
    await expect(keeper.link([kept.id], 'no-such-message')).rejects.toThrow(/no message/);
    expect((await db.attachment.findUniqueOrThrow({ where: { id: kept.id } })).messageId).toBeNull();
    await keeper.link([kept.id, kept.id], a.messageId);
    await keeper.link([kept.id], a.messageId); // a retry is harmless
    expect((await db.attachment.findUniqueOrThrow({ where: { id: kept.id } })).messageId).toBe(a.messageId);
    // Linked to one message, it cannot be moved to another of the same conversation.
    const other = await db.message.create({ data: { id: `${a.messageId}-2`, conversationId: a.conversationId, seq: 3, role: 'petitioner', text: 'x' } });
    await expect(keeper.link([kept.id], other.id)).rejects.toThrow(/another message's/);
  });

  it('asks for the Slack card again when material reaches a filed case (only with Slack on)', async () => {
    const filed = await conversation('case-with-card');
    const kept = await keeper.keep({ conversationId: filed.conversationId, channel: 'webchat', kind: 'voice', bytes: samples.amr() });
    await keeper.link([kept.id], filed.messageId);
    expect(await db.outboxJob.count({ where: { kind: CASE_MATERIAL_JOB } })).toBe(0);
    const slack = createAttachmentKeeper({ config: configFor({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret' }), db, logger: quiet, now: () => NOW });
    const again = await slack.keep({ conversationId: filed.conversationId, channel: 'webchat', kind: 'voice', bytes: samples.amr() });
    await slack.link([again.id], filed.messageId);
    expect(await db.outboxJob.findMany({ where: { kind: CASE_MATERIAL_JOB }, select: { subject: true } })).toEqual([{ subject: 'case-with-card' }]);
    // Before filing there is no card to update.
    const unfiled = await conversation();
    const early = await slack.keep({ conversationId: unfiled.conversationId, channel: 'webchat', kind: 'voice', bytes: samples.amr() });
    await slack.link([early.id], unfiled.messageId);
    expect(await db.outboxJob.count({ where: { kind: CASE_MATERIAL_JOB } })).toBe(1);
  });

  it('seals the sender’s file name at rest with the personal-data keys, and rotates it with the rest', async () => {
    const key = `k${randomBytes(2).toString('hex')}:${randomBytes(32).toString('base64')}`;
    const { conversationId } = await conversation();
    const before = await keeper.keep({ conversationId, channel: 'webchat', kind: 'file', bytes: samples.pdf(), name: SENDER_NAME });
    useConfiguredKeys(key);
    const kept = await keeper.keep({ conversationId, channel: 'webchat', kind: 'file', bytes: samples.pdf(), name: SENDER_NAME });
    expect((await db.attachment.findUniqueOrThrow({ where: { id: kept.id } })).name).toBe(SENDER_NAME);
    const raw = async (id: string) => {
      if (TEST_PROVIDER !== 'sqlite') return (await db.$queryRawUnsafe<{ name: string }[]>('SELECT "name" FROM "Attachment" WHERE "id" = $1', id))[0].name;
      const file = new Database(sqlitePath(testDb.url), { readonly: true });
      try {
        return (file.prepare('SELECT "name" FROM "Attachment" WHERE "id" = ?').get(id) as { name: string }).name;
      } finally {
        file.close();
      }
    };
    if (TEST_PROVIDER === 'sqlite') {
      expect(isSealed(await raw(kept.id))).toBe(true);
      expect(await raw(kept.id)).not.toContain('王小红');
      expect(await raw(before.id)).toBe(SENDER_NAME);
    }
    expect(await unsealedCount(sqlOf(db))).toBeGreaterThan(0);
    await rotateKeys(sqlOf(db));
    if (TEST_PROVIDER === 'sqlite') expect(isSealed(await raw(before.id))).toBe(true);
    expect((await db.attachment.findUniqueOrThrow({ where: { id: before.id } })).name).toBe(SENDER_NAME);
  });
});

describe('the attachment folder', () => {
  it('stores, gives back and deletes by random key, and refuses any other key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-folder-'));
    try {
      const storage = new LocalStorage(join(dir, 'not-yet-there'));
      const key = newStorageKey();
      expect(await storage.get(key)).toBeNull();
      await storage.put(key, Buffer.from('voice'), 'audio/amr');
      expect(await storage.get(key)).toEqual(Buffer.from('voice'));
      expect(statSync(join(dir, 'not-yet-there', key.slice(0, 2), key)).mode & 0o777).toBe(0o600);
      await storage.delete(key);
      await storage.delete(key);
      expect(await storage.get(key)).toBeNull();
      for (const bad of ['../../etc/passwd', '张三.jpg', key.toUpperCase(), `${key}/x`]) await expect(storage.get(bad)).rejects.toThrow(/not an attachment storage key/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
