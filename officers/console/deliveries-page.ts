import type { Locale } from '../../src/domain.js';
import { escapeHtml as e } from '../../src/http/html.js';
import type { DeadLetter } from '../../src/outbox/dead-letters.js';
import { when } from './format.js';
import { csrfField, tableRegion } from './layout.js';
import type { Tr } from './texts.js';

interface DeliveriesOptions {
  tr: Tr;
  locale: Locale;
  timeZone: string;
  csrf: string;
  flash?: { ok: boolean; text: string };
}

/** Admins see the deliveries the outbox gave up on, and retry or drop them (docs/api.md, dead letters). */
export function deliveriesBody(letters: DeadLetter[], o: DeliveriesOptions): string {
  const { tr } = o;
  const flash = o.flash ? `<p class="flash ${o.flash.ok ? 'ok' : 'error'}" role="status">${e(o.flash.text)}</p>` : '';
  const action = (id: string, verb: 'retry' | 'drop') =>
    `<form method="post" action="/console/admin/deliveries/${e(id)}/${verb}" class="inline">${csrfField(o.csrf)}<button type="submit">${e(tr(`deliveries.${verb}`))}<span class="visually-hidden"> ${e(id)}</span></button></form>`;
  const rows = letters.map(
    (l) =>
      `<tr><th scope="row">${e(l.kind)}</th><td><code>${e(l.subject)}</code></td><td>${e(l.reason ?? '')}</td><td>${l.attempts}</td><td>${e(when(new Date(l.deadAt), o.locale, o.timeZone))}</td><td>${action(l.id, 'retry')} ${action(l.id, 'drop')}</td></tr>`,
  );
  const table = letters.length
    ? `${tableRegion('deliveries-caption', `<table><caption id="deliveries-caption">${e(tr('deliveries.title'))}</caption><thead><tr><th scope="col">${e(tr('deliveries.kind'))}</th><th scope="col">${e(tr('deliveries.subject'))}</th><th scope="col">${e(tr('deliveries.reason'))}</th><th scope="col">${e(tr('deliveries.attempts'))}</th><th scope="col">${e(tr('deliveries.deadAt'))}</th><th scope="col"><span class="visually-hidden">${e(tr('deliveries.retry'))}</span></th></tr></thead><tbody>${rows.join('')}</tbody></table>`, true)}
<form method="post" action="/console/admin/deliveries/retry">${csrfField(o.csrf)}<button type="submit">${e(tr('deliveries.retryAll'))}</button></form>`
    : `<p>${e(tr('deliveries.none'))}</p>`;
  return `<h1>${e(tr('deliveries.title'))}</h1>${flash}<p>${e(tr('deliveries.intro'))}</p>${table}`;
}
