import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import express, { type Request, type Response, type Router } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { z } from 'zod';
import type { AccountService } from '../../src/accounts/account-service.js';
import type { Officer, Role } from '../../src/accounts/officer.js';
import { accountsBody } from './admin-page.js';
import { deliveriesBody } from './deliveries-page.js';
import type { DeadLetters } from '../../src/outbox/dead-letters.js';
import type { Db } from '../../src/db/client.js';
import type { Details, Locale } from '../../src/domain.js';
import { HubError } from '../../src/errors.js';
import type { HubEventBus } from '../../src/events.js';
import type { Logger } from '../../src/logger.js';
import type { OfficerCases, InboxFilter } from '../../src/cases/officer-cases.js';
import type { Router as CaseRouter } from '../../src/cases/routing.js';
import { OFFICER_ACTIONS } from '../../src/cases/status-machine.js';
import { dashboardFigures } from '../../src/cases/dashboard.js';
import { checkText } from '../../src/http/validate.js';
import { errorResponse } from '../../src/http/error-handler.js';
import { layout, type PageOptions } from './layout.js';
import { checkCsrf, pendingCookie, pendingSignIn, requireOfficer, sameOrigin, sessionCookie, signedIn } from './session.js';
import type { SingleSignOn } from '../../src/accounts/single-sign-on.js';
import { escapeHtml } from '../../src/http/html.js';
import { translator } from './texts.js';
import { inboxBody, inboxList } from './inbox-page.js';
import { caseBody } from './case-page.js';
import { accountBody, errorBodyHtml, signInBody } from './pages.js';
import { dashboardBody } from './dashboard-page.js';
import { dashboardCsv, toCsv } from './csv.js';
import { categoryName, departmentName, when } from './format.js';
import { mountAttachmentRoutes } from './attachment-routes.js';
import { projectPath } from '../../src/util/project-root.js';

const ASSETS = projectPath('officers', 'console', 'public');
const ECHARTS = projectPath('node_modules', 'echarts', 'dist', 'echarts.min.js');

export interface ConsoleDeps {
  db: Db;
  accounts: AccountService;
  cases: OfficerCases;
  router: CaseRouter;
  events: HubEventBus;
  logger: Logger;
  timeZone: string;
  extensionMaxDays: number;
  now: () => Date;
  /** Deliveries the outbox gave up on, for admins. */
  deadLetters: DeadLetters;
  /** Sign-in attempts per address are counted here (Redis: across instances). */
  rateLimitStore?: Store;
  /** Single sign-on through the office's identity provider, when configured. */
  sso?: SingleSignOn;
}

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const actionForm = z.object({
  action: z.enum(OFFICER_ACTIONS),
  text: z.string().max(5000).optional(),
  department: z.string().max(100).optional(),
  category: z.string().max(100).optional(),
  days: z.string().max(4).optional(),
});

function flag(v: unknown): boolean | undefined {
  return v === '1' || v === 'on' || v === 'true' ? true : undefined;
}

/** The inbox filter from the query string; anything malformed is a 400, never a silent "all". */
function inboxFilter(q: Request['query']): InboxFilter {
  const str = (name: string) => (typeof q[name] === 'string' && q[name] !== '' ? (q[name] as string) : undefined);
  const due = str('due');
  if (due !== undefined && !/^\d{1,3}$/.test(due)) throw new HubError('bad_request', 'due must be a number of days (0–999)');
  const query = str('q');
  if (query && query.length > 200) throw new HubError('bad_request', 'a search is at most 200 characters');
  return { status: str('status'), category: str('category'), urgency: str('urgency'), triage: flag(q.triage), emergency: flag(q.emergency), overdue: flag(q.overdue), group: flag(q.group), dueWithin: due === undefined ? undefined : Number(due), q: query };
}

const queryOf = (req: Request) => (req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '');

/** The file names senders gave these attachments (personal data: for a case page whose personal data is revealed). */
async function namesOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.attachment.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(rows.filter((r) => r.name).map((r) => [r.id, r.name as string]));
}

/** Where to go after signing in: a console path only (never another site). */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/console(\/|\?|$)/.test(next) && !next.startsWith('//') ? next : '/console';
}

/**
 * The officers' web console at /console: sign-in, the inbox, the case page and its actions, the
 * supervisors' dashboard, the officer's account. Server-rendered pages, forms that work without a
 * script, a small script for live updates and keys; strict CSP.
 */
