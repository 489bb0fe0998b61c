import type { RequestHandler, Response } from 'express';
import type { Officer } from '../../src/accounts/officer.js';
import { rateLimit, type Store } from 'express-rate-limit';
import { errorBody, HubError } from '../../src/errors.js';
import { sendJson } from '../../src/http/error-handler.js';
import { sameSecret } from '../../src/http/secrets.js';

export interface AdminGuard {
  /** `Authorization: Bearer <token>` (the admin API, scripts). */
  bearer: RequestHandler;
  /** HTTP Basic with the token as the password (pages an admin opens in a browser). */
  basic: RequestHandler;
}

export interface AdminGuardOptions {
  /** Wrong tokens allowed per client address per window before every attempt is refused for the rest of it. */
  failuresPerWindow?: number;
  windowMs?: number;
  /** Shared by every instance when Redis is configured. */
  store?: Store;
  /**
   * A person's own API token (`hubt_…`): true when it is valid, having put the person on
   * `res.locals.apiOfficer`. Wrong ones are throttled like wrong shared tokens.
   */
  personal?: (token: string, res: Response) => Promise<boolean>;
}

/**
 * The admin token's check: Bearer only (a bare token in the header is refused, so it is never sent
 * where a proxy might log it as something else), compared in constant time, and wrong guesses
 * throttled per client address — counted only when the token was wrong, so a busy script with the
 * right token is never slowed.
 */
export function adminGuard(token: string, options: AdminGuardOptions = {}): AdminGuard {
  const throttle = rateLimit({
    windowMs: options.windowMs ?? 15 * 60_000,
    limit: options.failuresPerWindow ?? 10,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: options.store,
    passOnStoreError: true,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    handler: (_req, res) => sendJson(res, 429, errorBody('rate_limited', 'too many wrong admin tokens from this address; wait and try again')),
  });
  const check =
    (presented: (header: string) => string | undefined, challenge?: string): RequestHandler =>
    (req, res, next) =>
      throttle(req, res, (err?: unknown) => {
        if (err) return next(err);
        const given = presented(req.get('authorization') ?? '');
        const refuse = () => {
          if (challenge) res.set('WWW-Authenticate', challenge);
          next(new HubError('unauthorized', 'missing or wrong admin token (Authorization: Bearer <token>)'));
        };
        if (given?.startsWith('hubt_') && options.personal) {
          options.personal(given, res).then((ok) => (ok ? next() : refuse()), next);
          return;
        }
        if (sameSecret(given, token)) return next();
        refuse();
      });
  return {
    bearer: check((h) => /^Bearer ([^\s]+)$/.exec(h)?.[1]),
    basic: check((h) => {
      const encoded = /^Basic ([A-Za-z0-9+/=]+)$/.exec(h)?.[1];
      return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8').split(':').slice(1).join(':');
    }, 'Basic realm="petition hub admin"'),
  };
}

declare module 'express-serve-static-core' {
  interface Locals {
    /** The person a personal API token belongs to (absent for the shared admin token). */
    apiOfficer?: Officer;
  }
}
