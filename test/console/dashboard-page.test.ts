import { describe, expect, it } from 'vitest';
import { dashboardBody, scriptJson } from '../../officers/console/dashboard-page.js';
import { dashboardCsv, toCsv } from '../../officers/console/csv.js';
import { DASHBOARD_TEXTS } from '../../officers/console/dashboard-texts.js';
import type { DashboardFigures } from '../../src/cases/dashboard.js';
import { DEFAULT_ROUTING, type RoutingTable } from '../../src/cases/routing-defaults.js';
import { HubError } from '../../src/errors.js';

const NOW = new Date('2026-03-18T04:00:00Z');
const TZ = 'Asia/Shanghai';
const HOSTILE = '</script><img src=x onerror=alert(1)>';

/** The default taxonomy plus a category and a department whose labels try to break out of the page. */
const ROUTING: RoutingTable = {
  categories: { ...DEFAULT_ROUTING.categories, evil: { department: 'evil_dept', zh: `恶意${HOSTILE}`, en: `Evil ${HOSTILE}` } },
  departments: { ...DEFAULT_ROUTING.departments, evil_dept: { zh: `坏部门${HOSTILE}`, en: `Bad "dept" ${HOSTILE}` } },
};

function figures(): DashboardFigures {
  const categories = ['environment', 'transport', 'evil'];
  const departments = ['ecology_environment', 'transport', 'evil_dept'];
  return {
    now: NOW,
    timeZone: TZ,
    departmentFilter: null,
    period: { from: new Date('2026-03-01T16:00:00Z'), fromDate: '2026-03-02' },
    categories,
    departments,
    weeks: [
      { start: '2026-03-02', byCategory: { environment: 17, transport: 4, evil: 0 }, byDepartment: { ecology_environment: 17, transport: 4, evil_dept: 0 }, total: 21 },
      { start: '2026-03-09', byCategory: { environment: 3, transport: 29, evil: 1 }, byDepartment: { ecology_environment: 3, transport: 29, evil_dept: 1 }, total: 33 },
    ],
    compliance: { acceptance: { due: 8, onTime: 6, late: 2, rate: 0.75 }, answer: { due: 3, onTime: 1, late: 2, rate: 0.3333 } },
    overdue: [
      { trackingNumber: `XF/1 ${HOSTILE}`, category: 'evil', department: 'evil_dept', status: 'submitted', deadline: 'acceptance', dueAt: new Date('2026-03-10T16:30:00Z'), daysOver: 8, urgency: 'emergency' },
      { trackingNumber: 'XF20260309-0042', category: 'environment', department: 'ecology_environment', status: 'in_progress', deadline: 'answer', dueAt: new Date('2026-03-16T03:00:00Z'), daysOver: 3, urgency: 'normal' },
    ],
    overdueCount: 502,
    satisfaction: { rated: 3, satisfied: 2, rate: 0.6667 },
    review: { answered: 4, reviewed: 1, rate: 0.25 },
    groups: [
      { id: 'g1', category: 'environment', size: 13, firstCaseAt: new Date('2026-03-13T01:00:00Z'), latestCaseAt: new Date('2026-03-14T00:00:00Z'), createdAt: new Date('2026-03-13T09:00:00Z') },
    ],
    topIssues: [
      { category: 'transport', count: 31, previous: 7 },
      { category: 'evil', count: 2, previous: 5 },
    ],
  };
}

const body = (locale: 'zh-CN' | 'en', f = figures()) => dashboardBody(f, { locale, routing: ROUTING, timeZone: TZ, now: NOW });

/** The rows of the table with this id, as the text of their cells (markup removed, entities decoded). */
function tableRows(html: string, id: string): string[][] {
  const table = html.match(new RegExp(`<table[^>]*id="${id}"[\\s\\S]*?</table>`))?.[0];
  if (!table) throw new Error(`no table ${id}`);
  const text = (cell: string) =>
    cell.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => text(c[1])));
}

