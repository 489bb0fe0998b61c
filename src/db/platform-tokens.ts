import { randomUUID } from 'node:crypto';
import type { Db } from './client.js';

import type { AccessTokens, TokenGrant } from '../channels/contract.js';

export type { TokenGrant };

export interface PlatformTokenOptions {
  /** How long the others wait for a fetching instance before one of them takes over (it may have died). */
  leaseMs?: number;
  /** How often a waiting instance looks whether the new token is there. */
  pollMs?: number;
  /** The clock tokens expire by (ms); leases and waits use real time. */
  now?: () => number;
}

/** Fetch a new token five minutes before expiry (WeChat keeps the old one valid five minutes past a refresh). */
const EARLY_S = 300;

interface Row {
  token: string | null;
  refreshAt: Date | null;
}

/** A token and when to fetch the next one. */
interface Fresh {
  token: string;
  refreshAt: Date;
}

/**
 * The tokens in the database (PlatformToken). Only the instance holding a row's lease fetches; the
 * lease is taken by a conditional update, so of several instances finding the token stale at once one
 * fetches and the rest poll the row for its result. Within an instance, concurrent callers share one
 * promise and so one database round, and a token read stays in memory until it is due for refresh (no
 * round trip per push). Tokens are never logged.
 */
export class PlatformTokens implements AccessTokens {
  private readonly pending = new Map<string, Promise<Fresh>>();
  private readonly known = new Map<string, Fresh>();
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    options: PlatformTokenOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 15_000;
    this.pollMs = options.pollMs ?? 100;
    this.now = options.now ?? Date.now;
  }

  async get(credential: string, fetch: () => Promise<TokenGrant>, refused?: string): Promise<string> {
    const known = this.known.get(credential);
    if (known && known.refreshAt.getTime() > this.now() && known.token !== refused) return known.token;
    const shared = this.pending.get(credential);
    if (shared) {
      const fresh = await shared;
      // Started before this caller learnt the token was refused: it may have read that very token.
      if (fresh.token !== refused) return fresh.token;
    }
    const mine = this.obtain(credential, fetch, refused).finally(() => {
      if (this.pending.get(credential) === mine) this.pending.delete(credential);
    });
    this.pending.set(credential, mine);
    const fresh = await mine;
    this.known.set(credential, fresh);
    return fresh.token;
  }

  private async obtain(credential: string, fetch: () => Promise<TokenGrant>, refused: string | undefined): Promise<Fresh> {
    await this.db.$executeRaw`INSERT INTO "PlatformToken" ("id") VALUES (${credential}) ON CONFLICT ("id") DO NOTHING`;
    const usable = (row: Row | undefined): row is Fresh =>
      Boolean(row?.token && row.refreshAt && row.refreshAt.getTime() > this.now() && row.token !== refused);
    // A holder that died frees the lease after leaseMs, and a waiter then fetches itself.
    const giveUpAt = Date.now() + 3 * this.leaseMs;
    for (;;) {
      const row = await this.read(credential);
      if (usable(row)) return row;
      const leaseId = randomUUID();
      const now = new Date();
      const claimed = await this.db.$executeRaw`UPDATE "PlatformToken" SET "leaseUntil" = ${new Date(now.getTime() + this.leaseMs)}, "leaseId" = ${leaseId}
        WHERE "id" = ${credential} AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now})`;
      if (claimed === 1) return this.refresh(credential, fetch, leaseId, usable);
      if (Date.now() > giveUpAt) throw new Error(`timed out waiting for another instance to refresh the ${credential.split(':')[0]} access token`);
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  private async refresh(credential: string, fetch: () => Promise<TokenGrant>, leaseId: string, usable: (row: Row | undefined) => row is Fresh): Promise<Fresh> {
    let released = false;
    try {
      // Another instance may have stored a new token between our read and our claim.
      const row = await this.read(credential);
      if (usable(row)) return row;
      const grant = await fetch();
      const refreshAt = new Date(this.now() + Math.max(grant.expiresInS / 2, grant.expiresInS - EARLY_S) * 1000);
      // Only while the lease is still ours: past it another instance may have stored a newer token.
      await this.db.$executeRaw`UPDATE "PlatformToken" SET "token" = ${grant.token}, "refreshAt" = ${refreshAt}, "leaseUntil" = NULL, "leaseId" = NULL
        WHERE "id" = ${credential} AND "leaseId" = ${leaseId}`;
      released = true;
      return { token: grant.token, refreshAt };
    } finally {
      if (!released) await this.db.$executeRaw`UPDATE "PlatformToken" SET "leaseUntil" = NULL, "leaseId" = NULL WHERE "id" = ${credential} AND "leaseId" = ${leaseId}`;
    }
  }

  private async read(credential: string): Promise<Row | undefined> {
    return (await this.db.platformToken.findUnique({ where: { id: credential }, select: { token: true, refreshAt: true } })) ?? undefined;
  }
}
