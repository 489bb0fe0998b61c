import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { readFileSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyRing, KeyRingError, isSealed, open, seal, useKeyRing } from '../../src/db/personal-data.js';
import { rotateKeys, unsealedCount } from '../../src/db/rotate-keys.js';
import { sqlOf, sqlitePath } from '../../src/db/client.js';
import { sql } from '../../src/db/sql.js';
import { loadConfig } from '../../src/config.js';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api, WebchatClient } from '../helpers/webchat-client.js';
import { completeIntake } from '../helpers/intake.js';
import { verifyChains } from '../../src/cases/event-chain.js';

const key = () => randomBytes(32).toString('base64');
const OLD = `k2025:${key()}`;
const NEW = `k2026:${key()}`;
const NAME = '欧阳建国';
const PHONE = '13987654321';

describe('the key ring', () => {
  it('seals with the first key, opens with any, and refuses what it cannot open', () => {
    const both = KeyRing.parse(`${NEW},${OLD}`);
    const old = KeyRing.parse(OLD);
    const sealed = old.seal('我叫欧阳建国');
    expect(sealed).not.toContain('欧阳');
    expect(both.open(sealed)).toBe('我叫欧阳建国');
    expect(both.seal('x')).toContain('pd1:k2026:');
    // Two seals of one value differ (a fresh nonce each time).
    expect(old.seal('x')).not.toBe(old.seal('x'));
    expect(() => KeyRing.parse(NEW).open(sealed)).toThrow(/key k2025/);
    const tampered = sealed.slice(0, -3) + (sealed.endsWith('A') ? 'BBB' : 'AAA');
    expect(() => old.open(tampered)).toThrow();
  });

  it('is checked at start: a bad key stops the hub with the reason', () => {
    expect(() => loadConfig({ PERSONAL_DATA_KEYS: 'k1:c2hvcnQ=' })).toThrow(/PERSONAL_DATA_KEYS: key k1: must be 32 bytes/);
    expect(() => loadConfig({ PERSONAL_DATA_KEYS: 'no-colon' })).toThrow(/PERSONAL_DATA_KEYS/);
    expect(() => KeyRing.parse(`${OLD},${OLD}`)).toThrow(KeyRingError);
  });

  it('leaves values as they are without keys, and reads plain values with keys', () => {
    useKeyRing(null);
    expect(seal('plain')).toBe('plain');
    useKeyRing(KeyRing.parse(OLD));
    expect(open('written before the keys')).toBe('written before the keys');
    expect(isSealed(seal('x'))).toBe(true);
    useKeyRing(null);
  });
});

describe('personal data encrypted at rest in a running hub', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: { PERSONAL_DATA_KEYS: OLD, TIME_ZONE: 'Asia/Shanghai' } });
  });
  afterAll(async () => hub?.drop());

  /** What a copy of the database gives away: every stored value, read on a connection of its own. */
  async function storedValues(): Promise<string> {
    const queries = ['SELECT "name", "phone" FROM "Petitioner"', 'SELECT "state" FROM "Conversation"', 'SELECT "text" FROM "Message"', 'SELECT "details", "summary" FROM "Case"', 'SELECT "text" FROM "CaseEvent"'];
    if (hub.databaseUrl.startsWith('file:')) {
      const file = new Database(sqlitePath(hub.databaseUrl), { readonly: true });
      try {
        return JSON.stringify(queries.map((q) => file.prepare(q).all()));
      } finally {
        file.close();
      }
    }
    const client = new pg.Client({ connectionString: hub.databaseUrl });
    await client.connect();
    try {
      return JSON.stringify(await Promise.all(queries.map(async (q) => (await client.query(q)).rows)));
    } finally {
      await client.end();
    }
  }

  it('stores names, phone numbers and stories encrypted, and serves them as written', async () => {
    const client = await WebchatClient.open(hub.url, 'zh-CN');
    const { trackingNumber: ref } = await completeIntake(client, `我叫${NAME}，电话${PHONE}，我们厂拖欠工资三个月了`, {
      location: '深圳市宝安区', time: '今年八月开始', desiredOutcome: '补发工资', priorAttempts: '找过老板', contactName: NAME, contactPhone: PHONE,
    }, client.greeting);
    const reply = await api(hub.url, `/api/cases/${ref}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'reply', text: `${NAME}您好，已联系厂方`, actor: 'officer:wang' } });
    expect(reply.status).toBe(200);

    // Served as written: the admin API, the petitioner's history.
    const view = await api<{ details: Record<string, string>; transcript: { text: string }[] }>(hub.url, `/api/cases/${ref}`, { token: ADMIN_TOKEN });
    expect([view.body.details.contactName, view.body.details.contactPhone]).toEqual([NAME, PHONE]);
    expect(view.body.transcript.map((m) => m.text).join('\n')).toContain(`${NAME}您好`);
    expect((await client.history()).map((m) => m.text).join('\n')).toContain(PHONE);

    // Stored sealed: neither the rows nor the database files hold them.
    const stored = await storedValues();
    expect(stored).toContain('pd1:k2025:');
    for (const secret of [NAME, PHONE, '拖欠工资']) expect(stored).not.toContain(secret);
    if (hub.databaseUrl.startsWith('file:')) {
      const file = sqlitePath(hub.databaseUrl);
      await hub.db.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
      const bytes = [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('utf8')).join('');
      for (const secret of [NAME, PHONE]) expect(bytes).not.toContain(secret);
    }
    // The tamper-evident history holds over encrypted texts.
    expect((await verifyChains(sqlOf(hub.db))).breaks).toEqual([]);
  });

  it('re-encrypts everything with a new key, after which the old key can go', async () => {
    useKeyRing(KeyRing.parse(`${NEW},${OLD}`));
    const raw = sqlOf(hub.db);
    expect(await unsealedCount(raw)).toBeGreaterThan(0);
    expect(await rotateKeys(raw)).toBeGreaterThan(0);
    expect(await unsealedCount(raw)).toBe(0);
    useKeyRing(KeyRing.parse(NEW));
    const [c] = await raw.query<{ details: string }>(sql`SELECT "details" FROM "Case" LIMIT 1`);
    expect(JSON.parse(c.details).contactName).toBe(NAME);
    useKeyRing(KeyRing.parse(OLD));
  });
});
