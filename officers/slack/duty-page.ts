import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../src/db/client.js';
import type { Details } from '../../src/domain.js';
import { HubError } from '../../src/errors.js';
import type { CaseService } from '../../src/cases/case-service.js';
import type { DutyRoster } from '../../src/cases/duty-roster.js';
import type { Router } from '../../src/cases/routing.js';
import type { Case } from '../../generated/sqlite/client.js';
import { escapeMrkdwn } from '../../src/slack/mrkdwn.js';
import { retryable } from '../../src/slack/slack-errors.js';
import type { OfficeTexts } from './office-texts.js';

/** The emergency in the duty channel, mentioning whoever is on duty. */
export const DUTY_CHANNEL_JOB = 'slack.duty';
/** The emergency, with the number to call back and the place, in a direct message to each one on duty. */
export const DUTY_DM_JOB = 'slack.duty-dm';
/** An emergency nobody acknowledged, in the supervisors' channel; subject "<case id>:<round>". */
export const DUTY_ESCALATION_JOB = 'slack.duty-escalation';

const ACK_ACTION = 'duty:ack';

export interface DutyDeps {
  db: Db;
  client: WebClient;
  cases: CaseService;
  router: Router;
  roster: DutyRoster;
  /** Whose shift it is is read in TIME_ZONE. */
  timeZone: string;
  texts: OfficeTexts;
  /** DUTY_SLACK_CHANNEL, or the intake channel. */
  dutyChannel: string;
  supervisorChannel?: string;
  ackMinutes: number;
  publicUrl?: string;
  now: () => Date;
}

const mention = (users: string[]) => users.map((u) => `<@${u}>`).join(' ');

const ackButton = (ref: string, tx: OfficeTexts): KnownBlock => ({
  type: 'actions',
  block_id: 'duty_ack',
  elements: [{ type: 'button', action_id: ACK_ACTION, value: ref, style: 'danger', text: { type: 'plain_text', text: tx.t('duty.take') } }],
});

async function emergencyOf(deps: DutyDeps, caseId: string): Promise<{ c: Case; kind: string } | null> {
  const c = await deps.db.case.findUnique({ where: { id: caseId } });
  if (!c || c.urgency !== 'emergency') return null;
  const raised = await deps.db.caseEvent.findFirst({ where: { caseId, type: 'emergency_escalated' }, orderBy: { createdAt: 'desc' } });
  const kind = (raised?.data ? (JSON.parse(raised.data) as { kind?: string }).kind : undefined) ?? 'danger';
  return { c, kind: deps.texts.of('duty.kind', kind, escapeMrkdwn(kind)) };
}

/** No personal data: the duty channel sees that there is an emergency and where the case is. */
function headline(c: Case, kind: string, deps: DutyDeps): string {
  const tx = deps.texts;
  const department = escapeMrkdwn(tx.department(deps.router.table, c.department));
  return tx.t('duty.headline', { kind, ref: c.trackingNumber, department, when: tx.dateTime(c.createdAt) });
}

function caseLink(c: Case, deps: DutyDeps): string | null {
  return deps.publicUrl ? deps.texts.t('casePage', { url: new URL(`/cases/${c.trackingNumber}`, deps.publicUrl).toString() }) : null;
}

