import type { Locale } from '../domain.js';
import { formatDate, formatDays, t } from '../i18n.js';
import type { Draft, Role } from '../conversation/messages.js';
import { solvedQuestion } from '../engine/follow-up-prompts.js';
import type { Case } from '../../generated/sqlite/client.js';
import type { DeadlinePolicy } from './deadlines.js';
import type { Router } from './routing.js';
import type { CaseAction } from './status-machine.js';

interface NoticeDeps {
  router: Router;
  deadlines: DeadlinePolicy;
}

/** What the petitioner is told of an officer's action; a resolution comes with the first follow-up question. */
export function officerNotices(action: CaseAction, c: Case, input: { text: string; days?: number }, deps: NoticeDeps): Draft[] {
  const notice = officerNotice(action, c, input, deps);
  if (action !== 'resolve') return [notice];
  const ask = solvedQuestion(c.language === 'en' ? 'en' : 'zh-CN');
  return [notice, { role: 'bot', text: ask.text, expects: ask.expects }];
}

function officerNotice(action: CaseAction, c: Case, input: { text: string; days?: number }, deps: NoticeDeps): { role: Role; text: string } {
  const l = (c.language === 'en' ? 'en' : 'zh-CN') as Locale;
  const label = deps.router.departmentLabel(c.department)[l];
  const { timeZone, kind } = deps.deadlines.calendar;
  const dates = { acceptanceDue: formatDate(c.acceptanceDueAt, l, timeZone), resolutionDue: formatDate(c.resolutionDueAt, l, timeZone) };
  const next = t(l, `next.${c.status}`, dates);
  const window = formatDays(deps.deadlines.reviewWindowDays, kind, l);
  const days = formatDays(input.days ?? 0, kind, l);
  const vars = { trackingNumber: c.trackingNumber, department: label, text: input.text, ...dates, next, days, window };
  const role: Role = action === 'reply' || action === 'request_info' ? 'officer' : 'system';
  return { role, text: t(l, `notify.${action}`, vars) };
}
