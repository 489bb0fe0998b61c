import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { sqlOf, type Db } from '../../src/db/client.js';
import { S3Storage } from '../../src/attachments/s3-storage.js';
import { configuredStorage, storageOf } from '../../src/attachments/storage.js';
import { newStorageKey } from '../../src/attachments/storage-keys.js';
import { createAttachmentKeeper } from '../../src/attachments/attachment-keeper.js';
import { purgeAttachments } from '../../src/attachments/attachment-rows.js';
import { startFakeS3, type FakeS3 } from '../helpers/fake-s3.js';
import { png, samples } from '../helpers/media.js';
import { migratedTestDb, type MigratedDb } from '../helpers/migrated-db.js';

const quiet = pino({ level: 'silent' });
const SIGV4 = /^AWS4-HMAC-SHA256 Credential=AKIAFAKEHUBTEST00001\/\d{8}\/cn-north-1\/s3\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/;

let s3: FakeS3;
beforeAll(async () => {
  s3 = await startFakeS3();
});
afterAll(async () => s3?.close());

const settings = (over: Partial<ConstructorParameters<typeof S3Storage>[0]> = {}) =>
  new S3Storage({ bucket: s3.bucket, endpoint: s3.url, region: s3.region, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, pathStyle: true, ...over });

describe('S3-compatible storage, against a fake S3 that checks Signature Version 4', () => {
  it('puts, gets and deletes an object, each request signed with the body’s SHA-256', async () => {
    const storage = settings();
    const key = newStorageKey();
    const body = samples.amr();
    const from = s3.requests.length;
    await storage.put(key, body, 'audio/amr');
    expect(s3.objects.get(key)).toEqual({ body, contentType: 'audio/amr' });
    expect(await storage.get(key)).toEqual(body);
    await storage.delete(key);
    expect(s3.objects.has(key)).toBe(false);
    expect(await storage.get(key)).toBeNull();
    const seen = s3.requests.slice(from);
    expect(seen.map((r) => [r.method, r.key, r.status])).toEqual([['PUT', key, 200], ['GET', key, 200], ['DELETE', key, 204], ['GET', key, 404]]);
    for (const r of seen) expect(r.authorization).toMatch(SIGV4);
    // The payload is signed, not UNSIGNED-PAYLOAD: a body changed on the way is refused.
    expect(seen[0].payloadHash).toBe(createHash('sha256').update(body).digest('hex'));
    expect(storage.describe).toBe(`S3 bucket ${s3.bucket} at ${s3.url}`);
  });

  it('fails loudly with the wrong secret or bucket, and gets through a short outage', async () => {
    const key = newStorageKey();
    await expect(settings({ secretAccessKey: 'not-the-secret' }).put(key, Buffer.from('x'), 'audio/amr')).rejects.toThrow(/SignatureDoesNotMatch/);
    await expect(settings({ bucket: 'another-bucket' }).put(key, Buffer.from('x'), 'audio/amr')).rejects.toThrow(/NoSuchBucket/);
    await expect(settings({ bucket: 'another-bucket' }).get(key)).rejects.toThrow(/NoSuchBucket/);
    expect(s3.objects.has(key)).toBe(false);
    s3.failNext(2);
    await settings().put(key, Buffer.from('after the outage'), 'audio/amr');
    expect(s3.objects.get(key)?.body.toString()).toBe('after the outage');
    s3.failNext(3);
    await expect(settings().get(key)).rejects.toThrow(/SlowDown/);
  });

  it('addresses a bucket by host name unless path style is asked for', () => {
    expect(settings({ pathStyle: false, endpoint: 'https://s3.example.com' }).describe).toBe('S3 bucket petition-material at https://petition-material.s3.example.com');
    expect(settings({ pathStyle: false, endpoint: undefined, region: 'eu-west-1' }).describe).toBe('S3 bucket petition-material at https://petition-material.s3.eu-west-1.amazonaws.com');
  });

  it('is chosen by S3_BUCKET, which needs both credentials (a clear error at start otherwise)', () => {
    const env = { S3_BUCKET: s3.bucket, S3_ENDPOINT: s3.url, S3_REGION: s3.region, S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey, S3_PATH_STYLE: 'true' };
    expect(configuredStorage(loadConfig(env))).toBeInstanceOf(S3Storage);
    expect(configuredStorage(loadConfig({})).describe).toMatch(/^folder .*data\/attachments$/);
    expect(() => loadConfig({ S3_BUCKET: 'evidence' })).toThrow(ConfigError);
    expect(() => loadConfig({ S3_BUCKET: 'evidence', S3_ACCESS_KEY_ID: 'AKIA' })).toThrow(/S3_BUCKET: needs S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ S3_ACCESS_KEY_ID: 'AKIA', S3_SECRET_ACCESS_KEY: 's' })).toThrow(/S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set S3_BUCKET too/);
    expect(() => loadConfig({ ...env, S3_ENDPOINT: 'ftp://s3.example.com' })).toThrow(/S3_ENDPOINT/);
    expect(() => loadConfig({ ATTACHMENT_MAX_BYTES: '10' })).toThrow(/ATTACHMENT_MAX_BYTES/);
    expect(loadConfig({}).ATTACHMENT_MAX_BYTES).toBe(20 * 1024 * 1024);
  });
});

describe('attachments kept in S3', () => {
  let testDb: MigratedDb;
  let db: Db;
  beforeAll(async () => {
    testDb = await migratedTestDb();
    db = testDb.db;
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it('stores a photo and its thumbnail as objects, and deletes both when it is removed', async () => {
    const config = loadConfig({ S3_BUCKET: s3.bucket, S3_ENDPOINT: s3.url, S3_REGION: s3.region, S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey, S3_PATH_STYLE: 'true' });
    const keeper = createAttachmentKeeper({ config, db, logger: quiet, now: () => new Date() });
    const kept = await keeper.keep({ conversationId: 'conv-s3', channel: 'slack', kind: 'image', bytes: await png(), declaredType: 'image/png', name: 'IMG_0001.PNG' });
    const row = await db.attachment.findUniqueOrThrow({ where: { id: kept.id } });
    expect(s3.objects.get(row.storageKey)?.contentType).toBe('image/png');
    expect(s3.objects.get(row.thumbnailKey as string)?.contentType).toBe('image/webp');
    expect([...s3.objects.keys()].join()).not.toMatch(/IMG_0001|conv-s3/);
    const storage = storageOf(db);
    expect(storage).toBeInstanceOf(S3Storage);
    // A refusal stores nothing in the bucket either.
    const objects = s3.objects.size;
    await expect(keeper.keep({ conversationId: 'conv-s3', channel: 'slack', kind: 'image', bytes: samples.svg() })).rejects.toMatchObject({ code: 'attachment_refused' });
    expect(s3.objects.size).toBe(objects);

    await db.attachment.update({ where: { id: kept.id }, data: { removedAt: new Date() } });
    // While S3 is down the row stays marked, to be tried again.
    s3.failNext(3);
    expect(await purgeAttachments({ sql: sqlOf(db), storage: storage as S3Storage, logger: quiet }, new Date())).toBe(0);
    expect(await db.attachment.count({ where: { id: kept.id } })).toBe(1);
    expect(await purgeAttachments({ sql: sqlOf(db), storage: storage as S3Storage, logger: quiet }, new Date())).toBe(1);
    expect(s3.objects.has(row.storageKey)).toBe(false);
    expect(s3.objects.has(row.thumbnailKey as string)).toBe(false);
    expect(await db.attachment.count({ where: { id: kept.id } })).toBe(0);
  });
});
