import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, createDb } from '../../src/db/client.js';

const dir = mkdtempSync(join(tmpdir(), 'account-command-'));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'hub.db')}`, LOG_LEVEL: 'silent', PERSONAL_DATA_KEYS: '' };

/** `npm run account -- …` as a deployer runs it, the password on standard input (not a terminal). */
function account(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'scripts/account.ts', ...args], { env }, (error, out, err) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, out, err });
    });
    child.stdin?.end(stdin);
  });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run account', () => {
  it('creates the first admin with a password read from standard input, and lists accounts', async () => {
    const created = await account(['create', '--username', 'Ada', '--name', 'Ada Admin', '--role', 'admin'], 'a long enough password\n');
    expect(created.err).toBe('');
    expect(created.out).toContain('created ada (admin)');
    const listed = await account(['list']);
    expect(listed.out).toMatch(/^ada\tadmin\t-\tAda Admin$/m);
  });

  it('refuses a weak password and a duplicate user name, with a clear message and no account', async () => {
    const weak = await account(['create', '--username', 'bo', '--role', 'supervisor'], 'short\n');
    expect(weak.code).not.toBe(0);
    expect(weak.err).toMatch(/password/i);
    const twice = await account(['create', '--username', 'ada', '--role', 'admin'], 'another long password\n');
    expect(twice.code).not.toBe(0);
    expect((await account(['list'])).out.trim().split('\n')).toHaveLength(1);
  });

  it('creates an account for single sign-on only, without a password', async () => {
    const created = await account(['create', '--username', 'chen', '--role', 'officer', '--departments', 'housing_construction', '--sso-only']);
    expect(created.code).toBe(0);
    const db = createDb(env.DATABASE_URL);
    try {
      const row = await db.account.findUniqueOrThrow({ where: { username: 'chen' } });
      expect(row.passwordHash).toBeNull();
      expect(row.departments).toBe('housing_construction');
    } finally {
      await closeDb(db);
    }
  });
});
