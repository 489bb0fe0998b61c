import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAttachmentKeeper, type AttachmentKeeper, type KeptAttachment } from '../../src/attachments/attachment-keeper.js';
import { storageOf } from '../../src/attachments/storage.js';
import { anonymiseCase } from '../../src/cases/anonymise.js';
import { Retention } from '../../src/cases/retention.js';
import { sqlOf } from '../../src/db/client.js';
import type { CaseView } from '../../src/cases/case-view.js';
import { startTestHub, ADMIN_TOKEN, type TestHub } from '../helpers/hub.js';
import { ConsoleClient, createAccount } from '../helpers/console-client.js';
import { fileLabourCase } from '../helpers/petitions.js';
import { api } from '../helpers/webchat-client.js';
import { png, samples } from '../helpers/media.js';

const LABOUR = 'human_resources_social_security';
const PHOTO_NAME = '李建国家门口.png';
const DOC_NAME = '欠条-李建国.pdf';

let hub: TestHub;
let dir: string;
let keeper: AttachmentKeeper;
let ref: string;
let photo: KeptAttachment;
let voice: KeptAttachment;
let doc: KeptAttachment;
let li: ConsoleClient;
let wang: ConsoleClient;

const path = (caseRef: string, id: string, thumbnail = false) => `/console/cases/${caseRef}/attachments/${id}${thumbnail ? '/thumbnail' : ''}`;

/** A console request as the officer's browser makes it, the body as bytes. */
async function fetchAs(who: ConsoleClient | null, target: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const r = await fetch(new URL(target, hub.url), { headers: who ? { cookie: who.cookie } : {}, redirect: 'manual' });
  return { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
}

/** A labour case filed through the web chat, with these attachments kept and linked to its first petitioner message. */
async function caseWith(material: (conversationId: string) => Promise<KeptAttachment[]>): Promise<{ ref: string; caseId: string; kept: KeptAttachment[] }> {
  const { ref: filed } = await fileLabourCase(hub.url);
  const c = await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: filed } });
  const m = await hub.db.message.findFirstOrThrow({ where: { caseId: c.id, role: 'petitioner' }, orderBy: { seq: 'asc' } });
  const kept = await material(c.conversationId);
  await keeper.link(kept.map((k) => k.id), m.id);
  return { ref: filed, caseId: c.id, kept };
}

async function viewsOf(caseRef: string) {
  const c = await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: caseRef } });
  const events = await hub.db.caseEvent.findMany({ where: { caseId: c.id, type: 'viewed' }, orderBy: { createdAt: 'asc' } });
  return events.map((e) => ({ actor: e.actor, data: JSON.parse(e.data ?? '{}') as { via?: string; attachment?: string; thumbnail?: boolean } }));
}

async function storedFiles(): Promise<string[]> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /[0-9a-f]{32}$/.test(f));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hub-console-attachments-'));
  hub = await startTestHub({ env: { ATTACHMENTS_DIR: dir } });
  // The channel gateway's keeper, as the hub makes it from its configuration.
  keeper = createAttachmentKeeper({ config: hub.config, db: hub.db, logger: pino({ level: 'silent' }), now: () => new Date() });
  await createAccount(hub, { username: 'li', displayName: '李明', role: 'officer', departments: [LABOUR] });
  await createAccount(hub, { username: 'wang', displayName: '王芳', role: 'officer', departments: ['housing_construction'] });
  ({ ref, kept: [photo, voice, doc] } = await caseWith(async (conversationId) => [
    await keeper.keep({ conversationId, channel: 'webchat', kind: 'image', bytes: await png(400, 300), declaredType: 'image/png', name: PHOTO_NAME }),
    await keeper.keep({ conversationId, channel: 'webchat', kind: 'voice', bytes: samples.amr(), declaredType: 'audio/amr' }),
    await keeper.keep({ conversationId, channel: 'webchat', kind: 'file', bytes: samples.pdf(), declaredType: 'application/pdf', name: DOC_NAME }),
  ]));
  li = await ConsoleClient.signIn(hub.url, 'li');
  wang = await ConsoleClient.signIn(hub.url, 'wang');
});

