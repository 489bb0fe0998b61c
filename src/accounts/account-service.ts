import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/client.js';
import { LOCALES, type Locale } from '../domain.js';
import { HubError } from '../errors.js';
import { checkNewPassword, hashPassword, passwordMatches } from './passwords.js';
import { ROLES, type Officer, type Role } from './officer.js';

/** Wrong passwords in a row before sign-in is refused for LOCK_MS (then one more try each time). */
export const MAX_FAILURES = 5;
const LOCK_MS = 15 * 60_000;
/** A session ends after this long unused, and in any case this long after sign-in. */
const IDLE_MS = 12 * 3_600_000;
const MAX_AGE_MS = 7 * 86_400_000;
/** lastSeenAt is written at most this often (not on every page). */
const TOUCH_MS = 60_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

export interface NewAccount {
  username: string;
  displayName: string;
  password?: string;
  role: Role;
  departments?: readonly string[];
  locale?: Locale;
}

export interface SignedIn {
  officer: Officer;
  csrfToken: string;
}

type AccountRow = { id: string; username: string; displayName: string; role: string; departments: string; locale: string; disabledAt: Date | null };

function toOfficer(a: AccountRow): Officer {
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    role: (ROLES as readonly string[]).includes(a.role) ? (a.role as Role) : 'officer',
    departments: a.departments ? a.departments.split(',') : [],
    locale: (LOCALES as readonly string[]).includes(a.locale) ? (a.locale as Locale) : 'zh-CN',
  };
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

/**
 * Officers' accounts: passwords (argon2id), browser sessions, personal API tokens. Only hashes of
 * session and token secrets are stored, so a copy of the database signs nobody in.
 */
export class AccountService {
  constructor(private readonly deps: { db: Db; now: () => Date; hasDepartment: (id: string) => boolean }) {}

  async create(input: NewAccount): Promise<Officer> {
    const username = input.username.trim().toLowerCase();
    if (!USERNAME.test(username)) throw new HubError('bad_request', 'a user name is 2–63 characters: lower-case letters, digits, dot, dash, underscore');
    const displayName = input.displayName.trim();
    if (!displayName || displayName.length > 100) throw new HubError('bad_request', 'a display name is 1–100 characters');
    if (!(ROLES as readonly string[]).includes(input.role)) throw new HubError('bad_request', `role must be one of ${ROLES.join(', ')}`);
    const departments = [...new Set(input.departments ?? [])];
    for (const d of departments) if (!this.deps.hasDepartment(d)) throw new HubError('unknown_department', `unknown department ${d}`);
    if (input.role === 'officer' && departments.length === 0) throw new HubError('missing_department', 'an officer works for at least one department');
    if (input.password !== undefined) checkNewPassword(input.password, username);
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    const exists = await this.deps.db.account.findUnique({ where: { username }, select: { id: true } });
    if (exists) throw new HubError('account_exists', `an account ${username} exists already`);
    const row = await this.deps.db.account.create({
      data: { id: randomUUID(), username, displayName, passwordHash, role: input.role, departments: departments.join(','), locale: input.locale ?? 'zh-CN' },
    });
    return toOfficer(row);
  }

  async count(): Promise<number> {
    return this.deps.db.account.count();
  }

  async list(): Promise<Officer[]> {
    const rows = await this.deps.db.account.findMany({ where: { disabledAt: null }, orderBy: { username: 'asc' } });
    return rows.map(toOfficer);
  }

  /**
   * Signs in with a password. Wrong passwords count against the account; after MAX_FAILURES in a
   * row it is locked for a while, whoever tries (an address limit in front of this stops one
   * address trying many accounts).
   */
  async signIn(usernameAsTyped: string, password: string): Promise<{ sessionSecret: string } & SignedIn> {
    const { db } = this.deps;
    const now = this.deps.now();
    const username = usernameAsTyped.trim().toLowerCase();
    const a = USERNAME.test(username) ? await db.account.findUnique({ where: { username } }) : null;
    if (a?.lockedUntil && a.lockedUntil > now) {
      throw new HubError('account_locked', 'too many wrong passwords: this account is locked for a few minutes');
    }
    const ok = await passwordMatches(a?.passwordHash ?? null, password);
    if (!a || !ok || a.disabledAt) {
      if (a && !ok) {
        const failures = a.failedLogins + 1;
        await db.account.update({ where: { id: a.id }, data: { failedLogins: failures, lockedUntil: failures >= MAX_FAILURES ? new Date(now.getTime() + LOCK_MS) : null } });
      }
      throw new HubError('unauthorized', 'wrong user name or password');
    }
    if (a.failedLogins) await db.account.update({ where: { id: a.id }, data: { failedLogins: 0, lockedUntil: null } });
    return this.startSession(a);
  }

  /**
   * Signs in someone the identity provider vouched for. The first time, the provider's user name
   * claim must name an existing hub account (admins give roles and departments here, not the
   * provider), which is then bound to the provider's subject; afterwards only that subject signs in
   * to it, so a user renamed at the provider cannot take over another account.
   */
  async signInWithSso(subject: string, claimedUsername: string | undefined): Promise<{ sessionSecret: string } & SignedIn> {
    const { db } = this.deps;
    const refuse = () => new HubError('no_account', 'no hub account for this sign-in; ask an admin to create one with your user name');
    let a = await db.account.findUnique({ where: { oidcSubject: subject } });
    if (!a) {
      const username = claimedUsername?.trim().toLowerCase() ?? '';
      if (!USERNAME.test(username)) throw refuse();
      const bound = await db.account.updateMany({ where: { username, oidcSubject: null, disabledAt: null }, data: { oidcSubject: subject } });
      if (bound.count === 0) throw refuse();
      a = await db.account.findUnique({ where: { username } });
    }
    if (!a || a.disabledAt) throw refuse();
    return this.startSession(a);
  }

