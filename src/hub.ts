import { availableParallelism } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import cors from 'cors';
import type { Config } from './config.js';
import { channelStatus, slackEnabled, ssoEnabled, ssoProblem, weakAdminToken } from './config.js';
import { SingleSignOn } from './accounts/single-sign-on.js';
import { closeDb, createDb, providerOf, sqlitePath, sqlOf, tuneSqlite, type Db } from './db/client.js';
import { startCheckpointer, type Checkpointer } from './db/checkpointer.js';
import { migrate } from './db/migrate.js';
import { HubEventBus } from './events.js';
import { createLogger, type Logger } from './logger.js';
import { INTENTS_DIR, Nlu } from './nlu/nlu.js';
import { Router } from './cases/routing.js';
import { CaseService } from './cases/case-service.js';
import { sealLegacyEvents } from './cases/event-chain.js';
import { deadlinePolicy } from './cases/deadlines.js';
import { DeadlineScheduler } from './cases/deadline-scheduler.js';
import { FollowUpTimeouts } from './cases/follow-up-timeouts.js';
import { DutyRoster } from './cases/duty-roster.js';
import { EmergencyEscalations } from './cases/emergency-escalations.js';
import { QueryGuard } from './cases/query-guard.js';
import { Retention } from './cases/retention.js';
import { DeliveryMemory } from './db/deliveries.js';
import { useConfiguredKeys } from './db/personal-data.js';
import { statsRoutes } from '../officers/api/stats-routes.js';
import { deadLetterRoutes } from '../officers/api/dead-letter-routes.js';
import { DeadLetters } from './outbox/dead-letters.js';
import { ConversationService } from './conversation/conversation-service.js';
import { TurnWriter, type TurnStore } from './conversation/turn-writer.js';
import { TurnThread } from './conversation/turn-thread.js';
import { adminRoutes } from '../officers/api/admin-routes.js';
import { adminGuard } from '../officers/api/admin-auth.js';
import { apiHeaders } from './http/api-headers.js';
// Wechaty (about 75 MB of code and data once loaded), Bolt and the Redis client are loaded only
// when configured: most hubs use none of them, and every process would carry them.
import type { wechatyChannel } from '../channels/wechaty/index.js';
import { AccountService } from './accounts/account-service.js';
import { OfficerCases } from './cases/officer-cases.js';
import { CaseSearch } from './cases/case-search.js';
import { consoleRoutes } from '../officers/console/routes.js';
import { casePageRoutes } from '../officers/case-link/case-page.js';
import { errorHandler, notFound } from './http/error-handler.js';
import { errorBody } from './errors.js';
import { webchatChannel } from '../channels/webchat/index.js';
import type { Lane } from '../channels/webchat/message-lane.js';
import { CARD_JOB, DEADLINE_THREAD_JOB, DUTY_CHANNEL_JOB, DUTY_DM_JOB, DUTY_ESCALATION_JOB, GROUP_JOB, SUPERVISOR_JOB, THREAD_JOB, registerSlackWorkspace } from '../officers/slack/index.js';
import { slackDmChannel } from '../channels/slack/index.js';
import { Outbox } from './outbox/outbox.js';
import { wechatOfficialChannels } from '../channels/wechat-official/index.js';
import { ChannelGateway } from './channels/channel-gateway.js';
import { createAttachmentKeeper } from './attachments/attachment-keeper.js';
import { PlatformTokens } from './db/platform-tokens.js';
import type { RedisLink } from './redis/redis-link.js';
import { HubMetrics } from './metrics/hub-metrics.js';
import { metricsRoute } from './metrics/metrics-route.js';
import { collectStartupGarbage, releaseMemoryWhenQuiet } from './util/memory-release.js';