function jsonBlock(html: string): unknown {
  const m = html.match(/<script type="application\/json" id="dashboard-data">([\s\S]*?)<\/script>/);
  if (!m) throw new Error('no data block');
  return JSON.parse(m[1]);
}

describe('dashboard texts', () => {
  it('has the same labels in both languages, none empty', () => {
    expect(Object.keys(DASHBOARD_TEXTS['zh-CN']).sort()).toEqual(Object.keys(DASHBOARD_TEXTS.en).sort());
    for (const texts of Object.values(DASHBOARD_TEXTS)) for (const value of Object.values(texts)) expect(value.trim()).not.toBe('');
  });
});

describe('dashboard page body', () => {
  it('labels everything in the officer\'s language, names from the routing table', () => {
    const zh = body('zh-CN');
    expect(zh).toContain('<h1>工作概览</h1>');
    expect(zh).toContain('按期受理率');
    expect(zh).toContain('环境保护');
    expect(zh).toContain('生态环境局');
    expect(zh).toContain('待受理');
    expect(zh).not.toContain('Environmental protection');
    const en = body('en');
    expect(en).toContain('<h1>Dashboard</h1>');
    expect(en).toContain('Accepted on time');
    expect(en).toContain('Environmental protection');
    expect(en).toContain('Ecology and Environment Bureau');
    expect(en).not.toContain('环境保护');
    expect(en).not.toContain('按期受理率');
  });

  it('shows the key figures', () => {
    const en = body('en');
    expect(en).toMatch(/id="figure-acceptance"><dt>Accepted on time<\/dt><dd class="value">75%<\/dd><dd class="detail">6 of 8 due<\/dd>/);
    expect(en).toMatch(/id="figure-answer">.*?<dd class="value">33\.3%<\/dd>/);
    expect(en).toMatch(/id="figure-overdue">.*?<dd class="value">502<\/dd>/);
    expect(en).toMatch(/id="figure-satisfaction">.*?<dd class="value">66\.7%<\/dd>/);
    expect(en).toMatch(/id="figure-review">.*?<dd class="value">25%<\/dd>/);
    const none = figures();
    none.review = { answered: 0, reviewed: 0, rate: null };
    expect(body('en', none)).toMatch(/id="figure-review">.*?<dd class="value">—<\/dd>/);
  });

  it('has two chart containers, each followed by a table with the same numbers', () => {
    const html = body('en');
    expect(html).toContain('<div class="chart" id="chart-categories" role="img" aria-label="Stacked bar chart of the cases filed in each of the last 2 weeks, by category.');
    expect(html).toContain('<div class="chart" id="chart-departments" role="img" aria-label="');
    expect(html.indexOf('id="chart-categories"')).toBeLessThan(html.indexOf('id="table-categories"'));
    expect(html.indexOf('id="chart-departments"')).toBeLessThan(html.indexOf('id="table-departments"'));
    // The table scrolls sideways inside its own region on a narrow screen: named by the caption, and
    // focusable (it has no link to take the focus), so a keyboard can scroll it.
    expect(html).toMatch(/<div class="table-wrap" role="region" aria-labelledby="caption-categories" tabindex="0"><table class="data" id="table-categories"><caption id="caption-categories">[^<]+<\/caption>/);
    expect(html).toContain('<th scope="col">Week starting</th>');
    expect(html).toMatch(/<th scope="row"><time datetime="2026-03-09">2026-03-09<\/time><\/th>/);
    expect(tableRows(html, 'table-categories')).toEqual([
      ['Week starting', 'Environmental protection', 'Transport', `Evil ${HOSTILE}`, 'Total'],
      ['2026-03-02', '17', '4', '0', '21'],
      ['2026-03-09', '3', '29', '1', '33'],
    ]);
    expect(tableRows(html, 'table-departments')).toEqual([
      ['Week starting', 'Ecology and Environment Bureau', 'Transport Bureau', `Bad "dept" ${HOSTILE}`, 'Total'],
      ['2026-03-02', '17', '4', '0', '21'],
      ['2026-03-09', '3', '29', '1', '33'],
    ]);
    // The chart data: the same numbers, labels in the page's language.
    expect(jsonBlock(html)).toEqual({
      locale: 'en',
      weeks: ['2026-03-02', '2026-03-09'],
      totals: [21, 33],
      labels: { week: 'Week starting', total: 'Total' },
      charts: {
        categories: {
          series: [
            { key: 'environment', name: 'Environmental protection', data: [17, 3] },
            { key: 'transport', name: 'Transport', data: [4, 29] },
            { key: 'evil', name: `Evil ${HOSTILE}`, data: [0, 1] },
          ],
        },
        departments: {
          series: [
            { key: 'ecology_environment', name: 'Ecology and Environment Bureau', data: [17, 3] },
            { key: 'transport', name: 'Transport Bureau', data: [4, 29] },
            { key: 'evil_dept', name: `Bad "dept" ${HOSTILE}`, data: [0, 1] },
          ],
        },
      },
    });
    expect((jsonBlock(body('zh-CN')) as { charts: { categories: { series: { name: string }[] } } }).charts.categories.series[0].name).toBe('环境保护');
  });

  it('lists the overdue cases with links, local due dates and days over', () => {
    const html = body('zh-CN');
    expect(tableRows(html, 'table-overdue')).toEqual([
      ['信访编号', '类别', '承办部门', '状态', '超过的期限', '期限', '超期天数', '紧急程度'],
      [`XF/1 ${HOSTILE}`, `恶意${HOSTILE}`, `坏部门${HOSTILE}`, '待受理', '受理期限', '2026-03-11 00:30', '8', '紧急'],
      ['XF20260309-0042', '环境保护', '生态环境局', '办理中', '答复期限', '2026-03-16 11:00', '3', '一般'],
    ]);
    expect(html).toContain('<a href="/console/cases/XF20260309-0042">XF20260309-0042</a>');
    expect(html).toContain(`<a href="/console/cases/${encodeURIComponent(`XF/1 ${HOSTILE}`)}">`);
    expect(html).toContain('<time datetime="2026-03-16T03:00:00.000Z">2026-03-16 11:00</time>');
    expect(html).toContain('共 502 件，列出超期最久的 2 件。');
    expect(html).toContain('<tr class="emergency">');
  });

  it('lists groups and top issues, with a CSV link per list', () => {
    const html = body('en');
    expect(tableRows(html, 'table-groups')).toEqual([
      ['Category', 'Cases', 'First case', 'Latest case'],
      ['Environmental protection', '13', '2026-03-13 09:00', '2026-03-14 08:00'],
    ]);
    expect(tableRows(html, 'table-top')).toEqual([
      ['Category', 'Last 7 days', '7 days before', 'Change'],
      ['Transport', '31', '7', '+24'],
      [`Evil ${HOSTILE}`, '2', '5', '-3'],
    ]);
    for (const list of ['overdue', 'weeks', 'groups', 'top']) expect(html).toContain(`href="/console/dashboard.csv?list=${list}"`);
    expect(html.match(/Download CSV/g)).toHaveLength(4);
  });

  it('says so when a list is empty', () => {
    const f = figures();
    f.overdue = [];
    f.overdueCount = 0;
    f.groups = [];
    f.topIssues = [];
    const html = body('en', f);
    expect(html).toContain('No case is overdue.');
    expect(html).toContain('No group was noticed in the last 14 days.');
    expect(html).not.toContain('id="table-overdue"');
  });

  it('escapes every value: a hostile label or tracking number never becomes markup', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const html = body(locale);
      expect(html).not.toContain('<img');
      expect(html).not.toMatch(/<[^>]* onerror=/);
      // One script element, the data block; nothing in it closes it early.
      expect(html.match(/<script/g)).toHaveLength(1);
      expect(html.match(/<\/script>/g)).toHaveLength(1);
      const block = html.match(/<script type="application\/json" id="dashboard-data">([\s\S]*?)<\/script>/)?.[1] ?? '';
      expect(block).not.toMatch(/[<>]/);
      expect(block).toContain('\\u003c/script\\u003e\\u003cimg');
      expect(html).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
      // Strict CSP: no style attributes and no event handler attributes in any real tag (text has no `<`).
      const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
      expect(tags.length).toBeGreaterThan(50);
      for (const tag of tags) expect(tag).not.toMatch(/\s(style|on\w+)=/i);
    }
  });

  it('writes JSON that no string can close or comment out', () => {
    const json = scriptJson({ a: '</script><!-- & \u2028' });
    expect(json).toBe('{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028"}');
    expect(JSON.parse(json)).toEqual({ a: '</script><!-- & \u2028' });
  });
});

