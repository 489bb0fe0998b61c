import type { RoutingTable } from '../../src/cases/routing-defaults.js';
import { dateFormat, localDate } from '../../src/util/local-date.js';

export type DashboardLocale = 'zh-CN' | 'en';

/**
 * Every label of the supervisors' dashboard (page, chart data and CSV headers), in both console
 * languages; both have the same keys. `{name}` marks a value filled in when the text is used.
 */
const en = {
  title: 'Dashboard',
  asOf: 'Figures as of {time}. Rates, satisfaction and reviews cover the cases filed since {from}.',
  restricted: 'Departments shown: {departments}',
  none: '—',
  noData: 'Nothing to show.',
  downloadCsvOf: 'Download CSV: {list}',

  'figures.heading': 'Key figures',
  'figures.acceptance': 'Accepted on time',
  'figures.answer': 'Answered on time',
  'figures.overdue': 'Overdue now',
  'figures.satisfaction': 'Satisfied',
  'figures.review': 'Reviews requested',
  'figures.ofDue': '{onTime} of {due} due',
  'figures.overdueDetail': 'open cases past their deadline',
  'figures.ofRated': '{satisfied} of {rated} rated',
  'figures.ofAnswered': '{reviewed} of {answered} answered',

  'weeks.categories.heading': 'Cases filed per week, by category',
  'weeks.departments.heading': 'Cases filed per week, by department',
  'weeks.categories.chart': 'Stacked bar chart of the cases filed in each of the last {weeks} weeks, by category. The same figures are in the table below.',
  'weeks.departments.chart': 'Stacked bar chart of the cases filed in each of the last {weeks} weeks, by department. The same figures are in the table below.',
  'weeks.categories.caption': 'Cases filed per week (weeks start on Monday), by category',
  'weeks.departments.caption': 'Cases filed per week (weeks start on Monday), by department',
  'weeks.week': 'Week starting',
  'weeks.total': 'Total',
  'weeks.categoryColumn': 'Category: {name}',
  'weeks.departmentColumn': 'Department: {name}',

  'overdue.heading': 'Overdue cases',
  'overdue.caption': 'Open cases past their deadline, most overdue first',
  'overdue.truncated': 'The {shown} most overdue of {total} are listed.',
  'overdue.empty': 'No case is overdue.',
  'overdue.trackingNumber': 'Tracking number',
  'overdue.category': 'Category',
  'overdue.department': 'Department',
  'overdue.status': 'Status',
  'overdue.deadline': 'Deadline missed',
  'overdue.dueAt': 'Due',
  'overdue.daysOver': 'Days over',
  'overdue.urgency': 'Urgency',
  'deadline.acceptance': 'Acceptance',
  'deadline.answer': 'Answer',

  'groups.heading': 'Possible collective petitions',
  'groups.caption': 'Groups of similar petitions noticed in the last {days} days, largest first',
  'groups.empty': 'No group was noticed in the last {days} days.',
  'groups.category': 'Category',
  'groups.size': 'Cases',
  'groups.firstCase': 'First case',
  'groups.latestCase': 'Latest case',
  'groups.noticed': 'Noticed',
  'groups.id': 'Group',

  'top.heading': 'Top issues this week',
  'top.caption': 'Most frequent categories of the last 7 days, with the 7 days before',
  'top.empty': 'No case was filed in the last 7 days.',
  'top.category': 'Category',
  'top.count': 'Last 7 days',
  'top.previous': '7 days before',
  'top.change': 'Change',

  'list.overdue': 'overdue cases',
  'list.weeks': 'cases per week',
  'list.groups': 'possible collective petitions',
  'list.top': 'top issues',

  'status.submitted': 'Awaiting acceptance',
  'status.accepted': 'Accepted',
  'status.rejected': 'Not accepted',
  'status.in_progress': 'In progress',
  'status.awaiting_petitioner': 'Waiting for the petitioner',
  'status.resolved': 'Resolved',
  'status.closed': 'Closed',
  'status.reopened': 'Under review',

  'urgency.normal': 'Normal',
  'urgency.high': 'High',
  'urgency.emergency': 'Emergency',
} as const;

export type DashboardTextKey = keyof typeof en;

