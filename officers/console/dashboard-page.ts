import { GROUP_DAYS, type DashboardFigures, type WeekFigures } from '../../src/cases/dashboard.js';
import type { RoutingTable } from '../../src/cases/routing-defaults.js';
import { escapeHtml } from '../../src/http/html.js';
import type { DashboardList } from './csv.js';
import { tableRegion } from './layout.js';
import { categoryName, dashboardText, departmentName, localDateTimeShort, type DashboardLocale } from './dashboard-texts.js';

export interface DashboardPageOptions {
  locale: DashboardLocale;
  routing: RoutingTable;
  timeZone: string;
  now: Date;
}

/**
 * JSON for a <script type="application/json"> block: `<`, `>` and `&` written as \u escapes, so no
 * value (a category label, anything a petitioner wrote) can close the element or open a comment;
 * U+2028/2029 too, for older parsers.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The content of the dashboard's <main>: key figures, weekly volumes (a chart drawn by
 * /console/dashboard.js from the JSON block, and the same numbers as a table), the overdue cases,
 * possible collective petitions and top issues, each list with its CSV download. No inline script
 * or style (the console's CSP allows neither); every value is escaped.
 */
export function dashboardBody(figures: DashboardFigures, options: DashboardPageOptions): string {
  const { locale, routing, timeZone } = options;
  const tx = (key: string, vars?: Record<string, string | number>) => escapeHtml(dashboardText(locale, key, vars));
  const category = (code: string) => categoryName(routing, code, locale);
  const department = (id: string) => departmentName(routing, id, locale);
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const num = (n: number) => escapeHtml(integer.format(n));
  const rate = (r: number | null) => (r === null ? tx('none') : escapeHtml(percent.format(r)));
  const time = (at: Date) => `<time datetime="${escapeHtml(at.toISOString())}">${escapeHtml(localDateTimeShort(at, timeZone))}</time>`;
  const csvLink = (list: DashboardList) =>
    `<p class="download"><a href="/console/dashboard.csv?list=${escapeHtml(encodeURIComponent(list))}" download>${tx('downloadCsvOf', { list: dashboardText(locale, `list.${list}`) })}</a></p>`;
  const weeksShown = figures.weeks.length;

  const figure = (id: string, label: string, value: string, detail: string) =>
    `<div class="figure" id="figure-${id}"><dt>${label}</dt><dd class="value">${value}</dd><dd class="detail">${detail}</dd></div>`;
  const { acceptance, answer } = figures.compliance;
  const figureRow = [
    figure('acceptance', tx('figures.acceptance'), rate(acceptance.rate), tx('figures.ofDue', { due: integer.format(acceptance.due), onTime: integer.format(acceptance.onTime) })),
    figure('answer', tx('figures.answer'), rate(answer.rate), tx('figures.ofDue', { due: integer.format(answer.due), onTime: integer.format(answer.onTime) })),
    figure('overdue', tx('figures.overdue'), num(figures.overdueCount), tx('figures.overdueDetail')),
    figure(
      'satisfaction',
      tx('figures.satisfaction'),
      rate(figures.satisfaction.rate),
      tx('figures.ofRated', { rated: integer.format(figures.satisfaction.rated), satisfied: integer.format(figures.satisfaction.satisfied) }),
    ),
    figure('review', tx('figures.review'), rate(figures.review.rate), tx('figures.ofAnswered', { answered: integer.format(figures.review.answered), reviewed: integer.format(figures.review.reviewed) })),
  ].join('');

  const weeklyTable = (kind: 'categories' | 'departments', keys: string[], name: (k: string) => string, counts: (w: WeekFigures) => Record<string, number>) => {
    const head = `<tr><th scope="col">${tx('weeks.week')}</th>${keys.map((k) => `<th scope="col">${escapeHtml(name(k))}</th>`).join('')}<th scope="col">${tx('weeks.total')}</th></tr>`;
    const rows = figures.weeks
      .map((w) => `<tr><th scope="row"><time datetime="${escapeHtml(w.start)}">${escapeHtml(w.start)}</time></th>${keys.map((k) => `<td>${num(counts(w)[k] ?? 0)}</td>`).join('')}<td>${num(w.total)}</td></tr>`)
      .join('');
    return [
      `<section class="weekly" aria-labelledby="heading-${kind}">`,
      `<h2 id="heading-${kind}">${tx(`weeks.${kind}.heading`)}</h2>`,
      `<div class="chart" id="chart-${kind}" role="img" aria-label="${tx(`weeks.${kind}.chart`, { weeks: weeksShown })}"></div>`,
      tableRegion(`caption-${kind}`, `<table class="data" id="table-${kind}"><caption id="caption-${kind}">${tx(`weeks.${kind}.caption`)}</caption><thead>${head}</thead><tbody>${rows}</tbody></table>`, false),
      kind === 'categories' ? csvLink('weeks') : '',
      '</section>',
    ].join('');
  };

  const table = (id: string, caption: string, columns: string[], rows: string[], hasLinks = false) =>
    tableRegion(`caption-${id}`, `<table class="data" id="table-${id}"><caption id="caption-${id}">${caption}</caption><thead><tr>${columns.map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`, hasLinks);

  const overdueRows = figures.overdue.map(
    (o) =>
      `<tr${o.urgency === 'emergency' ? ' class="emergency"' : ''}><th scope="row"><a href="/console/cases/${escapeHtml(encodeURIComponent(o.trackingNumber))}">${escapeHtml(o.trackingNumber)}</a></th>` +
      `<td>${escapeHtml(category(o.category))}</td><td>${escapeHtml(department(o.department))}</td><td>${tx(`status.${o.status}`)}</td>` +
      `<td>${tx(`deadline.${o.deadline}`)}</td><td>${time(o.dueAt)}</td><td>${num(o.daysOver)}</td><td>${tx(`urgency.${o.urgency}`)}</td></tr>`,
  );
  const overdue = [
    '<section class="overdue" aria-labelledby="heading-overdue">',
    `<h2 id="heading-overdue">${tx('overdue.heading')}</h2>`,
    figures.overdue.length
      ? table(
          'overdue',
          tx('overdue.caption'),
          ['overdue.trackingNumber', 'overdue.category', 'overdue.department', 'overdue.status', 'overdue.deadline', 'overdue.dueAt', 'overdue.daysOver', 'overdue.urgency'].map((k) => tx(k)),
          overdueRows,
          true,
        )
      : `<p class="empty">${tx('overdue.empty')}</p>`,
    figures.overdueCount > figures.overdue.length ? `<p class="note">${tx('overdue.truncated', { shown: integer.format(figures.overdue.length), total: integer.format(figures.overdueCount) })}</p>` : '',
    csvLink('overdue'),
    '</section>',
  ].join('');

  const groups = [
    '<section class="groups" aria-labelledby="heading-groups">',
    `<h2 id="heading-groups">${tx('groups.heading')}</h2>`,
    figures.groups.length
      ? table(
          'groups',
          tx('groups.caption', { days: GROUP_DAYS }),
          ['groups.category', 'groups.size', 'groups.firstCase', 'groups.latestCase'].map((k) => tx(k)),
          figures.groups.map((g) => `<tr><th scope="row">${escapeHtml(category(g.category))}</th><td>${num(g.size)}</td><td>${time(g.firstCaseAt)}</td><td>${time(g.latestCaseAt)}</td></tr>`),
        )
      : `<p class="empty">${tx('groups.empty', { days: GROUP_DAYS })}</p>`,
    csvLink('groups'),
    '</section>',
  ].join('');

  const signed = (n: number) => (n > 0 ? `+${integer.format(n)}` : integer.format(n));
  const top = [
    '<section class="top-issues" aria-labelledby="heading-top">',
    `<h2 id="heading-top">${tx('top.heading')}</h2>`,
    figures.topIssues.length
      ? table(
          'top',
          tx('top.caption'),
          ['top.category', 'top.count', 'top.previous', 'top.change'].map((k) => tx(k)),
          figures.topIssues.map((t) => `<tr><th scope="row">${escapeHtml(category(t.category))}</th><td>${num(t.count)}</td><td>${num(t.previous)}</td><td>${escapeHtml(signed(t.count - t.previous))}</td></tr>`),
        )
      : `<p class="empty">${tx('top.empty')}</p>`,
    csvLink('top'),
    '</section>',
  ].join('');

  // What dashboard.js draws: labels included, so the charts speak the page's language.
  const chart = (keys: string[], name: (k: string) => string, counts: (w: WeekFigures) => Record<string, number>) => ({
    series: keys.map((k) => ({ key: k, name: name(k), data: figures.weeks.map((w) => counts(w)[k] ?? 0) })),
  });
  const data = {
    locale,
    weeks: figures.weeks.map((w) => w.start),
    totals: figures.weeks.map((w) => w.total),
    labels: { week: dashboardText(locale, 'weeks.week'), total: dashboardText(locale, 'weeks.total') },
    charts: {
      categories: chart(figures.categories, category, (w) => w.byCategory),
      departments: chart(figures.departments, department, (w) => w.byDepartment),
    },
  };

  const restricted = figures.departmentFilter
    ? `<p class="scope">${tx('restricted', { departments: figures.departmentFilter.map(department).join(locale === 'en' ? ', ' : '、') || dashboardText(locale, 'none') })}</p>`
    : '';
  return [
    `<h1>${tx('title')}</h1>`,
    `<p class="as-of">${tx('asOf', { time: `${localDateTimeShort(options.now, timeZone)} (${timeZone})`, from: figures.period.fromDate })}</p>`,
    restricted,
    `<section class="key-figures" aria-labelledby="heading-figures"><h2 id="heading-figures">${tx('figures.heading')}</h2><dl class="figures">${figureRow}</dl></section>`,
    weeklyTable('categories', figures.categories, category, (w) => w.byCategory),
    weeklyTable('departments', figures.departments, department, (w) => w.byDepartment),
    overdue,
    groups,
    top,
    `<script type="application/json" id="dashboard-data">${scriptJson(data)}</script>`,
  ].join('\n');
}
