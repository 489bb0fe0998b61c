import type { Details, Locale } from '../../src/domain.js';
import { SLOTS } from '../../src/domain.js';
import type { RoutingTable } from '../../src/cases/routing-defaults.js';
import type { CasePage } from '../../src/cases/officer-cases.js';
import { routingReasons } from '../../src/cases/routing-reasons.js';
import { redact } from '../../src/cases/redaction.js';
import { canApply, OFFICER_ACTIONS, TRANSITIONS, type OfficerAction } from '../../src/cases/status-machine.js';
import { t } from '../../src/i18n.js';
import { escapeHtml as e } from '../../src/http/html.js';
import { csrfField } from './layout.js';
import { actorName, categoryName, daysUntil, departmentName, when } from './format.js';
import type { Tr } from './texts.js';
import { markedText, materialSection } from './material.js';

interface CasePageOptions {
  locale: Locale;
  tr: Tr;
  routing: RoutingTable;
  timeZone: string;
  csrf: string;
  now: Date;
  extensionMaxDays: number;
  /** Departments this case may not go to (its own, those the complaint is about). */
  excludedDepartments: readonly string[];
  flash?: { ok: boolean; text: string };
  /** The senders' names of the case's attachments, given only while the personal data is revealed. */
  attachmentNames?: ReadonlyMap<string, string>;
}

const ref = (p: CasePage) => encodeURIComponent(p.view.trackingNumber);

function deadline(label: string, due: Date, done: boolean, o: CasePageOptions): string {
  const days = daysUntil(due, o.now);
  const state = done ? o.tr('case.met') : days < 0 ? o.tr('case.over', { days: -days }) : o.tr('case.left', { days });
  return `<li>${e(label)}: <time datetime="${due.toISOString()}">${e(when(due, o.locale, o.timeZone))}</time> <span class="${!done && days < 0 ? 'overdue' : ''}">(${e(state)})</span></li>`;
}

function routingSection(p: CasePage, o: CasePageOptions): string {
  if (!p.view.routing) return '';
  const show = (w: string) => p.revealed || redact(w, p.view.details) === w;
  const r = routingReasons(p.view.routing, (code) => categoryName(o.routing, code, o.locale), (label) => (o.locale === 'en' ? `${label} vocabulary` : `${label}用语`), show);
  const top = r.top.map((x) => `${e(x.label)} ${x.percent} %`).join(' · ');
  const also = r.secondary ? `<p>${e(o.tr('case.alsoAbout'))}: ${e(r.secondary.label)} (${r.secondary.percent} %)</p>` : '';
  const words = r.words.length ? `<p>${e(o.tr('case.words'))}: ${e(r.words.join(' · '))}</p>` : '';
  return `<section aria-labelledby="routing"><h2 id="routing">${e(o.tr('case.routing'))}</h2><p>${top}</p>${also}${words}</section>`;
}

/** One form per action the case's status allows now, each with only the fields that action needs. */
function actionForms(p: CasePage, o: CasePageOptions): string {
  const { tr } = o;
  const allowed = OFFICER_ACTIONS.filter((a) => canApply(a, p.view.status) && (a !== 'acknowledge' || (p.view.urgency === 'emergency' && !p.view.emergency?.acknowledged)));
  const departments = Object.entries(o.routing.departments).filter(([id]) => !o.excludedDepartments.includes(id));
  const categories = Object.keys(o.routing.categories);
  const form = (a: OfficerAction) => {
    const fields: string[] = [];
    if (a === 'transfer') {
      fields.push(`<label>${e(tr('case.department'))} <select name="department" required>${departments.map(([id]) => `<option value="${e(id)}">${e(departmentName(o.routing, id, o.locale))}</option>`).join('')}</select></label>`);
    }
    if (a === 'transfer' || a === 'categorise') {
      const none = a === 'transfer' ? `<option value="">—</option>` : '';
      fields.push(`<label>${e(tr('case.rightCategory'))} <select name="category"${a === 'categorise' ? ' required' : ''}>${none}${categories.map((c) => `<option value="${e(c)}">${e(categoryName(o.routing, c, o.locale))}</option>`).join('')}</select></label>`);
    }
    if (a === 'extend') fields.push(`<label>${e(tr('case.days'))} <input type="number" name="days" min="1" max="${o.extensionMaxDays}" required></label>`);
    if (TRANSITIONS[a].needsText) {
      const help = a === 'note' ? '' : `<small>${e(tr('case.textHelp'))}</small>`;
      fields.push(`<label>${e(tr('case.text'))} <textarea name="text" rows="3" maxlength="3000" required></textarea></label>${help}`);
    }
    const button = `<button type="submit" name="action" value="${a}">${e(tr(`action.${a}`))}</button>`;
    const body = `<form method="post" action="/console/cases/${ref(p)}/actions">${csrfField(o.csrf)}${fields.join('')}${button}</form>`;
    // Actions that need words open in place (details/summary works without a script and with a keyboard).
    return fields.length ? `<details class="action"><summary>${e(tr(`action.${a}`))}</summary>${body}</details>` : `<div class="action">${body}</div>`;
  };
  const live = p.liveAgent
    ? `<p>${e(tr('case.liveHeld', { who: actorName(p.liveAgent) }))}</p><form method="post" action="/console/cases/${ref(p)}/live">${csrfField(o.csrf)}<input type="hidden" name="take" value="0"><button type="submit">${e(tr('case.handBack'))}</button></form>`
    : `<form method="post" action="/console/cases/${ref(p)}/live">${csrfField(o.csrf)}<input type="hidden" name="take" value="1"><button type="submit">${e(tr('case.take'))}</button></form>`;
  return `<section aria-labelledby="actions" class="actions"><h2 id="actions">${e(tr('case.actions'))}</h2>${allowed.map(form).join('')}<h3>${e(tr('case.live'))}</h3>${live}</section>`;
}

