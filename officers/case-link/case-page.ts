import { createHash, randomBytes, randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import type { Db } from '../../src/db/client.js';
import { SLOTS, type Details } from '../../src/domain.js';
import { t } from '../../src/i18n.js';
import { escapeHtml } from '../../src/http/html.js';
import { parseRouting, routingReasons } from '../../src/cases/routing-reasons.js';
import { insertEvent } from '../../src/cases/case-rows.js';
import { inPrisma } from '../../src/db/sql-driver.js';

const LINK_TTL_MS = 10 * 60_000;

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** A link to the full case that works once, for ten minutes, for the officer it was issued to. */
export async function issueCaseLink(db: Db, c: { id: string; trackingNumber: string }, actor: string, baseUrl: string, now = new Date()): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await db.caseAccessToken.create({ data: { tokenHash: hash(token), caseId: c.id, actor, expiresAt: new Date(now.getTime() + LINK_TTL_MS) } });
  const url = new URL(`/cases/${encodeURIComponent(c.trackingNumber)}`, baseUrl);
  url.searchParams.set('t', token);
  return url.toString();
}


function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="/demo.css"></head><body><main class="wrap">${body}</main></body></html>`;
}

/**
 * The case page officers reach from Slack: everything about the case, personal data included, which
 * is why it opens only with a fresh one-time link and every opening is recorded on the case.
 */
export function casePageRoutes(db: Db, now: () => Date = () => new Date()): Router {
  const router = express.Router();
  router.get('/cases/:ref', async (req, res) => {
    res.set({
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Robots-Tag': 'noindex',
      'Content-Security-Policy': "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    });
    const token = typeof req.query.t === 'string' ? req.query.t : '';
    const at = now();
    const grant = token ? await db.caseAccessToken.findUnique({ where: { tokenHash: hash(token) } }) : null;
    const c = grant ? await db.case.findUnique({ where: { id: grant.caseId } }) : null;
    const valid = grant && c && !grant.usedAt && grant.expiresAt > at && c.trackingNumber === req.params.ref;
    // Used once: a link that leaks later (browser history, a forwarded message) opens nothing.
    const consumed = valid ? await db.caseAccessToken.updateMany({ where: { tokenHash: grant.tokenHash, usedAt: null }, data: { usedAt: at } }) : { count: 0 };
    if (!valid || !c || consumed.count === 0) {
      res.status(401).type('html').send(page('Link expired', '<h1>This link has expired or was already used</h1><p>Open the case again from its card in Slack to get a new link.</p>'));
      return;
    }
    await db.$transaction((tx) => inPrisma(tx, insertEvent({ id: randomUUID(), caseId: c.id, type: 'viewed', fromStatus: c.status, toStatus: c.status, actor: grant.actor, at })));
    const details = JSON.parse(c.details) as Details;
    const locale = c.language === 'en' ? 'en' : 'zh-CN';
    const rows = SLOTS.filter((s) => details[s]).map((s) => `<tr><th>${escapeHtml(t(locale, `slot.${s}`))}</th><td>${escapeHtml(details[s] as string)}</td></tr>`);
    // This case's messages only: the conversation may hold the person's other cases too.
    const transcript = await db.message.findMany({ where: { caseId: c.id }, orderBy: { seq: 'asc' } });
    const events = await db.caseEvent.findMany({ where: { caseId: c.id }, orderBy: { createdAt: 'asc' } });
    const body = [
      `<h1>${escapeHtml(c.trackingNumber)}</h1>`,
      `<p>${escapeHtml(`${c.status} · ${c.category} · ${c.department} · ${c.urgency} · ${c.channel}`)}</p>`,
      `<p>Accept by ${escapeHtml(c.acceptanceDueAt.toISOString().slice(0, 10))} · answer by ${escapeHtml(c.resolutionDueAt.toISOString().slice(0, 10))}</p>`,
      routingSection(c.routing),
      `<h2>Details</h2><table>${rows.join('')}</table>`,
      `<h2>Conversation</h2><ol>${transcript.map((m) => `<li><b>${escapeHtml(m.role)}</b> <time>${escapeHtml(m.createdAt.toISOString())}</time><p>${escapeHtml(m.text)}</p></li>`).join('')}</ol>`,
      `<h2>History</h2><ol>${events.map((e) => `<li>${escapeHtml(`${e.createdAt.toISOString()} ${e.type} ${e.toStatus ?? ''} by ${e.actor}`)}${e.text ? `<p>${escapeHtml(e.text)}</p>` : ''}</li>`).join('')}</ol>`,
    ];
    res.type('html').send(page(c.trackingNumber, body.join('\n')));
  });
  return router;
}

/** Why the case was routed so, for the officer who may have to correct it. */
function routingSection(json: string | null): string {
  const explanation = parseRouting(json);
  if (!explanation) return '';
  const r = routingReasons(explanation, (code) => code, (code) => `[${code}] vocabulary`);
  const top = r.top.map((x) => `${x.label} ${x.percent} %`).join(' · ');
  const also = r.secondary ? `<p>Also about: ${escapeHtml(r.secondary.label)} (${r.secondary.percent} %)</p>` : '';
  const words = r.words.length ? `<p>Words that weighed most: ${escapeHtml(r.words.join(' · '))}</p>` : '';
  return `<h2>Routing</h2><p>${escapeHtml(top)}</p>${also}${words}`;
}