const zh: Record<DashboardTextKey, string> = {
  title: '工作概览',
  asOf: '数据截至 {time}。按期率、满意率和复查率统计 {from} 以来登记的信访件。',
  restricted: '所含部门：{departments}',
  none: '—',
  noData: '暂无数据。',
  downloadCsvOf: '下载 CSV：{list}',

  'figures.heading': '主要指标',
  'figures.acceptance': '按期受理率',
  'figures.answer': '按期答复率',
  'figures.overdue': '当前超期',
  'figures.satisfaction': '满意率',
  'figures.review': '复查率',
  'figures.ofDue': '应办 {due} 件，按期 {onTime} 件',
  'figures.overdueDetail': '未办结且已超过期限的信访件',
  'figures.ofRated': '评价 {rated} 件，满意 {satisfied} 件',
  'figures.ofAnswered': '答复 {answered} 件，申请复查 {reviewed} 件',

  'weeks.categories.heading': '每周登记量（按类别）',
  'weeks.departments.heading': '每周登记量（按部门）',
  'weeks.categories.chart': '堆叠柱状图：最近 {weeks} 周每周登记的信访件数，按类别分。下表列有相同数据。',
  'weeks.departments.chart': '堆叠柱状图：最近 {weeks} 周每周登记的信访件数，按部门分。下表列有相同数据。',
  'weeks.categories.caption': '每周登记的信访件数（每周自星期一起），按类别',
  'weeks.departments.caption': '每周登记的信访件数（每周自星期一起），按部门',
  'weeks.week': '周起始日',
  'weeks.total': '合计',
  'weeks.categoryColumn': '类别：{name}',
  'weeks.departmentColumn': '部门：{name}',

  'overdue.heading': '超期信访件',
  'overdue.caption': '未办结且已超过期限的信访件，超期最久的在前',
  'overdue.truncated': '共 {total} 件，列出超期最久的 {shown} 件。',
  'overdue.empty': '没有超期的信访件。',
  'overdue.trackingNumber': '信访编号',
  'overdue.category': '类别',
  'overdue.department': '承办部门',
  'overdue.status': '状态',
  'overdue.deadline': '超过的期限',
  'overdue.dueAt': '期限',
  'overdue.daysOver': '超期天数',
  'overdue.urgency': '紧急程度',
  'deadline.acceptance': '受理期限',
  'deadline.answer': '答复期限',

  'groups.heading': '疑似集体信访',
  'groups.caption': '最近 {days} 天发现的相似信访件组，件数多的在前',
  'groups.empty': '最近 {days} 天没有发现相似信访件组。',
  'groups.category': '类别',
  'groups.size': '件数',
  'groups.firstCase': '最早一件',
  'groups.latestCase': '最近一件',
  'groups.noticed': '发现时间',
  'groups.id': '组号',

  'top.heading': '本周热点问题',
  'top.caption': '最近 7 天最常见的类别，及其前 7 天的件数',
  'top.empty': '最近 7 天没有登记信访件。',
  'top.category': '类别',
  'top.count': '最近 7 天',
  'top.previous': '前 7 天',
  'top.change': '变化',

  'list.overdue': '超期信访件',
  'list.weeks': '每周登记量',
  'list.groups': '疑似集体信访',
  'list.top': '热点问题',

  'status.submitted': '待受理',
  'status.accepted': '已受理',
  'status.rejected': '不予受理',
  'status.in_progress': '办理中',
  'status.awaiting_petitioner': '待信访人补充',
  'status.resolved': '已办结',
  'status.closed': '已结案',
  'status.reopened': '复查中',

  'urgency.normal': '一般',
  'urgency.high': '较急',
  'urgency.emergency': '紧急',
};

/** A category's name in the locale's language from the routing table (its code when the table does not know it). */
export function categoryName(routing: RoutingTable, code: string, locale: DashboardLocale): string {
  const entry = Object.hasOwn(routing.categories, code) ? routing.categories[code] : undefined;
  return (entry && (locale === 'en' ? entry.en : entry.zh)) || code;
}

/** A department's name in the locale's language from the routing table (its id when the table does not know it). */
export function departmentName(routing: RoutingTable, id: string, locale: DashboardLocale): string {
  const entry = Object.hasOwn(routing.departments, id) ? routing.departments[id] : undefined;
  return (entry && (locale === 'en' ? entry.en : entry.zh)) || id;
}

/** "2026-03-17 16:00" on the wall clock of `timeZone`. */
export function localDateTimeShort(at: Date, timeZone: string): string {
  const time = dateFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return `${localDate(at, timeZone)} ${time}`;
}

export const DASHBOARD_TEXTS: Record<DashboardLocale, Record<string, string>> = { 'zh-CN': zh, en };

/** The label `key` in `locale` with `{name}` filled in; a key without a text shows as itself. */
export function dashboardText(locale: DashboardLocale, key: string, vars: Record<string, string | number> = {}): string {
  const text = DASHBOARD_TEXTS[locale][key] ?? DASHBOARD_TEXTS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
