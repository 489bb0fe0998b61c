import type { Officer } from '../../src/accounts/officer.js';
import type { Locale } from '../../src/domain.js';
import { escapeHtml } from '../../src/http/html.js';
import { translator } from './texts.js';

export type Section = 'inbox' | 'dashboard' | 'account' | 'admin' | 'deliveries' | 'none';

export interface PageOptions {
  title: string;
  locale: Locale;
  body: string;
  /** Absent on the sign-in page. */
  officer?: Officer;
  csrf?: string;
  active?: Section;
  /** Script files under /console/assets/ (or vendor paths starting with /), loaded deferred. */
  scripts?: string[];
}

/** A hidden field every console form carries: the session's CSRF token. */
export const csrfField = (csrf: string) => `<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">`;

/**
 * A table in a region that scrolls sideways when the table is wider than the screen (a tablet), so
 * that the page itself never does: the region is named by the table's caption (`captionId`). A
 * keyboard can scroll it by its links; a table without any is given a tab stop of its own.
 */
export function tableRegion(captionId: string, table: string, hasLinks: boolean): string {
  return `<div class="table-wrap" role="region" aria-labelledby="${escapeHtml(captionId)}"${hasLinks ? '' : ' tabindex="0"'}>${table}</div>`;
}

/** The console's page shell: skip link, navigation with the current page marked, the page's content. */
export function layout(p: PageOptions): string {
  const tr = translator(p.locale);
  const link = (href: string, section: Section, label: string) =>
    `<a href="${href}"${p.active === section ? ' aria-current="page"' : ''}>${escapeHtml(label)}</a>`;
  const nav = p.officer
    ? `<header class="top"><nav aria-label="${escapeHtml(tr('app.name'))}"><span class="brand">${escapeHtml(tr('app.name'))}</span>${link('/console', 'inbox', tr('nav.inbox'))}${
        p.officer.role === 'officer' ? '' : link('/console/dashboard', 'dashboard', tr('nav.dashboard'))
      }${p.officer.role === 'admin' ? link('/console/admin/accounts', 'admin', tr('nav.admin')) + link('/console/admin/deliveries', 'deliveries', tr('nav.deliveries')) : ''}${link('/console/account', 'account', tr('nav.account'))}</nav><form method="post" action="/console/sign-out" class="sign-out">${csrfField(p.csrf ?? '')}<span class="who">${escapeHtml(p.officer.displayName)}</span><button type="submit">${escapeHtml(tr('nav.signOut'))}</button></form></header>`
    : '';
  const scripts = (p.scripts ?? []).map((s) => `<script src="${escapeHtml(s.startsWith('/') ? s : `/console/assets/${s}`)}" defer></script>`).join('');
  return `<!doctype html><html lang="${p.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(p.title)} · ${escapeHtml(tr('app.name'))}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/console/assets/console.css">${scripts}</head><body><a class="skip" href="#main">${escapeHtml(tr('nav.skip'))}</a>${nav}<main id="main" tabindex="-1">${p.body}</main></body></html>`;
}
