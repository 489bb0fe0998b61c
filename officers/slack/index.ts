import type { App } from '@slack/bolt';
import type { Config } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import type { HubEventBus } from '../../src/events.js';
import type { Logger } from '../../src/logger.js';
import type { CaseService } from '../../src/cases/case-service.js';
import type { DutyRoster } from '../../src/cases/duty-roster.js';
import type { Router } from '../../src/cases/routing.js';
import type { ConversationService } from '../../src/conversation/conversation-service.js';
import type { Outbox } from '../../src/outbox/outbox.js';
import { CARD_JOB, cardSync } from './card-sync.js';
import { DEADLINE_THREAD_JOB, SUPERVISOR_JOB, deadlineThread, supervisorAlert } from './deadline-alerts.js';
import { DUTY_CHANNEL_JOB, DUTY_DM_JOB, DUTY_ESCALATION_JOB, dutyChannelPage, dutyDirectPage, dutyEscalation, registerDutyActions } from './duty-page.js';
import { GROUP_JOB, groupAlert } from './group-alert.js';
import { HANDOFF_JOB, LIVE_JOB, handoffRequest, liveMirror, registerHandoff } from './handoff.js';
import { MembershipCheck } from './membership.js';
import { OfficeTexts } from './office-texts.js';
import { registerOfficerActions } from './officer-actions.js';
import { registerOfficerHome } from './officer-home.js';
import { THREAD_JOB, registerThreadReplies, threadMirror } from './thread.js';
import { CASE_MATERIAL_JOB } from '../../src/attachments/attachment-keeper.js';

export { CARD_JOB, DEADLINE_THREAD_JOB, DUTY_CHANNEL_JOB, DUTY_DM_JOB, DUTY_ESCALATION_JOB, GROUP_JOB, SUPERVISOR_JOB, THREAD_JOB };

export interface SlackWorkspaceDeps {
  config: Config;
  /** Where officers reach the hub's case pages: PUBLIC_URL, or the hub's own address. */
  publicUrl: string;
  db: Db;
  cases: CaseService;
  conversations: ConversationService;
  router: Router;
  outbox: Outbox;
  events: HubEventBus;
  logger: Logger;
  /** Who is paged for emergencies when (DUTY_ROSTER). */
  roster: DutyRoster;
  now: () => Date;
}

/**
 * Officers working cases in Slack: case cards kept in sync through the outbox, buttons and modals
 * (every action through the case service), case threads, live hand-offs, deadline and group alerts,
 * duty pages, App Home and /case.
 */
export function registerSlackWorkspace(bolt: App, deps: SlackWorkspaceDeps): void {
  const { config, outbox } = deps;
  const client = bolt.client;
  // Every text officers read in Slack, and every date in it, goes through this one.
  const texts = new OfficeTexts(config.OFFICE_LOCALE, config.TIME_ZONE);
  outbox.register(CARD_JOB, cardSync({ db: deps.db, client, router: deps.router, intakeChannel: config.SLACK_INTAKE_CHANNEL, publicUrl: config.PUBLIC_URL, texts }));
  // Material linked to a filed case after its message was stored: the card lists it, so the card's
  // one job is asked again (never a second sender of the same card, which could post it twice).
  outbox.register(CASE_MATERIAL_JOB, (caseId) => outbox.enqueue(CARD_JOB, caseId));
  outbox.register(THREAD_JOB, threadMirror(deps.db, client, texts, config.PUBLIC_URL));
  outbox.register(HANDOFF_JOB, handoffRequest({ db: deps.db, client, intakeChannel: config.SLACK_INTAKE_CHANNEL, texts }));
  outbox.register(LIVE_JOB, liveMirror(deps.db, client, texts));
  const alerts = { db: deps.db, client, router: deps.router, texts, supervisorChannel: config.SUPERVISOR_SLACK_CHANNEL, publicUrl: config.PUBLIC_URL };
  outbox.register(DEADLINE_THREAD_JOB, deadlineThread(alerts));
  outbox.register(SUPERVISOR_JOB, supervisorAlert(alerts));
  outbox.register(GROUP_JOB, groupAlert(alerts));
  const duty = {
    db: deps.db,
    client,
    cases: deps.cases,
    router: deps.router,
    roster: deps.roster,
    timeZone: config.TIME_ZONE,
    texts,
    dutyChannel: config.DUTY_SLACK_CHANNEL ?? config.SLACK_INTAKE_CHANNEL,
    supervisorChannel: config.SUPERVISOR_SLACK_CHANNEL,
    ackMinutes: config.EMERGENCY_ACK_MINUTES,
    publicUrl: config.PUBLIC_URL,
    now: deps.now,
  };
  outbox.register(DUTY_CHANNEL_JOB, dutyChannelPage(duty));
  outbox.register(DUTY_DM_JOB, dutyDirectPage(duty));
  outbox.register(DUTY_ESCALATION_JOB, dutyEscalation(duty));
  registerDutyActions(bolt, duty);
  const members = new MembershipCheck();
  registerOfficerActions(bolt, { ...deps, members, texts, extensionMaxDays: config.EXTENSION_MAX_DAYS });
  registerHandoff(bolt, { ...deps, members, texts });
  registerOfficerHome(bolt, { db: deps.db, router: deps.router, members, texts, publicUrl: config.PUBLIC_URL });
  registerThreadReplies(bolt, { ...deps, texts });
}
