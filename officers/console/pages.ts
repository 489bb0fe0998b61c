import type { Locale } from '../../src/domain.js';
import type { Officer } from '../../src/accounts/officer.js';
import type { RoutingTable } from '../../src/cases/routing-defaults.js';
import { escapeHtml as e } from '../../src/http/html.js';
import { csrfField } from './layout.js';
import { departmentName, when } from './format.js';
import type { Tr } from './texts.js';

/** The sign-in form; `error` is a text key. */
export function signInBody(tr: Tr, next: string, error: string | null, sso: boolean): string {
  const err = error ? `<p class="flash error" role="alert">${e(tr(error))}</p>` : '';
  const ssoLink = sso ? `<p><a href="/console/sso?next=${encodeURIComponent(next)}">${e(tr('signIn.sso'))}</a></p>` : '';
  return `<h1>${e(tr('signIn.title'))}</h1>${err}<form method="post" action="/console/sign-in" class="sign-in">
<input type="hidden" name="next" value="${e(next)}">
<label>${e(tr('signIn.username'))} <input name="username" autocomplete="username" required maxlength="63" autofocus></label>
<label>${e(tr('signIn.password'))} <input name="password" type="password" autocomplete="current-password" required maxlength="200"></label>
<button type="submit">${e(tr('signIn.submit'))}</button></form>${ssoLink}`;
}

interface AccountPageOptions {
  tr: Tr;
  locale: Locale;
  timeZone: string;
  csrf: string;
  routing: RoutingTable;
  tokens: { id: string; label: string; createdAt: Date; lastUsedAt: Date | null }[];
  newToken?: string;
}

export function accountBody(o: Officer, p: AccountPageOptions): string {
  const { tr } = p;
  const langs: [Locale, string][] = [['zh-CN', '中文'], ['en', 'English']];
  const departments = o.role === 'officer' ? o.departments.map((d) => departmentName(p.routing, d, p.locale)).join('、') : tr('inbox.any');
  const tokens = p.tokens
    .map((t) => `<li>${e(t.label)} · ${e(when(t.createdAt, p.locale, p.timeZone))}${t.lastUsedAt ? ` · ${e(when(t.lastUsedAt, p.locale, p.timeZone))}` : ''} <form method="post" action="/console/account/tokens/${e(t.id)}/revoke" class="inline">${csrfField(p.csrf)}<button type="submit">${e(tr('account.revoke'))}<span class="visually-hidden"> ${e(t.label)}</span></button></form></li>`)
    .join('');
  const fresh = p.newToken ? `<p class="flash ok" role="status">${e(tr('account.newToken'))} <code>${e(p.newToken)}</code></p>` : '';
  return `<h1>${e(tr('account.title'))}</h1>
<dl><dt>${e(tr('signIn.username'))}</dt><dd>${e(o.username)}</dd><dt>${e(tr('account.role'))}</dt><dd>${e(tr(`roleName.${o.role}`))}</dd><dt>${e(tr('account.departments'))}</dt><dd>${e(departments)}</dd></dl>
<form method="post" action="/console/account/locale">${csrfField(p.csrf)}<label>${e(tr('account.language'))} <select name="locale">${langs.map(([l, name]) => `<option value="${l}"${l === o.locale ? ' selected' : ''}>${name}</option>`).join('')}</select></label> <button type="submit">${e(tr('account.save'))}</button></form>
<h2>${e(tr('account.tokens'))}</h2>${fresh}<ul>${tokens}</ul>
<form method="post" action="/console/account/tokens">${csrfField(p.csrf)}<label>${e(tr('account.tokenLabel'))} <input name="label" required maxlength="100"></label> <button type="submit">${e(tr('account.issue'))}</button></form>
<h2>${e(tr('nav.signOut'))}</h2><form method="post" action="/console/sign-out-everywhere">${csrfField(p.csrf)}<button type="submit">${e(tr('account.signOutAll'))}</button></form>`;
}

export function errorBodyHtml(tr: Tr, message: string): string {
  return `<h1>${e(tr('error.title'))}</h1><p>${e(message)}</p><p><a href="/console">${e(tr('case.back'))}</a></p>`;
}
