import type { Locale } from '../../src/domain.js';
import type { RoutingTable } from '../../src/cases/routing-defaults.js';
import type { Inbox, InboxFilter, InboxRow } from '../../src/cases/officer-cases.js';
import { STATUSES } from '../../src/cases/status-machine.js';
import { escapeHtml as e } from '../../src/http/html.js';
import { categoryName, departmentName, when } from './format.js';
import { tableRegion } from './layout.js';
import type { Tr } from './texts.js';

interface InboxPageOptions {
  locale: Locale;
  tr: Tr;
  routing: RoutingTable;
  timeZone: string;
  filter: InboxFilter;
  /** The query string of this view (the CSV link and the live refresh keep it). */
  query: string;
}

const URGENCIES = ['normal', 'high', 'emergency'];

function select(name: string, label: string, value: string | undefined, options: [string, string][]): string {
  const opts = options.map(([v, text]) => `<option value="${e(v)}"${v === (value ?? '') ? ' selected' : ''}>${e(text)}</option>`).join('');
  return `<label>${e(label)} <select name="${name}">${opts}</select></label>`;
}

const check = (name: string, label: string, on: boolean | undefined, count: number) =>
  `<label class="check"><input type="checkbox" name="${name}" value="1"${on ? ' checked' : ''}> ${e(label)} <span class="count">${count}</span></label>`;

/** The filters (a plain GET form: every view has its own address, back and forward work). */
function filters(inbox: Inbox, o: InboxPageOptions): string {
  const { tr, filter: f } = o;
  const statuses: [string, string][] = [['open', tr('inbox.open')], ['all', tr('inbox.any')], ...STATUSES.map((s): [string, string] => [s, tr(`status.${s}`)])];
  const categories: [string, string][] = [['', tr('inbox.any')], ...Object.keys(o.routing.categories).map((c): [string, string] => [c, categoryName(o.routing, c, o.locale)])];
  const urgencies: [string, string][] = [['', tr('inbox.any')], ...URGENCIES.map((u): [string, string] => [u, tr(`urgency.${u}`)])];
  return `<form class="filters" method="get" action="/console" role="search">
<label class="search">${e(tr('inbox.search'))} <input type="search" name="q" value="${e(f.q ?? '')}" maxlength="200" id="search"></label>
${select('status', tr('inbox.status'), f.status ?? 'open', statuses)}
${select('category', tr('inbox.category'), f.category, categories)}
${select('urgency', tr('inbox.urgency'), f.urgency, urgencies)}
<fieldset><legend>${e(tr('inbox.filter'))}</legend>
${check('triage', tr('inbox.triage'), f.triage, inbox.counts.triage)}
${check('emergency', tr('inbox.emergency'), f.emergency, inbox.counts.emergency)}
${check('overdue', tr('inbox.overdue'), f.overdue, inbox.counts.overdue)}
${check('group', tr('inbox.group'), f.group, inbox.counts.group)}
<label>${e(tr('inbox.dueWithin'))} <input type="number" name="due" min="0" max="365" value="${f.dueWithin ?? ''}" inputmode="numeric"></label>
</fieldset>
<button type="submit">${e(tr('inbox.filter'))}</button> <a href="/console">${e(tr('inbox.clear'))}</a>
</form>`;
}

function row(r: InboxRow, o: InboxPageOptions): string {
  const { tr } = o;
  const href = `/console/cases/${encodeURIComponent(r.trackingNumber)}`;
  const flags = [r.urgency !== 'normal' ? `<span class="badge ${e(r.urgency)}">${e(tr(`urgency.${r.urgency}`))}</span>` : '', r.needsTriage ? `<span class="badge triage">${e(tr('inbox.triage'))}</span>` : '', r.groupId ? `<span class="badge group">${e(tr('inbox.group'))}</span>` : ''].join('');
  const due = r.dueAt ? `<time datetime="${r.dueAt.toISOString()}"${r.overdue ? ' class="overdue"' : ''}>${e(when(r.dueAt, o.locale, o.timeZone, false))}${r.overdue ? ` · ${e(tr('inbox.overdue'))}` : ''}</time>` : '—';
  return `<tr data-href="${e(href)}"><th scope="row"><a href="${e(href)}">${e(r.trackingNumber)}</a></th><td>${e(when(r.createdAt, o.locale, o.timeZone))}</td><td class="summary">${flags}${e(r.summary.slice(0, 160))}</td><td>${e(categoryName(o.routing, r.category, o.locale))}</td><td>${e(departmentName(o.routing, r.department, o.locale))}</td><td>${e(tr(`status.${r.status}`))}</td><td>${due}</td></tr>`;
}

/** The list part of the inbox: replaced in place by the live refresh. */
export function inboxList(inbox: Inbox, o: InboxPageOptions): string {
  const { tr } = o;
  const alerts = inbox.alerts.length
    ? `<section class="alert" role="alert"><h2>${e(tr('inbox.emergency'))}</h2><ul>${inbox.alerts.map((a) => `<li><a href="/console/cases/${encodeURIComponent(a.trackingNumber)}">${e(a.trackingNumber)}</a> ${e(a.summary.slice(0, 120))}</li>`).join('')}</ul></section>`
    : '';
  const head = ['col.ref', 'col.filed', 'col.summary', 'col.category', 'col.department', 'col.status', 'col.due'].map((k) => `<th scope="col">${e(tr(k))}</th>`).join('');
  const table = inbox.rows.length
    ? tableRegion('cases-caption', `<table class="cases"><caption id="cases-caption">${e(tr('inbox.count', { n: inbox.total }))}</caption><thead><tr>${head}</tr></thead><tbody>${inbox.rows.map((r) => row(r, o)).join('')}</tbody></table>`, true)
    : `<p class="empty">${e(tr('inbox.empty'))}</p>`;
  const more = inbox.total > inbox.rows.length ? `<p>${e(tr('inbox.more', { n: inbox.rows.length }))}</p>` : '';
  return `${alerts}${table}${more}`;
}

export function inboxBody(inbox: Inbox, o: InboxPageOptions): string {
  const { tr } = o;
  const csv = `/console/inbox.csv${o.query ? `?${o.query}` : ''}`;
  return `<h1>${e(tr('inbox.title'))}</h1>${filters(inbox, o)}
<p class="hint">${e(tr('inbox.live'))} ${e(tr('inbox.keys'))} <label class="check" hidden><input type="checkbox" id="shortcuts" checked> ${e(tr('inbox.shortcuts'))}</label> <a href="${e(csv)}" download>${e(tr('inbox.csv'))}</a></p>
<p class="visually-hidden" aria-live="polite" id="live-status" data-text="${e(tr('inbox.updated'))}"></p>
<div id="inbox-list" data-refresh="${e(`/console/inbox-list${o.query ? `?${o.query}` : ''}`)}">${inboxList(inbox, o)}</div>`;
}
