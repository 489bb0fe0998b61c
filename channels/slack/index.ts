import type { Express, RequestHandler } from 'express';
import { errorBody } from '../../src/errors.js';
import { sendJson } from '../../src/http/error-handler.js';
import { App, ExpressReceiver, LogLevel, SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import type { Config } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import type { HubEventBus } from '../../src/events.js';
import type { Logger } from '../../src/logger.js';
import type { CaseService } from '../../src/cases/case-service.js';
import type { Router } from '../../src/cases/routing.js';
import type { Outbox } from '../../src/outbox/outbox.js';
import { CARD_JOB, cardSync } from './card-sync.js';
import { registerOfficerActions } from './officer-actions.js';
import { registerOfficerHome } from './officer-home.js';
import { MembershipCheck } from './membership.js';
import { THREAD_JOB, registerThreadReplies, threadMirror } from './thread.js';
import { DM_JOB, dmPusher, registerDmIntake } from './dm.js';
import { afterPushedSeq, schedulePushes } from '../../src/outbox/push-schedule.js';
import { HANDOFF_JOB, LIVE_JOB, handoffRequest, liveMirror, registerHandoff } from './handoff.js';
import type { ConversationService } from '../../src/conversation/conversation-service.js';
import { DEADLINE_THREAD_JOB, SUPERVISOR_JOB, deadlineThread, supervisorAlert } from './deadline-alerts.js';
import { GROUP_JOB, groupAlert } from './group-alert.js';
import { DUTY_CHANNEL_JOB, DUTY_DM_JOB, DUTY_ESCALATION_JOB, dutyChannelPage, dutyDirectPage, dutyEscalation, registerDutyActions } from './duty-page.js';
import type { DutyRoster } from '../../src/cases/duty-roster.js';

export { CARD_JOB, DEADLINE_THREAD_JOB, DM_JOB, DUTY_CHANNEL_JOB, DUTY_DM_JOB, DUTY_ESCALATION_JOB, GROUP_JOB, SUPERVISOR_JOB, THREAD_JOB };

export interface SlackDeps {
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
  /** Open the Socket Mode connection (false in all but one process of a cluster). Default true. */
  connect?: boolean;
}

/** Slack's window for a request's timestamp: Bolt refuses older ones; this refuses ones from the future. */
const SLACK_WINDOW_SECONDS = 5 * 60;

/**
 * Bolt checks only that a signed request is not too old, so one dated in the future (a forged clock,
 * or a captured request) would stay replayable for as long as its date lies ahead. Wall-clock time,
 * as Slack's own timestamps are.
 */
const refuseFutureRequests: RequestHandler = (req, res, next) => {
  const stamp = Number(req.get('x-slack-request-timestamp'));
  if (Number.isFinite(stamp) && stamp - Date.now() / 1000 > SLACK_WINDOW_SECONDS) {
    sendJson(res, 401, errorBody('unauthorized', 'the request is dated in the future'));
    return;
  }
  next();
};

/** Bolt logs through the hub's logger (and so through its redaction). */
function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ channel: 'slack' });
  let level = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => child.debug(m.map(String).join(' ')),
    info: (...m: unknown[]) => child.info(m.map(String).join(' ')),
    warn: (...m: unknown[]) => child.warn(m.map(String).join(' ')),
    error: (...m: unknown[]) => child.error(m.map(String).join(' ')),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * Slack: case cards kept in sync through the outbox, officers' buttons, modals, threads and hand-offs,
 * App Home, /case, and employees' DMs. Over HTTP (POST /slack/events, signed requests; mounted before
 * the JSON body parser, because Bolt checks the signature over the raw body), or over Socket Mode when
 * SLACK_APP_TOKEN is set.
 */