async function post(client: WebClient, channel: string, text: string, blocks: KnownBlock[]): Promise<void> {
  try {
    // Mentions of the people on duty ping them; never link_names, so no channel-wide ping.
    await client.chat.postMessage({ channel, text, blocks, unfurl_links: false, unfurl_media: false });
  } catch (err) {
    throw retryable(err);
  }
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** Outbox handler: the page in the duty channel, with the people on duty mentioned. */
export function dutyChannelPage(deps: DutyDeps) {
  return async (caseId: string): Promise<void> => {
    const tx = deps.texts;
    const e = await emergencyOf(deps, caseId);
    if (!e || e.c.emergencyAckAt) return;
    const onDuty = deps.roster.onDutyAt(deps.now(), deps.timeZone);
    const who = onDuty.length ? tx.t('duty.onDuty', { who: mention(onDuty) }) : tx.t('duty.nobody');
    const lines = [headline(e.c, e.kind, deps), who, tx.t('duty.escalatesIn', { minutes: deps.ackMinutes }), caseLink(e.c, deps)];
    const text = lines.filter(Boolean).join('\n');
    await post(deps.client, deps.dutyChannel, text, [section(text), ackButton(e.c.trackingNumber, tx)]);
  };
}

/**
 * Outbox handler: a direct message to each one on duty with what they need to reach the person — the
 * number to call back and the place, when given. They are the people with the right to see them,
 * and each sending is recorded on the case as a view of its personal data.
 */
export function dutyDirectPage(deps: DutyDeps) {
  return async (caseId: string): Promise<void> => {
    const tx = deps.texts;
    const e = await emergencyOf(deps, caseId);
    if (!e) return;
    const onDuty = e.c.emergencyAckBy?.startsWith('slack:') ? [e.c.emergencyAckBy.slice('slack:'.length)] : deps.roster.onDutyAt(deps.now(), deps.timeZone);
    const details = JSON.parse(e.c.details) as Details;
    const fields = (['contactPhone', 'location', 'contactName'] as const).filter((f) => details[f]);
    const reach = [
      tx.t('duty.phone', { phone: details.contactPhone ? escapeMrkdwn(details.contactPhone) : tx.t('duty.notGiven') }),
      tx.t('duty.place', { place: details.location ? escapeMrkdwn(details.location) : tx.t('duty.notGiven') }),
      ...(details.contactName ? [tx.t('duty.name', { name: escapeMrkdwn(details.contactName) })] : []),
    ];
    const text = [headline(e.c, e.kind, deps), ...reach, caseLink(e.c, deps)].filter(Boolean).join('\n');
    const blocks = e.c.emergencyAckAt ? [section(text)] : [section(text), ackButton(e.c.trackingNumber, tx)];
    for (const user of onDuty) {
      try {
        const dm = await deps.client.conversations.open({ users: user });
        if (!dm.channel?.id) throw new Error('Slack opened no direct message channel');
        await deps.client.chat.postMessage({ channel: dm.channel.id, text, blocks, unfurl_links: false, unfurl_media: false });
      } catch (err) {
        throw retryable(err);
      }
      if (fields.length) await deps.cases.recordView(e.c.trackingNumber, `slack:${user}`, { via: 'duty_page', fields });
    }
  };
}

/** Outbox handler: an emergency still unacknowledged, in the supervisors' channel (or the duty channel). */
export function dutyEscalation(deps: DutyDeps) {
  return async (subject: string): Promise<void> => {
    const tx = deps.texts;
    const [caseId, round] = subject.split(':');
    const e = await emergencyOf(deps, caseId);
    if (!e || e.c.emergencyAckAt) return;
    const minutes = Math.round(Number(round) * deps.ackMinutes);
    const onDuty = deps.roster.onDutyAt(deps.now(), deps.timeZone);
    const lines = [
      tx.t('duty.escalated', { minutes }),
      headline(e.c, e.kind, deps),
      onDuty.length ? tx.t('duty.onDutyList', { who: mention(onDuty) }) : tx.t('duty.nobodyShort'),
      tx.t('duty.takeNow'),
      caseLink(e.c, deps),
    ];
    const text = lines.filter(Boolean).join('\n');
    await post(deps.client, deps.supervisorChannel ?? deps.dutyChannel, text, [section(text), ackButton(e.c.trackingNumber, tx)]);
  };
}

/** "I am taking it": the duty officer's acknowledgement, from the page, the direct message or the escalation. */
export function registerDutyActions(app: App, deps: DutyDeps): void {
  const tx = deps.texts;
  app.action<BlockAction<ButtonAction>>(ACK_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const ref = action.value ?? '';
    const user = body.user.id;
    const channel = body.channel?.id;
    let note: string;
    try {
      await deps.cases.act(ref, { action: 'acknowledge', actor: `slack:${user}` });
      note = tx.t('duty.taken', { user, when: tx.dateTime(deps.now()) });
    } catch (err) {
      if (!(err instanceof HubError)) throw err;
      const c = await deps.db.case.findUnique({ where: { trackingNumber: ref }, select: { emergencyAckBy: true } });
      const by = c?.emergencyAckBy?.startsWith('slack:') ? `<@${c.emergencyAckBy.slice('slack:'.length)}>` : escapeMrkdwn(c?.emergencyAckBy ?? '');
      note = err.code === 'already_acknowledged' ? tx.t('duty.alreadyTaken', { by }) : tx.t('duty.failed', { ref, message: escapeMrkdwn(tx.refusal(err)) });
    }
    // The page loses its button and says who took it, so nobody else runs for it.
    const message = body.message as { ts?: string; blocks?: KnownBlock[] } | undefined;
    if (channel && message?.ts) {
      const kept = (message.blocks ?? []).filter((b) => b.block_id !== 'duty_ack');
      await client.chat.update({ channel, ts: message.ts, text: note, blocks: [...kept, { type: 'context', elements: [{ type: 'mrkdwn', text: note }] }] });
    }
  });
}
