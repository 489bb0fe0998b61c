import type { Locale } from '../../src/domain.js';
import { DASHBOARD_TEXTS } from './dashboard-texts.js';

/** The console's words in both languages; an officer chooses theirs. Same keys in both. */
const TEXTS: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    'app.name': '信访受理台',
    'nav.inbox': '案件', 'nav.dashboard': '统计', 'nav.account': '我的账户', 'nav.signOut': '退出', 'nav.skip': '跳到正文',
    'signIn.title': '登录', 'signIn.username': '用户名', 'signIn.password': '密码', 'signIn.submit': '登录',
    'signIn.wrong': '用户名或密码不正确。', 'signIn.locked': '密码错误次数过多，账户已暂时锁定，请稍后再试。', 'signIn.throttled': '尝试次数过多，请稍后再试。',
    'signIn.sso': '使用单位账号登录', 'signIn.continue': '继续', 'signIn.ssoFailed': '单位账号登录未成功，请重试或使用密码登录。', 'signIn.noAccount': '本系统中没有与您的单位账号对应的账户，请联系管理员开通。',
    'inbox.title': '案件', 'inbox.search': '搜索诉求内容', 'inbox.filter': '筛选', 'inbox.clear': '清除筛选',
    'inbox.status': '状态', 'inbox.category': '类别', 'inbox.urgency': '紧急程度', 'inbox.any': '全部',
    'inbox.triage': '待分办', 'inbox.emergency': '紧急', 'inbox.overdue': '已超期', 'inbox.dueWithin': '几天内到期', 'inbox.group': '疑似集体诉求',
    'inbox.empty': '没有符合条件的案件。', 'inbox.count': '共 {n} 件', 'inbox.csv': '导出 CSV', 'inbox.live': '新案件和变化会自动显示。',
    'inbox.keys': '快捷键：j / k 上下移动，Enter 打开，/ 搜索。', 'inbox.more': '只显示前 {n} 件，请缩小筛选范围。', 'inbox.updated': '列表已更新。',
    'inbox.open': '全部 · 未答复', 'inbox.shortcuts': '使用单键快捷键',
    'col.ref': '编号', 'col.filed': '登记时间', 'col.summary': '诉求', 'col.category': '类别', 'col.department': '承办部门', 'col.status': '状态', 'col.due': '到期', 'col.urgency': '紧急程度',
    'case.back': '返回案件列表', 'case.petition': '诉求', 'case.details': '确认的信息', 'case.timeline': '经过', 'case.deadlines': '时限',
    'case.acceptBy': '受理期限', 'case.answerBy': '答复期限', 'case.left': '还剩 {days} 天', 'case.over': '已超期 {days} 天', 'case.met': '已完成',
    'case.routing': '分办依据', 'case.alsoAbout': '也涉及', 'case.words': '关键词', 'case.group': '同组案件', 'case.related': '同一诉求人的其他案件',
    'case.masked': '个人信息已隐藏。', 'case.reveal': '显示个人信息（将被记录）', 'case.revealed': '个人信息已显示，此次查看已记录。',
    'case.actions': '办理', 'case.text': '内容', 'case.textHelp': '群众将看到这段文字（内部备注除外）。', 'case.department': '转至部门', 'case.rightCategory': '正确的类别', 'case.days': '延长天数',
    'case.live': '实时对话', 'case.take': '接管对话', 'case.handBack': '交还机器人', 'case.liveHeld': '对话由 {who} 接管中。',
    'case.assignee': '承办人', 'case.none': '无', 'case.notFound': '没有这个案件，或您无权查看。', 'case.views': '查看记录',
    'case.done': '已完成：{action}。', 'case.failed': '未能完成：{message}',
    'role.petitioner': '群众', 'role.bot': '机器人', 'role.officer': '工作人员', 'role.system': '系统',
    'account.title': '我的账户', 'account.language': '界面语言', 'account.save': '保存', 'account.signOutAll': '在所有设备上退出',
    'account.tokens': '个人 API 令牌', 'account.tokenLabel': '用途', 'account.issue': '生成令牌', 'account.revoke': '撤销', 'account.newToken': '新令牌（只显示这一次）：',
    'account.role': '角色', 'account.departments': '部门',
    'nav.admin': '账户管理', 'admin.title': '账户管理', 'admin.accounts': '账户', 'admin.name': '姓名', 'admin.create': '新建账户', 'admin.password': '初始密码（至少 10 个字符）', 'admin.passwordOrSso': '初始密码（至少 10 个字符；留空则只能用单位账号登录）', 'admin.disable': '停用',
    'admin.created': '账户 {username} 已建立。', 'admin.disabled': '账户已停用，其登录已全部退出。',
    'roleName.officer': '承办人员', 'roleName.supervisor': '督办人员', 'roleName.admin': '管理员',
    'error.weak_password': '密码太弱：至少 10 个字符，且不能包含用户名。', 'error.account_exists': '这个用户名已被使用。',
    'error.invalid_transition': '案件当前状态不允许此操作。', 'error.conflict': '案件刚被他人修改，请刷新后重试。', 'error.missing_text': '请填写内容。', 'error.extension_already_used': '此案件已延期过一次，不能再延期。',
    'error.complaint_about_department': '诉求针对该部门，不能转给它办理。', 'error.invalid_extension_days': '延长天数不在允许范围内。', 'error.unknown_department': '没有这个部门。', 'error.missing_department': '请选择部门。',
    'error.missing_category': '请选择类别。', 'error.unknown_category': '没有这个类别。', 'error.already_acknowledged': '紧急事项已有人确认。', 'error.not_an_emergency': '这不是紧急案件。', 'error.text_too_long': '内容太长。',
    'error.title': '出错了', 'error.forbidden': '您无权进行此操作。', 'error.csrf': '页面已过期，请刷新后重试。',
    'status.submitted': '已登记', 'status.accepted': '已受理', 'status.rejected': '不予受理', 'status.in_progress': '办理中', 'status.awaiting_petitioner': '等待补充', 'status.resolved': '已办结', 'status.closed': '已关闭', 'status.reopened': '复查中',
    'urgency.normal': '一般', 'urgency.high': '较急', 'urgency.emergency': '紧急',
    'action.claim': '认领', 'action.accept': '受理', 'action.reject': '不予受理', 'action.reply': '回复群众', 'action.request_info': '请群众补充', 'action.start': '开始办理',
    'action.transfer': '转办', 'action.categorise': '更正类别', 'action.resolve': '办结答复', 'action.reopen': '重新办理', 'action.extend': '延期', 'action.acknowledge': '确认紧急事项', 'action.note': '内部备注',
    'event.filed': '登记', 'event.viewed': '查看', 'event.access_refused': '拒绝访问', 'event.feedback': '回访评价', 'event.details_added': '补充信息', 'event.info_received': '收到补充', 'event.close': '关闭', 'event.anonymised': '匿名化',
  },
  en: {
    'app.name': 'Petition desk',
    'nav.inbox': 'Cases', 'nav.dashboard': 'Dashboard', 'nav.account': 'My account', 'nav.signOut': 'Sign out', 'nav.skip': 'Skip to content',
    'signIn.title': 'Sign in', 'signIn.username': 'User name', 'signIn.password': 'Password', 'signIn.submit': 'Sign in',
    'signIn.wrong': 'Wrong user name or password.', 'signIn.locked': 'Too many wrong passwords: this account is locked for a few minutes.', 'signIn.throttled': 'Too many attempts; please wait and try again.',
    'signIn.sso': 'Sign in with your organisation', 'signIn.continue': 'Continue', 'signIn.ssoFailed': 'Signing in with your organisation did not succeed; try again or use your password.', 'signIn.noAccount': 'There is no account here for your organisation sign-in; ask an admin to create one.',
    'inbox.title': 'Cases', 'inbox.search': 'Search the petitions', 'inbox.filter': 'Filter', 'inbox.clear': 'Clear filters',
    'inbox.status': 'Status', 'inbox.category': 'Category', 'inbox.urgency': 'Urgency', 'inbox.any': 'Any',
    'inbox.triage': 'Needs triage', 'inbox.emergency': 'Emergency', 'inbox.overdue': 'Overdue', 'inbox.dueWithin': 'Due within days', 'inbox.group': 'Possible collective petition',
    'inbox.empty': 'No case matches.', 'inbox.count': '{n} cases', 'inbox.csv': 'Download CSV', 'inbox.live': 'New cases and changes appear by themselves.',
    'inbox.keys': 'Keys: j / k move, Enter opens, / searches.', 'inbox.more': 'Only the first {n} are shown; narrow the filters.', 'inbox.updated': 'The list was updated.',
    'inbox.open': 'Any · not answered', 'inbox.shortcuts': 'Use single-key shortcuts',
    'col.ref': 'Number', 'col.filed': 'Filed', 'col.summary': 'Petition', 'col.category': 'Category', 'col.department': 'Department', 'col.status': 'Status', 'col.due': 'Due', 'col.urgency': 'Urgency',
    'case.back': 'Back to the cases', 'case.petition': 'Petition', 'case.details': 'Confirmed details', 'case.timeline': 'Timeline', 'case.deadlines': 'Deadlines',
    'case.acceptBy': 'Accept by', 'case.answerBy': 'Answer by', 'case.left': '{days} days left', 'case.over': '{days} days overdue', 'case.met': 'done',
    'case.routing': 'Why it was routed here', 'case.alsoAbout': 'Also about', 'case.words': 'Words that weighed most', 'case.group': 'Cases in the same group', 'case.related': 'Other cases of this petitioner',
    'case.masked': 'Personal data is hidden.', 'case.reveal': 'Show personal data (recorded)', 'case.revealed': 'Personal data is shown; this view was recorded.',
    'case.actions': 'Work the case', 'case.text': 'Text', 'case.textHelp': 'The petitioner reads this (except an internal note).', 'case.department': 'To department', 'case.rightCategory': 'Right category', 'case.days': 'Days to add',
    'case.live': 'Live conversation', 'case.take': 'Take over the conversation', 'case.handBack': 'Hand back to the bot', 'case.liveHeld': '{who} holds the conversation.',
    'case.assignee': 'Assignee', 'case.none': 'none', 'case.notFound': 'No such case, or it is not yours to see.', 'case.views': 'Who viewed personal data',
    'case.done': 'Done: {action}.', 'case.failed': 'Not done: {message}',
    'role.petitioner': 'Petitioner', 'role.bot': 'Bot', 'role.officer': 'Officer', 'role.system': 'System',
    'account.title': 'My account', 'account.language': 'Language', 'account.save': 'Save', 'account.signOutAll': 'Sign out everywhere',
    'account.tokens': 'Personal API tokens', 'account.tokenLabel': 'What it is for', 'account.issue': 'Create a token', 'account.revoke': 'Revoke', 'account.newToken': 'New token (shown only this once):',
    'account.role': 'Role', 'account.departments': 'Departments',
    'nav.admin': 'Accounts', 'admin.title': 'Accounts', 'admin.accounts': 'Accounts', 'admin.name': 'Name', 'admin.create': 'Create an account', 'admin.password': 'First password (10 characters or more)', 'admin.passwordOrSso': 'First password (10 characters or more; leave it empty for organisation sign-in only)', 'admin.disable': 'Disable',
    'admin.created': 'Account {username} created.', 'admin.disabled': 'The account is disabled and signed out everywhere.',
    'roleName.officer': 'Officer', 'roleName.supervisor': 'Supervisor', 'roleName.admin': 'Admin',
    'error.weak_password': 'Weak password: at least 10 characters, not containing the user name.', 'error.account_exists': 'That user name is taken.',
    'error.invalid_transition': 'The case\'s status does not allow this now.', 'error.conflict': 'Someone changed the case meanwhile; reload and try again.', 'error.missing_text': 'Please write the text.', 'error.extension_already_used': 'This case was extended once already; it cannot be extended again.',
    'error.complaint_about_department': 'The complaint is about that department; it cannot handle the case.', 'error.invalid_extension_days': 'That number of days is not allowed.', 'error.unknown_department': 'No such department.', 'error.missing_department': 'Choose a department.',
    'error.missing_category': 'Choose a category.', 'error.unknown_category': 'No such category.', 'error.already_acknowledged': 'Someone acknowledged the emergency already.', 'error.not_an_emergency': 'This case is not an emergency.', 'error.text_too_long': 'The text is too long.',
    'error.title': 'Something went wrong', 'error.forbidden': 'You may not do this.', 'error.csrf': 'This page has expired; reload it and try again.',
    'status.submitted': 'Submitted', 'status.accepted': 'Accepted', 'status.rejected': 'Rejected', 'status.in_progress': 'In progress', 'status.awaiting_petitioner': 'Awaiting petitioner', 'status.resolved': 'Resolved', 'status.closed': 'Closed', 'status.reopened': 'Reopened',
    'urgency.normal': 'Normal', 'urgency.high': 'High', 'urgency.emergency': 'Emergency',
    'action.claim': 'Claim', 'action.accept': 'Accept', 'action.reject': 'Reject', 'action.reply': 'Reply to the petitioner', 'action.request_info': 'Ask for information', 'action.start': 'Start work',
    'action.transfer': 'Transfer', 'action.categorise': 'Correct the category', 'action.resolve': 'Resolve with an answer', 'action.reopen': 'Reopen', 'action.extend': 'Extend', 'action.acknowledge': 'Acknowledge the emergency', 'action.note': 'Internal note',
    'event.filed': 'Filed', 'event.viewed': 'Viewed', 'event.access_refused': 'Access refused', 'event.feedback': 'Follow-up rating', 'event.details_added': 'Details added', 'event.info_received': 'Information received', 'event.close': 'Closed', 'event.anonymised': 'Anonymised',
  },
};

export type Tr = (key: string, vars?: Record<string, string | number>) => string;

/** The console's translator for one locale; an unknown key shows as itself (never throws on a page). */
export function translator(locale: Locale): Tr {
  const own = { ...(DASHBOARD_TEXTS[locale] ?? {}), ...TEXTS[locale] };
  return (key, vars = {}) => (own[key] ?? key).replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export const CONSOLE_TEXTS = TEXTS;