export async function mountSlack(app: Express, deps: SlackDeps): Promise<{ bolt: App; stop(): Promise<void> }> {
  const { config, logger } = deps;
  // Failures surface to the outbox, which retries from rows (and honours Retry-After) instead of
  // the client retrying in memory for minutes.
  const clientOptions = { slackApiUrl: config.SLACK_API_URL, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  const receiver = socketMode
    ? new SocketModeReceiver({ appToken: config.SLACK_APP_TOKEN as string, logger: boltLogger(logger), installerOptions: { clientOptions: { slackApiUrl: config.SLACK_API_URL } } })
    : new ExpressReceiver({ signingSecret: config.SLACK_SIGNING_SECRET as string, endpoints: '/slack/events', logger: boltLogger(logger) });
  const bolt = new App({ token: config.SLACK_BOT_TOKEN, receiver, socketMode, logger: boltLogger(logger), clientOptions });
  deps.outbox.register(
    CARD_JOB,
    cardSync({ db: deps.db, client: bolt.client, router: deps.router, intakeChannel: config.SLACK_INTAKE_CHANNEL, publicUrl: config.PUBLIC_URL }),
  );
  deps.outbox.register(THREAD_JOB, threadMirror(deps.db, bolt.client, config.TIME_ZONE));
  deps.outbox.register(DM_JOB, dmPusher(deps.db, bolt.client));
  deps.outbox.register(HANDOFF_JOB, handoffRequest({ db: deps.db, client: bolt.client, intakeChannel: config.SLACK_INTAKE_CHANNEL }));
  deps.outbox.register(LIVE_JOB, liveMirror(deps.db, bolt.client));
  const alerts = { db: deps.db, client: bolt.client, router: deps.router, timeZone: config.TIME_ZONE, supervisorChannel: config.SUPERVISOR_SLACK_CHANNEL, publicUrl: config.PUBLIC_URL };
  deps.outbox.register(DEADLINE_THREAD_JOB, deadlineThread(alerts));
  deps.outbox.register(SUPERVISOR_JOB, supervisorAlert(alerts));
  deps.outbox.register(GROUP_JOB, groupAlert(alerts));
  const duty = {
    db: deps.db,
    client: bolt.client,
    cases: deps.cases,
    router: deps.router,
    roster: deps.roster,
    timeZone: config.TIME_ZONE,
    dutyChannel: config.DUTY_SLACK_CHANNEL ?? config.SLACK_INTAKE_CHANNEL,
    supervisorChannel: config.SUPERVISOR_SLACK_CHANNEL,
    ackMinutes: config.EMERGENCY_ACK_MINUTES,
    publicUrl: config.PUBLIC_URL,
    now: deps.now,
  };
  deps.outbox.register(DUTY_CHANNEL_JOB, dutyChannelPage(duty));
  deps.outbox.register(DUTY_DM_JOB, dutyDirectPage(duty));
  deps.outbox.register(DUTY_ESCALATION_JOB, dutyEscalation(duty));
  registerDutyActions(bolt, duty);
  const members = new MembershipCheck();
  registerOfficerActions(bolt, { ...deps, members, extensionMaxDays: config.EXTENSION_MAX_DAYS });
  registerHandoff(bolt, { ...deps, members });
  registerOfficerHome(bolt, { db: deps.db, router: deps.router, members, publicUrl: config.PUBLIC_URL });
  registerThreadReplies(bolt, deps);
  registerDmIntake(bolt, deps);
  await schedulePushes(deps, 'slack', DM_JOB, afterPushedSeq);
  bolt.error(async (err) => {
    logger.error({ err }, 'slack handler failed');
  });
  if (receiver instanceof ExpressReceiver) {
    app.use('/slack/events', refuseFutureRequests);
    app.use(receiver.router);
    return { bolt, stop: async () => undefined };
  }
  // Socket Mode: Slack connects out from here; no public URL or signing secret needed.
  if (deps.connect === false) return { bolt, stop: async () => undefined };
  await bolt.start();
  return { bolt, stop: async () => void (await bolt.stop()) };
}
