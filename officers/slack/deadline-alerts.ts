import type { WebClient } from '@slack/web-api';
import type { Db } from '../../src/db/client.js';
import type { Router } from '../../src/cases/routing.js';
import { RetryLater } from '../../src/outbox/outbox.js';
import type { Case, DeadlineAlert, SlackCard } from '../../generated/sqlite/client.js';
import { escapeMrkdwn } from '../../src/slack/mrkdwn.js';
import { retryable } from '../../src/slack/slack-errors.js';
import type { OfficeTexts } from './office-texts.js';

/** A reminder or an escalation, in the case's thread in its department channel. */
export const DEADLINE_THREAD_JOB = 'slack.deadline';
/** An escalation, in the supervisors' channel. */
export const SUPERVISOR_JOB = 'slack.supervisor';

export interface AlertDeps {
  db: Db;
  client: WebClient;
  router: Router;
  /** The office's language and time zone. */
  texts: OfficeTexts;
  supervisorChannel?: string;
  publicUrl?: string;
}

type Loaded = DeadlineAlert & { case: Case & { slackCard: SlackCard | null } };

// Only what a card shows may go to Slack: tracking number, labels, status and dates, never the story.
const deadline = (a: Loaded) => (a.deadline === 'resolution' ? 'resolution' : 'acceptance');

function threadText(a: Loaded, deps: AlertDeps): string {
  const tx = deps.texts;
  const vars = { ref: a.case.trackingNumber, when: tx.dateTime(a.dueAt) };
  if (a.stage === 'reminder') return tx.t(`deadline.reminder.${deadline(a)}`, vars);
  return tx.t(`deadline.overdue.${deadline(a)}`, { ...vars, told: deps.supervisorChannel ? tx.t('deadline.told') : '' });
}

function supervisorText(a: Loaded, deps: AlertDeps): string {
  const { texts: tx, router } = deps;
  const c = a.case;
  const lines = [
    tx.t('supervisor.overdue', {
      ref: c.trackingNumber,
      category: escapeMrkdwn(tx.category(router.table, c.category)),
      department: escapeMrkdwn(tx.department(router.table, c.department)),
      status: tx.of('status', c.status),
    }),
    tx.t(`supervisor.due.${deadline(a)}`, { when: tx.dateTime(a.dueAt) }),
  ];
  if (c.slackCard) lines.push(tx.t('supervisor.card', { channel: c.slackCard.channel }));
  if (deps.publicUrl) lines.push(tx.t('casePage', { url: new URL(`/cases/${c.trackingNumber}`, deps.publicUrl).toString() }));
  return lines.join('\n');
}

async function load(db: Db, alertId: string): Promise<Loaded | null> {
  return db.deadlineAlert.findUnique({ where: { id: alertId }, include: { case: { include: { slackCard: true } } } });
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
    const card = a.case.slackCard;
    if (!card?.ts) throw new RetryLater(2000, 'the case card is not posted yet');
    await post(deps.client, { channel: card.channel, thread_ts: card.ts, text: threadText(a, deps) });
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