export interface Hub {
  config: Config;
  db: Db;
  events: HubEventBus;
  logger: Logger;
  nlu: Nlu;
  cases: CaseService;
  conversations: ConversationService;
  outbox: Outbox;
  /** Reminders and escalations of deadlines (runDue: one sweep now, e.g. after a test moves the clock). */
  deadlines: DeadlineScheduler;
  wechaty: ReturnType<typeof wechatyChannel> | null;
  /** Where channels connect: one more (a new platform) can be connected to a running hub. */
  channels: ChannelGateway;
  server: Server;
  url: string;
  /** Starts listening if the hub was started `clustered`; otherwise it already is. */
  listen(): Promise<void>;
  close(): Promise<void>;
}

export interface HubOptions {
  /** A clock for tests; the hub reads the time only through this. */
  now?: () => Date;
  /** A Wechaty puppet instance to use instead of WECHATY_PUPPET's (tests: wechaty-puppet-mock). */
  wechatyPuppet?: unknown;
  logger?: Logger;
  /**
   * Whether this process runs what must run once per deployment (a Slack Socket Mode connection).
   * False in the other processes of a HUB_PROCESSES cluster. Default true.
   */
  lead?: boolean;
  /** One of several processes of a cluster (see cluster.ts): listen only once ready. */
  clustered?: boolean;
}

/** A cluster already has a process per core; a single process has cores to spare for threads. */
const sparesCores = (options: HubOptions) => !options.clustered && availableParallelism() >= 2;

function nluThreads(config: Config, options: HubOptions): number {
  return config.NLU_THREADS ?? (sparesCores(options) ? 1 : 0);
}

// Off unless asked for: with the message lane, committing on the hub thread costs less CPU per
// message than handing turns to a thread, and on two cores gave the lower latency (docs/benchmarks.md).
function writerThread(config: Config): boolean {
  return config.SQLITE_WRITER_THREAD === 'true';
}

