import { HubError } from '../../src/errors.js';
import type { DashboardFigures } from '../../src/cases/dashboard.js';
import { GROUP_DAYS } from '../../src/cases/dashboard.js';
import type { RoutingTable } from '../../src/cases/routing-defaults.js';
import { localDate } from '../../src/util/local-date.js';
import { categoryName, dashboardText, departmentName, localDateTimeShort, type DashboardLocale } from './dashboard-texts.js';

export type CsvCell = string | number | null | undefined;

/** The lists the dashboard offers as CSV (GET /console/dashboard.csv?list=…). */
export const DASHBOARD_LISTS = ['overdue', 'weeks', 'groups', 'top'] as const;
export type DashboardList = (typeof DASHBOARD_LISTS)[number];

export function isDashboardList(value: unknown): value is DashboardList {
  return typeof value === 'string' && (DASHBOARD_LISTS as readonly string[]).includes(value);
}

/**
 * A text that a spreadsheet would take for a formula (= + - @, or a tab or carriage return before
 * one) gets a leading apostrophe, so it is shown as text and never evaluated. Numbers are numbers.
 */
function neutralised(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function cell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : neutralised(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * RFC 4180 CSV: fields with a comma, a quote or a line break are quoted (quotes doubled), records end
 * with CRLF. Starts with a UTF-8 byte order mark so that Excel reads Chinese as UTF-8.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const line = (cells: readonly CsvCell[]) => `${cells.map(cell).join(',')}\r\n`;
  return `\uFEFF${line(header)}${rows.map(line).join('')}`;
}

/** One of the dashboard's lists as a CSV file, labelled in the locale's language. */
export function dashboardCsv(
  figures: DashboardFigures,
  list: DashboardList,
  locale: DashboardLocale,
  routing: RoutingTable,
): { filename: string; body: string } {
  if (!isDashboardList(list)) throw new HubError('bad_request', `list must be one of ${DASHBOARD_LISTS.join(', ')}`);
  const tx = (key: string, vars?: Record<string, string | number>) => dashboardText(locale, key, vars);
  const category = (code: string) => categoryName(routing, code, locale);
  const department = (id: string) => departmentName(routing, id, locale);
  const when = (at: Date) => localDateTimeShort(at, figures.timeZone);
  const filename = `dashboard-${list}-${localDate(figures.now, figures.timeZone)}.csv`;
  switch (list) {
    case 'overdue':
      return {
        filename,
        body: toCsv(
          ['overdue.trackingNumber', 'overdue.category', 'overdue.department', 'overdue.status', 'overdue.deadline', 'overdue.dueAt', 'overdue.daysOver', 'overdue.urgency'].map((k) => tx(k)),
          figures.overdue.map((o) => [
            o.trackingNumber,
            category(o.category),
            department(o.department),
            tx(`status.${o.status}`),
            tx(`deadline.${o.deadline}`),
            when(o.dueAt),
            o.daysOver,
            tx(`urgency.${o.urgency}`),
          ]),
        ),
      };
    case 'weeks':
      return {
        filename,
        body: toCsv(
          [
            tx('weeks.week'),
            ...figures.categories.map((c) => tx('weeks.categoryColumn', { name: category(c) })),
            ...figures.departments.map((d) => tx('weeks.departmentColumn', { name: department(d) })),
            tx('weeks.total'),
          ],
          figures.weeks.map((w) => [w.start, ...figures.categories.map((c) => w.byCategory[c] ?? 0), ...figures.departments.map((d) => w.byDepartment[d] ?? 0), w.total]),
        ),
      };
    case 'groups':
      return {
        filename,
        body: toCsv(
          ['groups.category', 'groups.size', 'groups.firstCase', 'groups.latestCase', 'groups.noticed', 'groups.id'].map((k) => tx(k, { days: GROUP_DAYS })),
          figures.groups.map((g) => [category(g.category), g.size, when(g.firstCaseAt), when(g.latestCaseAt), when(g.createdAt), g.id]),
        ),
      };
    case 'top':
      return {
        filename,
        body: toCsv(
          ['top.category', 'top.count', 'top.previous', 'top.change'].map((k) => tx(k)),
          figures.topIssues.map((t) => [category(t.category), t.count, t.previous, t.count - t.previous]),
        ),
      };
  }
}