export function caseBody(p: CasePage, o: CasePageOptions): string {
  const { tr, locale } = o;
  const v = p.view;
  const details: Details = v.details;
  const show = (text: string) => (p.revealed ? text : redact(text, details));
  const material = { tr, locale, timeZone: o.timeZone, names: p.revealed ? o.attachmentNames : undefined };
  // What the petitioner wrote, with the marks of the attachments it carried as links to them.
  const said = (text: string) => markedText(text, v.attachments, show, material);
  const slotRows = SLOTS.filter((s) => details[s]).map((s) => `<tr><th scope="row">${e(t(locale, `slot.${s}`))}</th><td>${e(show(details[s] as string))}</td></tr>`);
  const masking = p.revealed
    ? `<p class="notice">${e(tr('case.revealed'))}</p>`
    : `<form method="post" action="/console/cases/${ref(p)}/reveal" class="notice">${csrfField(o.csrf)}<span>${e(tr('case.masked'))}</span> <button type="submit">${e(tr('case.reveal'))}</button></form>`;
  const transcript = v.transcript.map((m) => [Date.parse(m.createdAt), `<li class="msg ${e(m.role)}"><span class="who">${e(tr(`role.${m.role}`))}</span> <time datetime="${e(m.createdAt)}">${e(when(new Date(m.createdAt), locale, o.timeZone))}</time><p>${m.role === 'petitioner' ? said(m.text) : e(show(m.text))}</p></li>`] as const);
  const events = p.events.map((ev) => {
    const label = OFFICER_ACTIONS.includes(ev.type as OfficerAction) ? tr(`action.${ev.type}`) : tr(`event.${ev.type}`);
    const text = ev.text ? `<p>${ev.actor === 'petitioner' ? said(ev.text) : e(show(ev.text))}</p>` : '';
    const moved = ev.toStatus && ev.toStatus !== ev.fromStatus ? ` → ${e(tr(`status.${ev.toStatus}`))}` : '';
    const who = ev.actor === 'petitioner' ? tr('role.petitioner') : actorName(ev.actor);
    return [ev.createdAt.getTime(), `<li class="event ${e(ev.type)}"><time datetime="${ev.createdAt.toISOString()}">${e(when(ev.createdAt, locale, o.timeZone))}</time> <b>${e(label)}</b>${moved} · ${e(who)}${text}</li>`] as const;
  });
  // One timeline: what was said and what was done, in the order it happened.
  const timeline = [...transcript, ...events].sort((a, b) => a[0] - b[0]).map(([, html]) => html);
  const answered = p.answeredAt !== null;
  const deadlines = [deadline(tr('case.acceptBy'), new Date(v.acceptanceDueAt), v.status !== 'submitted', o), deadline(tr('case.answerBy'), new Date(v.resolutionDueAt), answered, o)];
  const group = v.group ? `<section><h2>${e(tr('case.group'))} (${v.group.size})</h2><ul>${v.group.trackingNumbers.filter((n) => n !== v.trackingNumber).map((n) => `<li><a href="/console/cases/${encodeURIComponent(n)}">${e(n)}</a></li>`).join('')}</ul></section>` : '';
  const related = p.related.length ? `<section><h2>${e(tr('case.related'))}</h2><ul>${p.related.map((r) => `<li><a href="/console/cases/${encodeURIComponent(r.trackingNumber)}">${e(r.trackingNumber)}</a> ${e(tr(`status.${r.status}`))}</li>`).join('')}</ul></section>` : '';
  const flash = o.flash ? `<p class="flash ${o.flash.ok ? 'ok' : 'error'}" role="status">${e(o.flash.text)}</p>` : '';
  const badges = `${e(tr(`status.${v.status}`))} · ${e(categoryName(o.routing, v.category, locale))} · ${e(departmentName(o.routing, v.department, locale))} · ${e(tr(`urgency.${v.urgency}`))} · ${e(v.channel)}`;
  return `<p><a href="/console">${e(tr('case.back'))}</a></p>${flash}
<h1>${e(v.trackingNumber)}</h1><p class="meta">${badges} · ${e(tr('case.assignee'))}: ${e(p.assignee ? actorName(p.assignee) : tr('case.none'))}</p>
${masking}
<div class="case-grid"><div>
<section aria-labelledby="petition"><h2 id="petition">${e(tr('case.petition'))}</h2><p class="summary">${e(show(v.summary))}</p></section>
<section aria-labelledby="details"><h2 id="details">${e(tr('case.details'))}</h2><table class="details">${slotRows.join('')}</table></section>
${materialSection(v.attachments, material)}
<section aria-labelledby="deadlines"><h2 id="deadlines">${e(tr('case.deadlines'))}</h2><ul>${deadlines.join('')}</ul></section>
${routingSection(p, o)}${group}${related}
<section aria-labelledby="timeline"><h2 id="timeline">${e(tr('case.timeline'))}</h2><ol class="timeline">${timeline.join('')}</ol></section>
</div>${actionForms(p, o)}</div>`;
}
