import { readFileSync } from 'node:fs';
import type { Locale } from './domain.js';
import { LOCALES } from './domain.js';
import { dateFormat, localDate } from './util/local-date.js';
import { projectPath } from './util/project-root.js';

type Catalogue = Record<string, string[]>;

function load(locale: Locale): Catalogue {
  const file = projectPath('intents', 'responses', `${locale}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as Catalogue;
}

const catalogues = Object.fromEntries(LOCALES.map((l) => [l, load(l)])) as Record<Locale, Catalogue>;

export type Vars = Record<string, string | number>;

/**
 * Response text for a key. `variant` picks among alternatives so repeated prompts do not read as
 * the same canned line; it is deterministic so transcripts are reproducible.
 */
export function t(locale: Locale, key: string, vars: Vars = {}, variant = 0): string {
  const options = catalogues[locale][key];
  if (!options || options.length === 0) throw new Error(`missing response text ${locale}:${key}`);
  const template = options[Math.abs(variant) % options.length];
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function hasText(locale: Locale, key: string): boolean {
  return Boolean(catalogues[locale][key]?.length);
}

/** A date for petitioners, in the hub's time zone when given (else the process's). */
export function formatDate(date: Date, locale: Locale, timeZone?: string): string {
  const [y, m, d] = timeZone
    ? localDate(date, timeZone).split('-').map(Number)
    : [date.getFullYear(), date.getMonth() + 1, date.getDate()];
  if (locale === 'zh-CN') return `${y}年${m}月${d}日`;
  return dateFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(date);
}

/** "15天" / "15个工作日" / "1 working day". */
export function formatDays(n: number, kind: 'calendar' | 'working', locale: Locale): string {
  return t(locale, `days.${kind}${n === 1 ? '.one' : ''}`, { n });
}
