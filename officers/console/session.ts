import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { AccountService, SignedIn } from '../../src/accounts/account-service.js';
import { HubError } from '../../src/errors.js';
import type { PendingSignIn } from '../../src/accounts/single-sign-on.js';

/** __Host- binds the cookie to this host and path / and requires https; plain http (a laptop) uses the bare name. */
const SECURE_NAME = '__Host-hub_console';
const PLAIN_NAME = 'hub_console';

declare module 'express-serve-static-core' {
  interface Locals {
    signedIn?: SignedIn;
    sessionSecret?: string;
  }
}

const isSecure = (req: Request) => req.secure;

export function sessionCookie(req: Request, res: Response, secret: string | null): void {
  const secure = isSecure(req);
  res.append(
    'Set-Cookie',
    stringifySetCookie({
      name: secure ? SECURE_NAME : PLAIN_NAME,
      value: secret ?? '',
      httpOnly: true,
      secure,
      sameSite: 'strict',
      path: '/',
      ...(secret ? {} : { maxAge: 0 }),
    }),
  );
}

/**
 * What single sign-on keeps while the browser is at the identity provider. SameSite=Lax, unlike the
 * session: it must come back on the provider's (cross-site) redirect to the callback.
 */
const PENDING_NAME = 'hub_console_sso';
const PENDING_SECONDS = 600;

export function pendingCookie(req: Request, res: Response, pending: PendingSignIn | null): void {
  res.append(
    'Set-Cookie',
    stringifySetCookie({
      name: PENDING_NAME,
      value: pending ? Buffer.from(JSON.stringify(pending)).toString('base64url') : '',
      httpOnly: true,
      secure: isSecure(req),
      sameSite: 'lax',
      path: '/console/sso',
      maxAge: pending ? PENDING_SECONDS : 0,
    }),
  );
}

export function pendingSignIn(req: Request): PendingSignIn | null {
  const raw = parseCookie(req.get('cookie') ?? '')[PENDING_NAME];
  if (!raw) return null;
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { state, nonce, verifier, next } = v;
    return typeof state === 'string' && typeof nonce === 'string' && typeof verifier === 'string' && typeof next === 'string' ? { state, nonce, verifier, next } : null;
  } catch {
    return null;
  }
}

function presented(req: Request): string | undefined {
  const jar = parseCookie(req.get('cookie') ?? '');
  return (isSecure(req) ? jar[SECURE_NAME] : undefined) ?? jar[PLAIN_NAME];
}

/**
 * Loads the signed-in officer: pages without a session go to the sign-in page (with where they were
 * going), other requests get 401.
 */
export function requireOfficer(accounts: AccountService): RequestHandler {
  return async (req, res, next) => {
    const secret = presented(req);
    const signedIn = secret ? await accounts.session(secret) : null;
    if (!signedIn || !secret) {
      if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html') {
        res.redirect(303, `/console/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
        return;
      }
      return next(new HubError('unauthorized', 'sign in first'));
    }
    res.locals.signedIn = signedIn;
    res.locals.sessionSecret = secret;
    next();
  };
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Forms are accepted only from the console itself: the browser says the request is same-origin
 * (Sec-Fetch-Site / Origin) and it carries the session's CSRF token.
 */
export function sameOrigin(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.get('origin');
  if (!origin || origin === 'null') return !origin;
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}

export function checkCsrf(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'POST') return next();
  const token = typeof req.body?._csrf === 'string' ? req.body._csrf : (req.get('x-csrf-token') ?? '');
  const expected = res.locals.signedIn?.csrfToken;
  if (!sameOrigin(req) || !expected || !same(token, expected)) return next(new HubError('csrf_failed', 'the form is out of date or did not come from the console; reload and try again'));
  next();
}

export function signedIn(res: Response): SignedIn {
  const s = res.locals.signedIn;
  if (!s) throw new HubError('unauthorized', 'sign in first');
  return s;
}
