import type { Locale } from '../../src/domain.js';
import type { RoutingTable } from '../../src/cases/routing-defaults.js';

/** A date and time as the office reads it: its time zone, the officer's language. */
export function when(at: Date, locale: Locale, timeZone: string, withTime = true): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
  }).format(at);
}

export const categoryName = (routing: RoutingTable, code: string, locale: Locale) => {
  const c = routing.categories[code];
  return c ? (locale === 'en' ? c.en : c.zh) : code;
};

export const departmentName = (routing: RoutingTable, id: string, locale: Locale) => {
  const d = routing.departments[id];
  return d ? (locale === 'en' ? d.en : d.zh) : id;
};

/** Whole days from now to `at` (negative: past), rounded towards "more urgent". */
export function daysUntil(at: Date, now: Date): number {
  return Math.floor((at.getTime() - now.getTime()) / 86_400_000);
}

/** Who did it, for the page: a console user name, a Slack user, the petitioner, the hub. */
export function actorName(actor: string): string {
  return actor.replace(/^console:/, '').replace(/^slack:/, 'Slack ');
}