describe('CSV', () => {
  it('starts with a byte order mark, ends records with CRLF and quotes as RFC 4180 says', () => {
    const csv = toCsv(['名称', 'n'], [['plain', 1], ['a,b', 2], ['say "hi"', 3], ['two\nlines', null], [undefined, 0]]);
    expect(csv.startsWith('\uFEFF名称,n\r\n')).toBe(true);
    expect(csv).toBe('\uFEFF名称,n\r\nplain,1\r\n"a,b",2\r\n"say ""hi""",3\r\n"two\nlines",\r\n,0\r\n');
    expect(csv.slice(1).split('\r\n')).toHaveLength(7);
  });

  it('neutralises spreadsheet formulas with a leading apostrophe', () => {
    const csv = toCsv(['x'], [['=HYPERLINK("http://evil")'], ['+1'], ['-2+3'], ['@SUM(A1)'], ['\tcmd'], ['\r=1'], ['a=b'], [-5]]);
    expect(csv.slice(1).split('\r\n').slice(1, -1)).toEqual([`"'=HYPERLINK(""http://evil"")"`, "'+1", "'-2+3", "'@SUM(A1)", "'\tcmd", `"'\r=1"`, 'a=b', '-5']);
  });

  it('exports each dashboard list in the officer\'s language', () => {
    const f = figures();
    const overdue = dashboardCsv(f, 'overdue', 'zh-CN', ROUTING);
    expect(overdue.filename).toBe('dashboard-overdue-2026-03-18.csv');
    const lines = overdue.body.slice(1).split('\r\n');
    expect(lines[0]).toBe('信访编号,类别,承办部门,状态,超过的期限,期限,超期天数,紧急程度');
    expect(lines[2]).toBe('XF20260309-0042,环境保护,生态环境局,办理中,答复期限,2026-03-16 11:00,3,一般');
    const weeks = dashboardCsv(f, 'weeks', 'en', ROUTING).body.slice(1).split('\r\n');
    expect(weeks[0]).toBe(`Week starting,Category: Environmental protection,Category: Transport,Category: Evil ${HOSTILE},Department: Ecology and Environment Bureau,Department: Transport Bureau,"Department: Bad ""dept"" ${HOSTILE}",Total`);
    expect(weeks[1]).toBe('2026-03-02,17,4,0,17,4,0,21');
    expect(dashboardCsv(f, 'groups', 'en', ROUTING).body).toContain('\r\nEnvironmental protection,13,2026-03-13 09:00,2026-03-14 08:00,2026-03-13 17:00,g1\r\n');
    expect(dashboardCsv(f, 'top', 'en', ROUTING).body).toBe(`\uFEFFCategory,Last 7 days,7 days before,Change\r\nTransport,31,7,24\r\nEvil ${HOSTILE},2,5,-3\r\n`);
  });

  it('refuses an unknown list', () => {
    expect(() => dashboardCsv(figures(), 'secrets' as 'top', 'en', ROUTING)).toThrow(HubError);
    try {
      dashboardCsv(figures(), 'secrets' as 'top', 'en', ROUTING);
    } catch (e) {
      expect((e as HubError).code).toBe('bad_request');
      expect((e as HubError).status).toBe(400);
    }
  });
});
