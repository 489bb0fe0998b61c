import type { WebClient } from '@slack/web-api';
import type { Db } from '../../src/db/client.js';
import type { Router } from '../../src/cases/routing.js';
import { RetryLater } from '../../src/outbox/outbox.js';
import { localDateTime } from '../../src/util/local-date.js';
import type { Case, DeadlineAlert } from '../../generated/sqlite/client.js';
import { escapeMrkdwn } from '../../src/slack/mrkdwn.js';
import { retryable } from '../../src/slack/slack-errors.js';

/** A reminder or an escalation, in the case's thread in its department channel. */
export const DEADLINE_THREAD_JOB = 'slack.deadline';
/** An escalation, in the supervisors' channel. */
export const SUPERVISOR_JOB = 'slack.supervisor';

export interface AlertDeps {
  db: Db;
  client: WebClient;
  router: Router;
  timeZone: string;
  supervisorChannel?: string;
  publicUrl?: string;
}

type Loaded = DeadlineAlert & { case: Case };

// Only what a card shows may go to Slack: tracking number, labels, status and dates, never the story.
const WHAT: Record<string, string> = { acceptance: 'the decision whether to accept', resolution: 'the written answer' };

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function threadText(a: Loaded, deps: AlertDeps): string {
  const when = localDateTime(a.dueAt, deps.timeZone);
  const ref = a.case.trackingNumber;
  if (a.stage === 'reminder') return `:hourglass_flowing_sand: Reminder: ${WHAT[a.deadline]} on *${ref}* is due by ${when}.`;
  const told = deps.supervisorChannel ? ' Supervisors have been told.' : '';
  return `:rotating_light: *${ref}* is overdue: ${WHAT[a.deadline]} was due by ${when}.${told}`;
}

function supervisorText(a: Loaded, deps: AlertDeps): string {
  const c = a.case;
  const category = escapeMrkdwn(deps.router.table.categories[c.category]?.en ?? c.category);
  const department = escapeMrkdwn(deps.router.departmentLabel(c.department).en);
  const lines = [
    `:rotating_light: Overdue: *${c.trackingNumber}* · ${category} · ${department} · status ${c.status}`,
    `${capitalised(WHAT[a.deadline])} was due by ${localDateTime(a.dueAt, deps.timeZone)}.`,
  ];
  if (c.slackChannel) lines.push(`Card: <#${c.slackChannel}>`);
  if (deps.publicUrl) lines.push(`Case page: ${new URL(`/cases/${c.trackingNumber}`, deps.publicUrl).toString()}`);
  return lines.join('\n');
}

async function load(db: Db, alertId: string): Promise<Loaded | null> {
  return db.deadlineAlert.findUnique({ where: { id: alertId }, include: { case: true } });
}

async function post(client: WebClient, args: { channel: string; thread_ts?: string; text: string }): Promise<void> {
  try {
    // Never link_names: an alert must not ping a whole channel.
    await client.chat.postMessage({ ...args, unfurl_links: false, unfurl_media: false });
  } catch (err) {
    throw retryable(err);
  }
}

/** Outbox handler: the alert in the case's thread, once the card is there. */
export function deadlineThread(deps: AlertDeps) {
  return async (alertId: string): Promise<void> => {
    const a = await load(deps.db, alertId);
    if (!a) return;
    if (!a.case.slackChannel || !a.case.slackTs) throw new RetryLater(2000, 'the case card is not posted yet');
    await post(deps.client, { channel: a.case.slackChannel, thread_ts: a.case.slackTs, text: threadText(a, deps) });
  };
}

/** Outbox handler: an escalation in the supervisors' channel. */
export function supervisorAlert(deps: AlertDeps) {
  return async (alertId: string): Promise<void> => {
    const a = await load(deps.db, alertId);
    if (!a || !deps.supervisorChannel) return;
    await post(deps.client, { channel: deps.supervisorChannel, text: supervisorText(a, deps) });
  };
}