afterAll(async () => {
  await hub?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('an officer opens a case’s attachments in the console', () => {
  it('serves a photo with its checked type and the headers that keep it inert, and records the view first', async () => {
    const row = await hub.db.attachment.findUniqueOrThrow({ where: { id: photo.id } });
    const r = await fetchAs(li, path(ref, photo.id));
    expect(r.status).toBe(200);
    expect(r.body).toEqual(await storageOf(hub.db)?.get(row.storageKey));
    expect(Object.fromEntries(['content-type', 'x-content-type-options', 'content-security-policy', 'cache-control', 'cross-origin-resource-policy', 'content-disposition'].map((h) => [h, r.headers.get(h)]))).toEqual({
      'content-type': 'image/png',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
      'cross-origin-resource-policy': 'same-origin',
      'content-disposition': `inline; filename="image-${photo.id.slice(0, 8)}.png"`,
    });
    expect((await viewsOf(ref)).filter((v) => v.data.attachment === photo.id && !v.data.thumbnail)).toEqual([{ actor: 'console:li', data: { via: 'console_attachment', attachment: photo.id } }]);
    // Every view, not only the first.
    await fetchAs(li, path(ref, photo.id));
    expect((await viewsOf(ref)).filter((v) => v.data.attachment === photo.id && !v.data.thumbnail)).toHaveLength(2);
    // The admin API's record of reads lists it, and it does not unmask the case page's personal data.
    const c = await api<CaseView>(hub.url, `/api/cases/${ref}`, { token: ADMIN_TOKEN });
    expect(c.body.views.filter((v) => v.via === 'console_attachment').map((v) => v.by)).toEqual(['console:li', 'console:li']);
    expect((await li.get(`/console/cases/${ref}`)).text).toContain('个人信息已隐藏');
  });

  it('gives a voice message and a PDF as downloads named by kind, never by the sender’s file name', async () => {
    const v = await fetchAs(li, path(ref, voice.id));
    expect([v.status, v.headers.get('content-type'), v.headers.get('content-disposition')]).toEqual([200, 'audio/amr', `attachment; filename="voice-${voice.id.slice(0, 8)}.amr"`]);
    expect(v.body).toEqual(samples.amr());
    const d = await fetchAs(li, path(ref, doc.id));
    expect([d.headers.get('content-type'), d.headers.get('content-disposition'), d.headers.get('content-security-policy')]).toEqual(['application/pdf', `attachment; filename="file-${doc.id.slice(0, 8)}.pdf"`, "default-src 'none'; sandbox"]);
    expect(JSON.stringify([...d.headers])).not.toContain('欠条');
  });

  it('serves a photo’s thumbnail as a small WebP, recorded once while the officer is on the case', async () => {
    const first = await fetchAs(li, path(ref, photo.id, true));
    expect([first.status, first.headers.get('content-type'), first.headers.get('cache-control'), first.headers.get('x-content-type-options')]).toEqual([200, 'image/webp', 'private, no-store', 'nosniff']);
    expect(first.headers.get('content-disposition')).toMatch(/^inline;/);
    await fetchAs(li, path(ref, photo.id, true));
    expect((await viewsOf(ref)).filter((v) => v.data.attachment === photo.id && v.data.thumbnail)).toEqual([{ actor: 'console:li', data: { via: 'console_attachment', attachment: photo.id, thumbnail: true } }]);
    // A voice message has no thumbnail.
    expect((await fetchAs(li, path(ref, voice.id, true))).status).toBe(404);
  });

  it('is "no such case" to an officer of another department, and records nothing in their name', async () => {
    for (const target of [path(ref, photo.id), path(ref, photo.id, true), path(ref, voice.id)]) {
      const r = await fetchAs(wang, target);
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(r.body.toString()).not.toContain('PNG');
    }
    expect((await viewsOf(ref)).filter((v) => v.actor === 'console:wang')).toEqual([]);
    // Signed out: the sign-in page, nothing served.
    const anonymous = await fetchAs(null, path(ref, photo.id));
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/console\/sign-in/);
  });

  it('serves only attachments whose message belongs to the case asked for', async () => {
    const other = await caseWith(async (conversationId) => [await keeper.keep({ conversationId, channel: 'webchat', kind: 'voice', bytes: samples.amr() })]);
    const [theirs] = other.kept;
    expect((await fetchAs(li, path(other.ref, theirs.id))).status).toBe(200);
    expect((await fetchAs(li, path(ref, theirs.id))).status).toBe(404);
    expect((await fetchAs(li, path(ref, '00000000-0000-4000-8000-000000000000'))).status).toBe(404);
    // Kept for the case's conversation but never linked to a message: not the case's material.
    const c = await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: ref } });
    const loose = await keeper.keep({ conversationId: c.conversationId, channel: 'webchat', kind: 'voice', bytes: samples.amr() });
    expect((await fetchAs(li, path(ref, loose.id))).status).toBe(404);
  });
});