  /** A session for an account signed in another way (single sign-on). */
  private async startSession(a: AccountRow): Promise<{ sessionSecret: string } & SignedIn> {
    const now = this.deps.now();
    const sessionSecret = secret();
    const csrfToken = secret();
    await this.deps.db.accountSession.create({ data: { idHash: sha256(sessionSecret), accountId: a.id, csrfToken, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + IDLE_MS) } });
    return { sessionSecret, csrfToken, officer: toOfficer(a) };
  }

  /** The officer a session cookie belongs to, or null (unknown, expired, account disabled). */
  async session(sessionSecret: string): Promise<SignedIn | null> {
    const { db } = this.deps;
    const now = this.deps.now();
    const s = await db.accountSession.findUnique({ where: { idHash: sha256(sessionSecret) }, include: { account: true } });
    if (!s) return null;
    if (s.expiresAt <= now || s.createdAt.getTime() + MAX_AGE_MS <= now.getTime() || s.account.disabledAt) {
      await db.accountSession.deleteMany({ where: { idHash: s.idHash } });
      return null;
    }
    if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_MS) {
      await db.accountSession.update({ where: { idHash: s.idHash }, data: { lastSeenAt: now, expiresAt: new Date(now.getTime() + IDLE_MS) } });
    }
    return { officer: toOfficer(s.account), csrfToken: s.csrfToken };
  }

  async signOut(sessionSecret: string): Promise<void> {
    await this.deps.db.accountSession.deleteMany({ where: { idHash: sha256(sessionSecret) } });
  }

  /** Every browser of this account is signed out (a lost laptop, a shared computer). */
  async signOutEverywhere(accountId: string): Promise<number> {
    const gone = await this.deps.db.accountSession.deleteMany({ where: { accountId } });
    return gone.count;
  }

  /** The account can no longer sign in or use its tokens; its sessions end now. Its record stays (events name it). */
  async disable(accountId: string): Promise<void> {
    const done = await this.deps.db.account.updateMany({ where: { id: accountId, disabledAt: null }, data: { disabledAt: this.deps.now() } });
    if (done.count === 0) throw new HubError('not_found', 'no such active account');
    await this.signOutEverywhere(accountId);
  }

  async setLocale(accountId: string, locale: string): Promise<void> {
    if (!(LOCALES as readonly string[]).includes(locale)) throw new HubError('bad_request', `locale must be one of ${LOCALES.join(', ')}`);
    await this.deps.db.account.update({ where: { id: accountId }, data: { locale } });
  }

  async setPassword(username: string, password: string): Promise<void> {
    const a = await this.deps.db.account.findUnique({ where: { username: username.toLowerCase() } });
    if (!a) throw new HubError('not_found', `no account ${username}`);
    checkNewPassword(password, a.username);
    await this.deps.db.account.update({ where: { id: a.id }, data: { passwordHash: await hashPassword(password), failedLogins: 0, lockedUntil: null } });
    // A new password ends every session opened with the old one.
    await this.signOutEverywhere(a.id);
  }

  /** A personal API token (shown once): scripts act as this person, with this person's rights. */
  async issueToken(accountId: string, label: string): Promise<string> {
    const name = label.trim();
    if (!name || name.length > 100) throw new HubError('bad_request', 'a token needs a label of 1–100 characters');
    const token = `hubt_${secret()}`;
    await this.deps.db.apiToken.create({ data: { tokenHash: sha256(token), accountId, label: name, createdAt: this.deps.now() } });
    return token;
  }

  async tokens(accountId: string): Promise<{ id: string; label: string; createdAt: Date; lastUsedAt: Date | null }[]> {
    const rows = await this.deps.db.apiToken.findMany({ where: { accountId, revokedAt: null }, orderBy: { createdAt: 'asc' } });
    // The hash's first characters name a token in the list; the hash itself stays in the database.
    return rows.map((r) => ({ id: r.tokenHash.slice(0, 12), label: r.label, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt }));
  }

  async revokeToken(accountId: string, id: string): Promise<void> {
    if (!/^[0-9a-f]{12}$/.test(id)) throw new HubError('bad_request', 'unknown token');
    const done = await this.deps.db.apiToken.updateMany({ where: { accountId, tokenHash: { startsWith: id }, revokedAt: null }, data: { revokedAt: this.deps.now() } });
    if (done.count === 0) throw new HubError('not_found', 'unknown token');
  }

  /** The officer a personal API token belongs to, or null. */
  async byToken(token: string): Promise<Officer | null> {
    if (!token.startsWith('hubt_')) return null;
    const t = await this.deps.db.apiToken.findUnique({ where: { tokenHash: sha256(token) }, include: { account: true } });
    if (!t || t.revokedAt || t.account.disabledAt) return null;
    const now = this.deps.now();
    if (!t.lastUsedAt || now.getTime() - t.lastUsedAt.getTime() > TOUCH_MS) {
      await this.deps.db.apiToken.update({ where: { tokenHash: t.tokenHash }, data: { lastUsedAt: now } });
    }
    return toOfficer(t.account);
  }
}