/** Composition root: database, NLU, services, HTTP server and channels, in the order they depend on each other. */
export async function startHub(config: Config, options: HubOptions = {}): Promise<Hub> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const now = options.now ?? (() => new Date());
  let ready = false;
  const metrics = new HubMetrics({ clustered: options.clustered });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const notReady = (res: express.Response) => res.set('Retry-After', '1').status(503).json(errorBody('not_ready', 'starting'));
  app.get('/healthz', (_req, res) => {
    if (ready) res.json({ status: 'ok' });
    else notReady(res);
  });
  // Answers while starting too (process metrics); docs/metrics.md.
  app.get('/metrics', metricsRoute(metrics, { token: config.METRICS_TOKEN, logger }));
  // Until every route is in place (the models load, migrations run), a request gets "starting, try
  // again", not a 404 that says a petitioner's session does not exist.
  app.use((_req, res, next) => (ready ? next() : notReady(res)));
  app.use('/api', apiHeaders);
  // Petitioners' messages take the web chat's lane once the hub is ready; everything else, Express.
  let lane: Lane | null = null;
  const server = createServer((req, res) => {
    if (!lane?.(req, res)) app(req, res);
  });
  const listen = async () => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, config.HOST, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  };
  // Alone, listen first so /healthz answers 503 while the model trains and migrations run; in a
  // cluster, only when told (Hub.listen), so the processes that are ready take the traffic meanwhile.
  const early = !options.clustered;
  let port = early ? await listen() : config.PORT;

  const provider = providerOf(config.DATABASE_URL);
  // Before anything reads or writes a row: personal data is encrypted at rest with these keys.
  useConfiguredKeys(config.PERSONAL_DATA_KEYS);
  const db = createDb(config.DATABASE_URL, { preparedStatements: config.PG_PREPARED_STATEMENTS === 'true' });
  let checkpointer: Checkpointer | null = null;
  let loadedNlu: Nlu | null = null;
  let turns: TurnStore | null = null;
  let redis: RedisLink | null = null;
  try {
    if (provider === 'sqlite') {
      await tuneSqlite(db);
      checkpointer = startCheckpointer(sqlitePath(config.DATABASE_URL));
    }
    const applied = await migrate(db, provider);
    if (applied.length) logger.info({ applied, provider }, 'database migrated');
    await sealLegacyEvents(sqlOf(db), logger);
    metrics.watchDatabase(sqlOf(db), now, logger);
    const nlu = await Nlu.load({
      intentThreshold: config.INTENT_THRESHOLD,
      modelDir: config.MODEL_DIR,
      threads: nluThreads(config, options),
      warmUp: config.NLU_WARM_UP === 'true',
      observe: metrics.nlu,
    });
    loadedNlu = nlu;
    const events = new HubEventBus();
    if (config.REDIS_URL) redis = await (await import('./redis/redis-link.js')).connectRedis({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, events, logger });
    const router = new Router(config.routing, (text) => nlu.classifyCategory(text), config.CATEGORY_THRESHOLD);
    const outbox = new Outbox(db, logger, now, metrics);
    const slack = slackEnabled(config);
    const caseDeps = { db, sql: sqlOf(db), router, events, now };
    const toSupervisors = slack && Boolean(config.SUPERVISOR_SLACK_CHANNEL);
    // What a turn's case writes need, as data: the writer thread builds the same from it.
    const mirrorKinds = slack ? { kinds: [CARD_JOB], eventKinds: [THREAD_JOB] } : undefined;
    // Emergencies page the duty officer where officers work (Slack today); without it nobody can be paged.
    const roster = DutyRoster.parse(config.DUTY_ROSTER);
    const ackMs = config.EMERGENCY_ACK_MINUTES * 60_000;
    const duty = slack ? { ackMs, page: [DUTY_CHANNEL_JOB, DUTY_DM_JOB], callback: [DUTY_DM_JOB] } : undefined;
    const grouping = { windowMs: config.GROUP_WINDOW_HOURS * 3_600_000, minPetitioners: config.GROUP_MIN_PETITIONERS, jobs: toSupervisors ? [GROUP_JOB] : [] };
    const cases = new CaseService({
      ...caseDeps,
      deadlines: deadlinePolicy(config),
      mirrors: mirrorKinds && { outbox, ...mirrorKinds },
      feedbackTimeoutMs: config.FEEDBACK_TIMEOUT_DAYS * 86_400_000,
      grouping: { ...grouping, similarity: (a, b, category) => nlu.similarity(a, b, category) },
      duty,
    });
    const inThisThread = new TurnWriter(caseDeps.sql, cases.writes, { parallel: config.PG_TURN_WRITERS });
    turns =
      provider === 'sqlite' && writerThread(config)
        ? await TurnThread.start({ file: sqlitePath(config.DATABASE_URL), config, mirrors: mirrorKinds, duty, grouping, intentsDir: INTENTS_DIR }, inThisThread)
        : inThisThread;
    const queryGuard = new QueryGuard(caseDeps.sql);
    const conversations = new ConversationService({
      ...caseDeps,
      nlu,
      cases,
      logger,
      cacheSize: options.clustered ? 0 : undefined,
      turns,
      timeZone: config.TIME_ZONE,
      officeName: { 'zh-CN': config.OFFICE_NAME_ZH, en: config.OFFICE_NAME_EN },
      emergencyContacts: { 'zh-CN': config.EMERGENCY_CONTACTS_ZH, en: config.EMERGENCY_CONTACTS_EN },
      // The bot says someone was alerted only when a person on the roster is paged.
      dutyOnCall: (at) => Boolean(duty) && roster.onDutyAt(at, config.TIME_ZONE).length > 0,
      askFor: config.ASKED_DETAILS,
      returningAfterMs: config.RETURNING_AFTER_HOURS * 3_600_000,
      queryGuard,
    });

    // Every petitioner channel meets the hub here: one inbound message, one deliverer (src/channels/contract.ts).
    const gateway = new ChannelGateway({
      db, sql: caseDeps.sql, conversations, outbox, events, logger, now,
      tokens: new PlatformTokens(db),
      attachments: createAttachmentKeeper({ config, db, logger, now }),
      livePollMs: config.WEBCHAT_PUSH_POLL_MS,
      metrics,
    });
    // Before any body parser: Bolt verifies Slack's signature over the raw body.
    let slackChannel: { stop(): Promise<void> } | null = null;
    if (slack) {
      // One Bolt app serves both sides of Slack: the officers' workspace and petitioners' direct messages.
      const slackApp = (await import('./slack/slack-app.js')).createSlackApp(config, logger);
      registerSlackWorkspace(slackApp.bolt, { config, publicUrl: config.PUBLIC_URL ?? `http://localhost:${port}`, db, cases, conversations, router, outbox, events, logger, roster, now });
      await gateway.connect(slackDmChannel(slackApp.bolt));
      slackChannel = await slackApp.listen(app, options.lead ?? true);
    }
    app.use(casePageRoutes(db, now));
    if (config.WECHAT_OA_TOKEN) for (const channel of wechatOfficialChannels(app, { config, now, logger })) await gateway.connect(channel);
    const wechaty =
      config.WECHATY_PUPPET || options.wechatyPuppet
        ? (await import('../channels/wechaty/index.js')).wechatyChannel({ puppet: config.WECHATY_PUPPET ?? 'mock', puppetToken: config.WECHATY_PUPPET_TOKEN, puppetInstance: options.wechatyPuppet })
        : null;
    if (wechaty) await gateway.connect(wechaty);
    const accounts = new AccountService({ db, now, hasDepartment: (id) => router.hasDepartment(id) });
    const sso = ssoEnabled(config)
      ? new SingleSignOn({ issuer: config.OIDC_ISSUER as string, clientId: config.OIDC_CLIENT_ID as string, clientSecret: config.OIDC_CLIENT_SECRET as string, usernameClaim: config.OIDC_USERNAME_CLAIM, redirectUri: `${(config.PUBLIC_URL as string).replace(/\/+$/, '')}/console/sso/callback` }, accounts, logger)
      : undefined;
    const search = new CaseSearch({ db, now });
    const officerCases = new OfficerCases({ db, cases, router, live: conversations.live, search, now });
    const personal = async (token: string, res: express.Response) => {
      const officer = await accounts.byToken(token);
      if (officer) res.locals.apiOfficer = officer;
      return Boolean(officer);
    };
    const admin = config.ADMIN_TOKEN ? adminGuard(config.ADMIN_TOKEN, { store: redis?.rateLimitStore('admin-auth'), personal }) : null;
    // Officers' own workspace; its forms carry their own body parser.
    const deadLetters = new DeadLetters(db, outbox, now);
    app.use('/console', consoleRoutes({ db, accounts, deadLetters, cases: officerCases, router, events, logger, timeZone: config.TIME_ZONE, extensionMaxDays: config.EXTENSION_MAX_DAYS, now, rateLimitStore: redis?.rateLimitStore('console-sign-in'), sso }));
    if (wechaty && admin) wechaty.mountStatus(app, admin);
    events.on('case.filed', () => outbox.kick());
    events.on('case.filed', (e) => metrics.caseFiled(e.category));
    events.on('case.info_added', () => outbox.kick());
    events.on('case.updated', () => outbox.kick());
    outbox.start();
    const supervisors = toSupervisors ? [SUPERVISOR_JOB] : [];
    const deadlines = new DeadlineScheduler({
      sql: caseDeps.sql,
      logger,
      now,
      reminderMs: config.DEADLINE_REMINDER_HOURS * 3_600_000,
      alerted: (deadline, stage) => metrics.deadlineAlert(deadline, stage),
      mirrors: slack ? { outbox, reminder: [DEADLINE_THREAD_JOB], overdue: [DEADLINE_THREAD_JOB, ...supervisors] } : undefined,
      also: [
        new FollowUpTimeouts({ sql: caseDeps.sql, events, mirrors: slack ? { kinds: [CARD_JOB] } : undefined }),
        new EmergencyEscalations({ sql: caseDeps.sql, ackMs, jobs: slack ? [DUTY_ESCALATION_JOB] : [] }),
        queryGuard,
        new DeliveryMemory(caseDeps.sql),
        new Retention({ sql: caseDeps.sql, logger, retentionMs: config.RETENTION_DAYS > 0 ? config.RETENTION_DAYS * 86_400_000 : null }),
      ],
    });
    deadlines.start(config.DEADLINE_CHECK_SECONDS * 1000);

    const origins = config.WEBCHAT_ALLOWED_ORIGINS.split(',').map((o) => o.trim());
    const webchatCors = cors({ origin: origins.includes('*') ? '*' : origins, maxAge: 600 });
    const jsonBody = express.json({ limit: '64kb' });
    app.use('/api/webchat', webchatCors);
    app.use('/api', jsonBody);
    if (admin) app.use('/api', adminRoutes(admin.bearer, cases, nlu, officerCases));
    if (admin) app.use('/api', statsRoutes(admin.bearer, { db, routing: config.routing, now }));
    if (admin) app.use('/api', deadLetterRoutes(admin.bearer, deadLetters));
    const webchat = webchatChannel(app, {
      logger,
      messagesPerMinute: config.WEBCHAT_RATE_LIMIT,
      sessionsPerMinute: config.WEBCHAT_SESSION_RATE_LIMIT,
      rateLimitStore: redis?.rateLimitStore,
      departmentsAt: (conversationId, moments) => cases.answering.at(conversationId, moments),
      before: [apiHeaders, webchatCors, jsonBody],
      allowedOrigins: origins.includes('*') ? '*' : origins,
    });
    await gateway.connect(webchat.channel);
    webchat.attach(server);
    app.use(notFound);
    app.use(errorHandler(logger));

    collectStartupGarbage();
    const quietRelease = releaseMemoryWhenQuiet();
    ready = true;
    lane = webchat.lane;
    const url = `http://127.0.0.1:${port}`;
    const channels = channelStatus(config);
    if (channels.unavailable.length) {
      logger.warn({ channels: channels.unavailable }, 'these channels are configured but not available in this version; they stay off');
    }
    const weak = weakAdminToken(config);
    if (weak) logger.error({ weakAdminToken: true }, `${weak}: the admin API guards every case's personal data`);
    const ssoWrong = ssoProblem(config);
    if (ssoWrong) logger.error({ sso: 'off' }, ssoWrong);
    if ((await accounts.count()) === 0) {
      logger.warn('no console account yet: create the first with  npm run account -- create --username <name> --name "<display name>" --role admin  then sign in at /console');
    }
    // The search index catches up in the background: cases filed while no officer searched, and every
    // case after a new personal-data key (searches also catch up themselves, so this only saves them time).
    const indexing = search.refresh().then(
      (n) => n && logger.info({ cases: n }, 'search index brought up to date'),
      (err: unknown) => logger.error({ err }, 'search index could not be brought up to date'),
    );
    logger.info({ url: `http://localhost:${port}`, console: `http://localhost:${port}/console`, provider, channels: channels.on, admin: Boolean(config.ADMIN_TOKEN), redis: Boolean(redis), routing: nlu.routing }, 'hub ready');
    return {
      config, db, events, logger, nlu, cases, conversations, server, url,
      outbox,
      deadlines,
      wechaty,
      channels: gateway,
      async listen() {
        if (!server.listening) await listen();
      },
      async close() {
        quietRelease.stop();
        await gateway.stop();
        await slackChannel?.stop();
        await deadlines.stop();
        await outbox.stop();
        await indexing;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await turns?.close();
        await checkpointer?.stop();
        await nlu.close();
        await redis?.close();
        await closeDb(db);
        metrics.close();
      },
    };
  } catch (err) {
    server.close();
    await turns?.close();
    await checkpointer?.stop();
    await loadedNlu?.close();
    await redis?.close();
    await closeDb(db);
    metrics.close();
    throw err;
  }
}