export function consoleRoutes(deps: ConsoleDeps): Router {
  const { accounts, cases } = deps;
  const r = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 });
  r.use((_req, res, next) => {
    res.set({ 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store', 'Referrer-Policy': 'same-origin', 'X-Robots-Tag': 'noindex', 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY' });
    next();
  });
  r.use('/assets', express.static(ASSETS, { maxAge: '5m', index: false }), (_req, res, next) => next());
  // ECharts is 1.1 MB as published and 0.36 MB gzipped; the hub has no compression middleware, so it
  // is gzipped once here (the one large file the console serves, on the dashboard only).
  let echartsGz: Buffer | null = null;
  r.get('/vendor/echarts.min.js', (req, res) => {
    res.set('Cache-Control', 'public, max-age=86400').vary('Accept-Encoding');
    if (req.acceptsEncodings('gzip', 'identity') !== 'gzip') return res.sendFile(ECHARTS);
    echartsGz ??= gzipSync(readFileSync(ECHARTS));
    res.type('js').set('Content-Encoding', 'gzip').send(echartsGz);
  });

  const page = (res: Response, p: Omit<PageOptions, 'locale' | 'officer' | 'csrf'>, status = 200) => {
    const s = res.locals.signedIn;
    const locale: Locale = s?.officer.locale ?? 'zh-CN';
    res.status(status).type('html').send(layout({ ...p, locale, officer: s?.officer, csrf: s?.csrfToken }));
  };

  // Sign-in: wrong passwords are limited per address here and per account in the account service.
  const sso = Boolean(deps.sso);
  const signInLimit = rateLimit({ windowMs: 15 * 60_000, limit: 20, standardHeaders: 'draft-7', legacyHeaders: false, store: deps.rateLimitStore, passOnStoreError: true, skipSuccessfulRequests: true, requestWasSuccessful: (_req, res) => res.statusCode < 400,
    handler: (req, res) => res.status(429).type('html').send(layout({ title: 'Sign in', locale: 'zh-CN', body: signInBody(translator('zh-CN'), safeNext(req.body?.next), 'signIn.throttled', sso) })) });
  r.get('/sign-in', (req, res) => {
    const locale: Locale = req.acceptsLanguages('zh-CN', 'zh', 'en') === 'en' ? 'en' : 'zh-CN';
    res.type('html').send(layout({ title: translator(locale)('signIn.title'), locale, body: signInBody(translator(locale), safeNext(req.query.next), null, sso) }));
  });
  r.post('/sign-in', form, signInLimit, async (req, res) => {
    const locale: Locale = req.acceptsLanguages('zh-CN', 'zh', 'en') === 'en' ? 'en' : 'zh-CN';
    const tr = translator(locale);
    const next = safeNext(req.body?.next);
    const again = (status: number, error: string) => res.status(status).type('html').send(layout({ title: tr('signIn.title'), locale, body: signInBody(tr, next, error, sso) }));
    if (!sameOrigin(req)) return again(403, 'error.csrf');
    const username = typeof req.body?.username === 'string' ? req.body.username : '';
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    try {
      const s = await accounts.signIn(username, password);
      sessionCookie(req, res, s.sessionSecret);
      res.redirect(303, next);
    } catch (err) {
      if (!(err instanceof HubError)) throw err;
      again(err.code === 'account_locked' ? 429 : 401, err.code === 'account_locked' ? 'signIn.locked' : 'signIn.wrong');
    }
  });

  // Single sign-on: off to the identity provider and back (authorization code, PKCE, state, nonce).
  r.get('/sso', async (req, res) => {
    if (!deps.sso) throw new HubError('not_found', 'single sign-on is not configured');
    const { url, pending } = await deps.sso.begin(safeNext(req.query.next));
    pendingCookie(req, res, pending);
    res.redirect(303, url);
  });
  r.get('/sso/callback', async (req, res) => {
    if (!deps.sso) throw new HubError('not_found', 'single sign-on is not configured');
    const locale: Locale = req.acceptsLanguages('zh-CN', 'zh', 'en') === 'en' ? 'en' : 'zh-CN';
    const tr = translator(locale);
    const pending = pendingSignIn(req);
    pendingCookie(req, res, null); // one use, whatever happens
    try {
      if (!pending) throw new HubError('sso_failed', 'the sign-in took too long or was started elsewhere');
      const s = await deps.sso.finish(queryOf(req), pending);
      sessionCookie(req, res, s.sessionSecret);
      deps.logger.info({ account: s.officer.username }, 'console sign-in through single sign-on');
      // A page, not a redirect: the browser arrived from the provider's site, and would withhold the
      // SameSite=Strict session cookie on a redirect that continues that cross-site navigation.
      const to = escapeHtml(pending.next);
      res.type('html').send(`<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${to}"><link rel="icon" href="data:,"><title>${escapeHtml(tr('signIn.title'))}</title></head><body><p><a href="${to}">${escapeHtml(tr('signIn.continue'))}</a></p></body></html>`);
    } catch (err) {
      if (!(err instanceof HubError)) throw err;
      const key = err.code === 'no_account' ? 'signIn.noAccount' : 'signIn.ssoFailed';
      res.status(err.status).type('html').send(layout({ title: tr('signIn.title'), locale, body: signInBody(tr, pending?.next ?? '/console', key, sso) }));
    }
  });

  // Everything below needs a signed-in officer, and every form the session's CSRF token.
  r.use(requireOfficer(accounts), form, checkCsrf);

  r.post('/sign-out', async (_req, res) => {
    await accounts.signOut(res.locals.sessionSecret as string);
    sessionCookie(_req, res, null);
    res.redirect(303, '/console/sign-in');
  });
  r.post('/sign-out-everywhere', async (req, res) => {
    await accounts.signOutEverywhere(signedIn(res).officer.id);
    sessionCookie(req, res, null);
    res.redirect(303, '/console/sign-in');
  });

  const inboxOptions = (req: Request, o: Officer) => ({ locale: o.locale, tr: translator(o.locale), routing: deps.router.table, timeZone: deps.timeZone, filter: inboxFilter(req.query), query: queryOf(req) });
  r.get('/', async (req, res) => {
    const o = signedIn(res).officer;
    const opts = inboxOptions(req, o);
    const inbox = await cases.inbox(o, opts.filter);
    page(res, { title: opts.tr('inbox.title'), active: 'inbox', body: inboxBody(inbox, opts), scripts: ['console.js'] });
  });
  // The list alone, for the live refresh.
  r.get('/inbox-list', async (req, res) => {
    const o = signedIn(res).officer;
    const opts = inboxOptions(req, o);
    res.type('html').send(inboxList(await cases.inbox(o, opts.filter), opts));
  });
  r.get('/inbox.csv', async (req, res) => {
    const o = signedIn(res).officer;
    const opts = inboxOptions(req, o);
    const inbox = await cases.inbox(o, opts.filter);
    const tr = opts.tr;
    const header = ['col.ref', 'col.filed', 'col.summary', 'col.category', 'col.department', 'col.status', 'col.urgency', 'col.due'].map((k) => tr(k));
    const rows = inbox.rows.map((c) => [c.trackingNumber, when(c.createdAt, o.locale, deps.timeZone), c.summary, categoryName(deps.router.table, c.category, o.locale), departmentName(deps.router.table, c.department, o.locale), tr(`status.${c.status}`), tr(`urgency.${c.urgency}`), c.dueAt ? when(c.dueAt, o.locale, deps.timeZone, false) : '']);
    res.type('text/csv; charset=utf-8').attachment('cases.csv').send(toCsv(header, rows));
  });

  // Live updates: only that something changed; the page asks for its own list, through the same scope rules.
  r.get('/events', (req, res) => {
    res.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write('retry: 5000\n\n');
    const changed = () => res.write('event: change\ndata: {}\n\n');
    const beat = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    deps.events.on('case.filed', changed);
    deps.events.on('case.updated', changed);
    deps.events.on('case.info_added', changed);
    req.on('close', () => {
      clearInterval(beat);
      deps.events.off('case.filed', changed);
      deps.events.off('case.updated', changed);
      deps.events.off('case.info_added', changed);
    });
  });

  const caseRef = (req: Request) => String(req.params.ref);
  const renderCase = async (req: Request, res: Response, flash?: { ok: boolean; text: string }, status = 200) => {
    const s = signedIn(res);
    const o = s.officer;
    const tr = translator(o.locale);
    const p = await cases.page(o, caseRef(req));
    const excluded = [p.view.department, ...deps.router.complainedAbout(p.view.details as Details)];
    const attachmentNames = p.revealed ? await namesOf(deps.db, p.view.attachments.map((a) => a.id)) : undefined;
    page(res, { title: p.view.trackingNumber, active: 'inbox', body: caseBody(p, { locale: o.locale, tr, routing: deps.router.table, timeZone: deps.timeZone, csrf: s.csrfToken, now: deps.now(), extensionMaxDays: deps.extensionMaxDays, excludedDepartments: excluded, flash, attachmentNames }), scripts: ['console.js'] }, status);
  };
  r.get('/cases/:ref', async (req, res) => {
    const tr = translator(signedIn(res).officer.locale);
    const ok = typeof req.query.done === 'string' && (OFFICER_ACTIONS as readonly string[]).includes(req.query.done) ? { ok: true, text: tr('case.done', { action: tr(`action.${req.query.done}`) }) } : undefined;
    await renderCase(req, res, ok);
  });
  r.post('/cases/:ref/actions', async (req, res) => {
    const o = signedIn(res).officer;
    const body = actionForm.safeParse(req.body);
    if (!body.success) throw new HubError('bad_request', 'the form is incomplete');
    const { action, department, category } = body.data;
    const text = body.data.text?.trim() ? checkText(body.data.text) : undefined;
    const days = body.data.days ? Number(body.data.days) : undefined;
    try {
      await cases.act(o, caseRef(req), { action, text, department: department || undefined, category: category || undefined, days });
    } catch (err) {
      // The officer sees why on the case page, with the case as it is now.
      if (!(err instanceof HubError) || err.code === 'case_not_found') throw err;
      const tr = translator(o.locale);
      return renderCase(req, res, { ok: false, text: tr('case.failed', { message: tr(`error.${err.code}`) === `error.${err.code}` ? err.message : tr(`error.${err.code}`) }) }, err.status);
    }
    res.redirect(303, `/console/cases/${encodeURIComponent(caseRef(req))}?done=${action}`);
  });
  // A case's photos, voice messages, videos and files, each view recorded (attachment-routes.ts).
  mountAttachmentRoutes(r, { db: deps.db, cases, logger: deps.logger, now: deps.now });
  r.post('/cases/:ref/reveal', async (req, res) => {
    await cases.reveal(signedIn(res).officer, caseRef(req));
    res.redirect(303, `/console/cases/${encodeURIComponent(caseRef(req))}`);
  });
  r.post('/cases/:ref/live', async (req, res) => {
    await cases.live(signedIn(res).officer, caseRef(req), req.body?.take === '1');
    res.redirect(303, `/console/cases/${encodeURIComponent(caseRef(req))}`);
  });

  // Supervisors and admins: figures over every department.
  const supervisor = (res: Response) => {
    const o = signedIn(res).officer;
    if (o.role === 'officer') throw new HubError('forbidden', 'the dashboard is for supervisors');
    return o;
  };
  r.get('/dashboard', async (_req, res) => {
    const o = supervisor(res);
    const now = deps.now();
    const figures = await dashboardFigures(deps.db, deps.router.table, now, { timeZone: deps.timeZone });
    page(res, { title: translator(o.locale)('nav.dashboard'), active: 'dashboard', body: dashboardBody(figures, { locale: o.locale, routing: deps.router.table, timeZone: deps.timeZone, now }), scripts: ['/console/vendor/echarts.min.js', 'dashboard.js'] });
  });
  r.get('/dashboard.csv', async (req, res) => {
    const o = supervisor(res);
    const figures = await dashboardFigures(deps.db, deps.router.table, deps.now(), { timeZone: deps.timeZone });
    const csv = dashboardCsv(figures, String(req.query.list) as 'overdue', o.locale, deps.router.table);
    res.type('text/csv; charset=utf-8').attachment(csv.filename).send(csv.body);
  });

  const renderAccount = async (res: Response, newToken?: string) => {
    const s = signedIn(res);
    const o = s.officer;
    page(res, { title: translator(o.locale)('account.title'), active: 'account', body: accountBody(o, { tr: translator(o.locale), locale: o.locale, timeZone: deps.timeZone, csrf: s.csrfToken, routing: deps.router.table, tokens: await accounts.tokens(o.id), newToken }) });
  };
  r.get('/account', (_req, res) => renderAccount(res));
  r.post('/account/locale', async (req, res) => {
    await accounts.setLocale(signedIn(res).officer.id, String(req.body?.locale ?? ''));
    res.redirect(303, '/console/account');
  });
  r.post('/account/tokens', async (req, res) => {
    const token = await accounts.issueToken(signedIn(res).officer.id, String(req.body?.label ?? ''));
    // Shown once, on this response (no redirect: the token must not sit in a URL or history).
    await renderAccount(res, token);
  });
  r.post('/account/tokens/:id/revoke', async (req, res) => {
    await accounts.revokeToken(signedIn(res).officer.id, String(req.params.id));
    res.redirect(303, '/console/account');
  });

  // Admins: the accounts.
  const admin = (res: Response) => {
    const o = signedIn(res).officer;
    if (o.role !== 'admin') throw new HubError('forbidden', 'accounts are managed by admins');
    return o;
  };
  const renderAccounts = async (res: Response, flash?: { ok: boolean; text: string }, status = 200) => {
    const s = signedIn(res);
    const tr = translator(s.officer.locale);
    page(res, { title: tr('admin.title'), active: 'admin', body: accountsBody(await accounts.list(), { tr, locale: s.officer.locale, csrf: s.csrfToken, routing: deps.router.table, me: s.officer, sso, flash }) }, status);
  };
  r.get('/admin/accounts', async (_req, res) => {
    admin(res);
    await renderAccounts(res);
  });
  r.post('/admin/accounts', async (req, res) => {
    const o = admin(res);
    const tr = translator(o.locale);
    const body = req.body as Record<string, string | string[] | undefined>;
    const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
    const departments = body.departments === undefined ? [] : ([] as string[]).concat(body.departments);
    try {
      // With single sign-on, an empty password makes an account that signs in only through the provider.
      const created = await accounts.create({ username: one(body.username), displayName: one(body.displayName), role: one(body.role) as Role, departments, password: sso && one(body.password) === '' ? undefined : one(body.password) });
      deps.logger.info({ account: created.username, role: created.role, by: o.username }, 'console account created');
      await renderAccounts(res, { ok: true, text: tr('admin.created', { username: created.username }) }, 201);
    } catch (err) {
      if (!(err instanceof HubError)) throw err;
      const known = tr(`error.${err.code}`);
      await renderAccounts(res, { ok: false, text: known === `error.${err.code}` ? err.message : known }, err.status);
    }
  });
  r.post('/admin/accounts/:id/disable', async (req, res) => {
    const o = admin(res);
    const id = String(req.params.id);
    if (id === o.id) throw new HubError('bad_request', 'an admin cannot disable their own account here');
    await accounts.disable(id);
    deps.logger.info({ account: id, by: o.username }, 'console account disabled');
    await renderAccounts(res, { ok: true, text: translator(o.locale)('admin.disabled') });
  });

  // Admins: deliveries the outbox gave up on.
  const renderDeliveries = async (res: Response, flash?: { ok: boolean; text: string }) => {
    const s = signedIn(res);
    const tr = translator(s.officer.locale);
    page(res, { title: tr('deliveries.title'), active: 'deliveries', body: deliveriesBody(await deps.deadLetters.list(), { tr, locale: s.officer.locale, timeZone: deps.timeZone, csrf: s.csrfToken, flash }) });
  };
  r.get('/admin/deliveries', async (_req, res) => {
    admin(res);
    await renderDeliveries(res);
  });
  r.post('/admin/deliveries/retry', async (_req, res) => {
    const o = admin(res);
    const n = await deps.deadLetters.retry({});
    deps.logger.info({ deadLetters: n, by: o.username }, 'dead letters retried');
    await renderDeliveries(res, { ok: true, text: translator(o.locale)('deliveries.retried', { n }) });
  });
  r.post('/admin/deliveries/:id/retry', async (req, res) => {
    const o = admin(res);
    const n = await deps.deadLetters.retry({ id: String(req.params.id) });
    deps.logger.info({ deadLetter: req.params.id, by: o.username }, 'dead letter retried');
    await renderDeliveries(res, { ok: true, text: translator(o.locale)('deliveries.retried', { n }) });
  });
  r.post('/admin/deliveries/:id/drop', async (req, res) => {
    const o = admin(res);
    await deps.deadLetters.drop(String(req.params.id));
    deps.logger.info({ deadLetter: req.params.id, by: o.username }, 'dead letter dropped');
    await renderDeliveries(res, { ok: true, text: translator(o.locale)('deliveries.dropped') });
  });

  // The console's own final handler: a page in the officer's language, not JSON.
  r.use((err: unknown, req: Request, res: Response, next: (e?: unknown) => void) => {
    if (res.headersSent) return next(err);
    if (err instanceof HubError && err.code === 'unauthorized') {
      sessionCookie(req, res, null);
      return res.status(401).type('html').send(layout({ title: 'Sign in', locale: 'zh-CN', body: signInBody(translator('zh-CN'), '/console', null, sso) }));
    }
    const { status } = errorResponse(err, deps.logger, req);
    const tr = translator(res.locals.signedIn?.officer.locale ?? 'zh-CN');
    const message = err instanceof HubError ? (err.code === 'case_not_found' ? tr('case.notFound') : err.code === 'forbidden' ? tr('error.forbidden') : err.code === 'csrf_failed' ? tr('error.csrf') : err.message) : tr('error.title');
    page(res, { title: tr('error.title'), active: 'none', body: errorBodyHtml(tr, message) }, status);
  });
  return r;
}
