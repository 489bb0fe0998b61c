import type { Officer } from '../../src/accounts/officer.js';
import { ROLES } from '../../src/accounts/officer.js';
import type { Locale } from '../../src/domain.js';
import type { RoutingTable } from '../../src/cases/routing-defaults.js';
import { escapeHtml as e } from '../../src/http/html.js';
import { csrfField } from './layout.js';
import { departmentName } from './format.js';
import type { Tr } from './texts.js';

interface AdminPageOptions {
  tr: Tr;
  locale: Locale;
  csrf: string;
  routing: RoutingTable;
  me: Officer;
  /** Single sign-on is on: an account may be created without a password. */
  sso: boolean;
  flash?: { ok: boolean; text: string };
}

/** Admins manage the accounts: who works for which department, with which role. */
export function accountsBody(accounts: Officer[], o: AdminPageOptions): string {
  const { tr } = o;
  const rows = accounts.map((a) => {
    const departments = a.role === 'officer' ? a.departments.map((d) => departmentName(o.routing, d, o.locale)).join('、') : tr('inbox.any');
    const disable = a.id === o.me.id ? '' : `<form method="post" action="/console/admin/accounts/${e(a.id)}/disable" class="inline">${csrfField(o.csrf)}<button type="submit">${e(tr('admin.disable'))}<span class="visually-hidden"> ${e(a.username)}</span></button></form>`;
    return `<tr><th scope="row">${e(a.username)}</th><td>${e(a.displayName)}</td><td>${e(tr(`roleName.${a.role}`))}</td><td>${e(departments)}</td><td>${disable}</td></tr>`;
  });
  const departments = Object.keys(o.routing.departments)
    .map((id) => `<label class="check"><input type="checkbox" name="departments" value="${e(id)}"> ${e(departmentName(o.routing, id, o.locale))}</label>`)
    .join('');
  const flash = o.flash ? `<p class="flash ${o.flash.ok ? 'ok' : 'error'}" role="status">${e(o.flash.text)}</p>` : '';
  return `<h1>${e(tr('admin.title'))}</h1>${flash}
<table><caption>${e(tr('admin.accounts'))}</caption><thead><tr><th scope="col">${e(tr('signIn.username'))}</th><th scope="col">${e(tr('admin.name'))}</th><th scope="col">${e(tr('account.role'))}</th><th scope="col">${e(tr('account.departments'))}</th><th scope="col"><span class="visually-hidden">${e(tr('admin.disable'))}</span></th></tr></thead><tbody>${rows.join('')}</tbody></table>
<h2>${e(tr('admin.create'))}</h2>
<form method="post" action="/console/admin/accounts">${csrfField(o.csrf)}
<label>${e(tr('signIn.username'))} <input name="username" required maxlength="63" pattern="[a-z0-9][a-z0-9._\\-]{1,62}" autocomplete="off"></label>
<label>${e(tr('admin.name'))} <input name="displayName" required maxlength="100"></label>
<label>${e(tr('account.role'))} <select name="role">${ROLES.map((r) => `<option value="${r}">${e(tr(`roleName.${r}`))}</option>`).join('')}</select></label>
<fieldset><legend>${e(tr('account.departments'))}</legend>${departments}</fieldset>
<label>${e(tr(o.sso ? 'admin.passwordOrSso' : 'admin.password'))} <input name="password" type="password"${o.sso ? '' : ' required'} minlength="10" maxlength="200" autocomplete="new-password"></label>
<button type="submit">${e(tr('admin.create'))}</button></form>`;
}
