import type { Locale } from '../../src/domain.js';
import type { HubError } from '../../src/errors.js';
import type { RoutingTable } from '../../src/cases/routing-defaults.js';
import { dateFormat, localDate, localDateTime } from '../../src/util/local-date.js';
import { SLACK_TEXTS, ZH_REFUSALS, type TextKey } from './texts.js';

export type Vars = Record<string, string | number>;

/**
 * What officers read in Slack: the office's language (OFFICE_LOCALE) and its dates in its time zone
 * (TIME_ZONE), never the server's or UTC. One per workspace, handed to every card, form and alert.
 */
export class OfficeTexts {
  private readonly texts: Record<string, string>;

  constructor(
    readonly locale: Locale,
    readonly timeZone: string,
  ) {
    this.texts = SLACK_TEXTS[locale];
  }

  t(key: TextKey, vars: Vars = {}): string {
    return this.fill(this.texts[key], vars);
  }

  /** A text named by data (a status, an action, a kind of emergency); `otherwise` (the data itself) when there is none. */
  of(prefix: string, code: string, otherwise = code): string {
    return this.texts[`${prefix}.${code}`] ?? otherwise;
  }

  /** A due date: "2026-03-17" in English, "2026年3月17日" in Chinese. */
  date(at: Date): string {
    const day = localDate(at, this.timeZone);
    if (this.locale === 'en') return day;
    const [y, m, d] = day.split('-').map(Number);
    return `${y}年${m}月${d}日`;
  }

  /** A moment, with the zone said so nobody wonders: "2026-03-17 16:00 (Asia/Shanghai)" / "2026年3月17日 16:00（Asia/Shanghai）". */
  dateTime(at: Date): string {
    if (this.locale === 'en') return localDateTime(at, this.timeZone);
    const time = dateFormat('en-GB', { timeZone: this.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
    return `${this.date(at)} ${time}（${this.timeZone}）`;
  }

  category(table: RoutingTable, code: string): string {
    const c = table.categories[code];
    return c ? (this.locale === 'en' ? c.en : c.zh) : code;
  }

  department(table: RoutingTable, id: string): string {
    const d = table.departments[id];
    return d ? (this.locale === 'en' ? d.en : d.zh) : id;
  }

  list(items: string[]): string {
    return items.join(this.t('list.join'));
  }

  /** Why the hub refused an officer's action, in the office's language where there are words for it. */
  refusal(err: HubError): string {
    return (this.locale === 'zh-CN' ? ZH_REFUSALS[err.code] : undefined) ?? err.message;
  }

  private fill(template: string, vars: Vars): string {
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  }
}