describe('the case page and the admin API list the material', () => {
  it('shows photos as previews with alt text, linked to the full image, and the rest as named links with their size', async () => {
    const page = await li.get(`/console/cases/${ref}`);
    expect(page.status).toBe(200);
    const section = /<section aria-labelledby="material">[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? '';
    expect(section).toContain('<h2 id="material">材料</h2>');
    expect(section).toMatch(new RegExp(`<a href="${path(ref, photo.id)}"><img src="${path(ref, photo.id, true)}" alt="照片 1 · \\d+ KB，[^"]+收到，打开原图" loading="lazy"></a>`));
    expect(section).toContain(`<a href="${path(ref, voice.id)}">语音 2 · 1 KB</a>`);
    expect(section).toContain(`<a href="${path(ref, doc.id)}">文件 3 · 1 KB</a>`);
    // The senders' file names are personal data: hidden until the officer reveals it (recorded).
    expect(page.text).not.toContain('欠条');
    const revealed = await li.post(`/console/cases/${ref}/reveal`, {});
    expect(revealed.status).toBe(303);
    const shown = await li.get(`/console/cases/${ref}`);
    expect(shown.text).toContain(`文件 3 “${DOC_NAME}” · 1 KB`);
    expect(shown.text).toContain(PHOTO_NAME);
  });

  it('lists what each attachment is in GET /api/cases/{n}, with a console URL, never its content or name', async () => {
    const c = await api<CaseView>(hub.url, `/api/cases/${ref}`, { token: ADMIN_TOKEN });
    expect(c.status).toBe(200);
    const message = c.body.transcript.find((m) => m.role === 'petitioner');
    expect(c.body.attachments).toEqual([
      { id: photo.id, messageId: message?.id, kind: 'image', contentType: 'image/png', size: photo.size, createdAt: expect.any(String), url: path(ref, photo.id), thumbnailUrl: path(ref, photo.id, true) },
      { id: voice.id, messageId: message?.id, kind: 'voice', contentType: 'audio/amr', size: voice.size, createdAt: expect.any(String), url: path(ref, voice.id), thumbnailUrl: null },
      { id: doc.id, messageId: message?.id, kind: 'file', contentType: 'application/pdf', size: doc.size, createdAt: expect.any(String), url: path(ref, doc.id), thumbnailUrl: null },
    ]);
    expect(JSON.stringify(c.body)).not.toMatch(/欠条|李建国家门口|storageKey|sha256/);
  });
});

describe('when a case’s personal data goes', () => {
  it('an anonymised case’s attachments stop being served at once, and their content, thumbnails and rows are deleted by the next sweep', async () => {
    const gone = await caseWith(async (conversationId) => [
      await keeper.keep({ conversationId, channel: 'webchat', kind: 'image', bytes: await png(), name: 'x.png' }),
      await keeper.keep({ conversationId, channel: 'webchat', kind: 'voice', bytes: samples.amr() }),
    ]);
    const rows = await hub.db.attachment.findMany({ where: { id: { in: gone.kept.map((k) => k.id) } } });
    const keys = rows.flatMap((r) => [r.storageKey, r.thumbnailKey].filter((k): k is string => k !== null));
    expect(keys).toHaveLength(3);
    const present = (key: string) => existsSync(join(dir, key.slice(0, 2), key));
    expect(keys.every(present)).toBe(true);
    expect((await fetchAs(li, path(gone.ref, gone.kept[0].id))).status).toBe(200);

    await sqlOf(hub.db).transaction(() => anonymiseCase(gone.caseId, new Date(), 'test', 'petitioner_request'));
    expect((await fetchAs(li, path(gone.ref, gone.kept[0].id))).status).toBe(404);
    expect((await fetchAs(li, path(gone.ref, gone.kept[0].id, true))).status).toBe(404);
    expect(await hub.db.attachment.findMany({ where: { id: { in: gone.kept.map((k) => k.id) } }, select: { name: true, removedAt: true } })).toEqual([
      { name: null, removedAt: expect.any(Date) },
      { name: null, removedAt: expect.any(Date) },
    ]);
    const event = await hub.db.caseEvent.findFirstOrThrow({ where: { caseId: gone.caseId, type: 'anonymised' } });
    expect(JSON.parse(event.data ?? '{}')).toMatchObject({ attachments: 2 });

    await hub.deadlines.runDue();
    expect(keys.filter(present)).toEqual([]);
    expect(await hub.db.attachment.count({ where: { id: { in: gone.kept.map((k) => k.id) } } })).toBe(0);
    // The other cases' material is untouched.
    expect((await fetchAs(li, path(ref, photo.id))).status).toBe(200);
  });

  it('retention deletes a finished case’s attachments with its personal data', async () => {
    const old = await caseWith(async (conversationId) => [await keeper.keep({ conversationId, channel: 'webchat', kind: 'image', bytes: await png() })]);
    const row = await hub.db.attachment.findUniqueOrThrow({ where: { id: old.kept[0].id } });
    const long = new Date(Date.now() - 40 * 86_400_000);
    await hub.db.case.update({ where: { id: old.caseId }, data: { status: 'closed', answeredAt: long, updatedAt: long } });
    const before = await storedFiles();
    expect(before.filter((f) => f.endsWith(row.storageKey) || f.endsWith(row.thumbnailKey as string))).toHaveLength(2);
    const retention = new Retention({ sql: sqlOf(hub.db), logger: pino({ level: 'silent' }), retentionMs: 30 * 86_400_000 });
    expect(await retention.sweep(new Date())).toBeGreaterThanOrEqual(2);
    expect((await hub.db.case.findUniqueOrThrow({ where: { id: old.caseId } })).anonymisedAt).not.toBeNull();
    expect((await storedFiles()).filter((f) => f.endsWith(row.storageKey) || f.endsWith(row.thumbnailKey as string))).toEqual([]);
    expect(await hub.db.attachment.count({ where: { id: row.id } })).toBe(0);
  });
});
