import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_ROUTING, type RoutingTable } from './cases/routing-defaults.js';
import { isIsoDate } from './util/local-date.js';
import { DutyRoster, DutyRosterError } from './cases/duty-roster.js';
import { KeyRing, KeyRingError } from './db/personal-data.js';

// Empty strings in the environment mean "not set", as in most .env files.
/** A setting with its own parser: what the parser refuses is the setting's error, in its words. */
function readableBy(parse: (text: string) => unknown, refusal: new (...args: never[]) => Error) {
  return (text: string, ctx: z.RefinementCtx): void => {
    try {
      parse(text);
    } catch (err) {
      if (!(err instanceof refusal)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
    }
  };
}

/** Admin tokens shorter than this are reported at start as guessable. */
export const ADMIN_TOKEN_MIN_LENGTH = 24;

/** Why the admin token is too weak, or null. */
export function weakAdminToken(config: Pick<Config, 'ADMIN_TOKEN'>): string | null {
  const token = config.ADMIN_TOKEN;
  if (!token || token.length >= ADMIN_TOKEN_MIN_LENGTH) return null;
  return `ADMIN_TOKEN is ${token.length} characters; use at least ${ADMIN_TOKEN_MIN_LENGTH} (for example: openssl rand -base64 32)`;
}

const optional = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

/** A comma-separated list of YYYY-MM-DD dates (holidays, make-up working days). */
const dateList = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((d) => d.trim()).filter(Boolean))
  .pipe(z.array(z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD')));

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Hub processes sharing the port (node:cluster); one per CPU core is the usual choice. */
  HUB_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * Threads per hub process that understand petitioners' messages beside the main one. Unset: one
   * when the hub runs as a single process on a machine with more than one core, else none.
   */
  NLU_THREADS: z.coerce.number().int().min(0).max(16).optional(),
  /** Understand a message in each language at load, so the first petitioners do not wait (jieba's dictionary and the models' first runs: under a second of start-up). */
  NLU_WARM_UP: z.enum(['true', 'false']).default('true'),
  /**
   * Commit petitioners' turns on a thread of their own (SQLite only). Unset: off; committing on the
   * hub thread cost less CPU per message on two cores (docs/benchmarks.md).
   */
  SQLITE_WRITER_THREAD: z.enum(['true', 'false']).optional(),
  /**
   * PostgreSQL: group commits of turns that may run at once, each on its own connection. One suits a
   * hub sharing two cores with its database; more, a database server with cores of its own (docs/scaling.md).
   */
  PG_TURN_WRITERS: z.coerce.number().int().min(1).max(16).default(1),
  /**
   * PostgreSQL: name the hub's fixed statements, so the server plans them once per connection. Set to
   * false behind a pooler that cannot keep prepared statements (PgBouncer before 1.21, or without
   * max_prepared_statements, in transaction mode).
   */
  PG_PREPARED_STATEMENTS: z.enum(['true', 'false']).default('true'),
  DATABASE_URL: z
    .string()
    .default('file:./data/hub.db')
    .refine((u) => u.startsWith('file:') || /^postgres(ql)?:\/\//.test(u), {
      message: 'must start with file: (SQLite) or postgresql:// (PostgreSQL)',
    }),
  /** Multi-instance mode: rate limits shared by every instance, and pushes relayed at once (README). */
  REDIS_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL').optional(),
  ),
  /** Namespace of this deployment's keys and channel in Redis. */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'letters, digits and : _ . - only (at most 64)').default('petition-hub'),
  /**
   * Guards the admin API and every case's personal data. One shorter than ADMIN_TOKEN_MIN_LENGTH is
   * reported at start (weakAdminToken) rather than refused: refusing would take every petitioner
   * channel down with it on an upgrade, for a setting only the admin API uses.
   */
  ADMIN_TOKEN: optional,
  /** Bearer token for GET /metrics (docs/metrics.md). Unset: /metrics answers only requests from this machine (loopback). */
  METRICS_TOKEN: optional,
  /**
   * Keys for the personal data encrypted at rest: "<id>:<base64 of 32 bytes>", comma-separated, the
   * first encrypting and all decrypting (docs/privacy.md). Unset: stored as written.
   */
  PERSONAL_DATA_KEYS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .superRefine(readableBy(KeyRing.parse, KeyRingError))
      .optional(),
  ),
  PUBLIC_URL: optional,
  /**
   * Single sign-on to the officers' console (OpenID Connect): the identity provider's issuer URL,
   * with OIDC_CLIENT_ID and OIDC_CLIENT_SECRET. The provider redirects back to
   * <PUBLIC_URL>/console/sso/callback.
   */
  OIDC_ISSUER: z.preprocess((v) => (v === '' ? undefined : v), z.string().url('must be the issuer URL, e.g. https://login.example.gov.cn/realms/office').optional()),
  OIDC_CLIENT_ID: optional,
  OIDC_CLIENT_SECRET: optional,
  /** The ID-token claim holding the hub user name, matched once to bind an account (then the subject is used). */
  OIDC_USERNAME_CLAIM: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'a claim name').default('preferred_username'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ACCEPTANCE_DAYS: z.coerce.number().int().min(1).max(365).default(15),
  RESOLUTION_DAYS: z.coerce.number().int().min(1).max(365).default(60),
  /** Whether time limits count every day or only working days (Monday to Friday, less holidays). */
  DEADLINE_DAY_KIND: z.enum(['calendar', 'working']).default('calendar'),
  HOLIDAYS: dateList,
  /** Weekend dates that are working days (make-up days for a holiday). */
  MAKEUP_WORKDAYS: dateList,
  /** The hub's time zone: which date a moment falls on, for working days and dates told to petitioners. */
  TIME_ZONE: z.preprocess(
    (v) => (v === '' || v === undefined ? Intl.DateTimeFormat().resolvedOptions().timeZone : v),
    z.string().refine(isTimeZone, 'unknown time zone (use an IANA name such as Asia/Shanghai)'),
  ),
  /** The one extension of the answer period may add at most this many days (of DEADLINE_DAY_KIND). */
  EXTENSION_MAX_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** A review (复查) of an answer may be requested within this many days of it (of DEADLINE_DAY_KIND). */
  REVIEW_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** A resolved case whose petitioner gives no follow-up answer is closed after this many days. */
  FEEDBACK_TIMEOUT_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /** Similar petitions from GROUP_MIN_PETITIONERS petitioners within this many hours are flagged as a possible collective petition. */
  GROUP_WINDOW_HOURS: z.coerce.number().min(1).max(24 * 365).default(48),
  GROUP_MIN_PETITIONERS: z.coerce.number().int().min(2).max(1000).default(5),
  /** Departments are reminded this long before a deadline; 0 turns reminders off. */
  DEADLINE_REMINDER_HOURS: z.coerce.number().min(0).max(24 * 365).default(48),
  /** How often each instance looks for deadlines to remind of or escalate. */
  DEADLINE_CHECK_SECONDS: z.coerce.number().min(1).max(86_400).default(60),
  /** JSON file overriding the category → department/channel table. */
  ROUTING_FILE: optional,
  /** Below this intent score the bot abstains (asks an open question / offers a human). */
  INTENT_THRESHOLD: z.coerce.number().min(0).max(1).default(0.5),
  /** Below this category score the case goes to general intake, marked for triage. */
  /** Overrides the routing model's own threshold (chosen by cross-validation) when set. */
  CATEGORY_THRESHOLD: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().min(0).max(1).optional()),
  /** Petitioner messages per session per minute on the web chat API. */
  WEBCHAT_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  /** New web chat sessions per client address per minute (many people can share one address behind NAT). */
  WEBCHAT_SESSION_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  /** How often each instance reads what other instances wrote for its open web chat sockets. */
  WEBCHAT_PUSH_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(1000),
  /**
   * The details the bot asks for when the petitioner has not told them, in the order they are asked.
   * A detail left out is still recorded whenever the petitioner tells it; a shorter list means fewer
   * questions for petitioners and less for officers to go on.
   */
  ASKED_DETAILS: z
    .string()
    .default('location,time,parties,desiredOutcome,priorAttempts,contactName,contactPhone')
    .transform((s) => s.split(',').map((d) => d.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['location', 'time', 'parties', 'desiredOutcome', 'priorAttempts', 'contactName', 'contactPhone']))),
  /** A petitioner who writes again after this many hours is greeted back with where their cases stand. */
  RETURNING_AFTER_HOURS: z.coerce.number().min(0).max(24 * 365).default(8),
  OFFICE_NAME_ZH: z.string().default('市民信访服务中心'),
  OFFICE_NAME_EN: z.string().default('Citizen Petition Service Centre'),
  /** Origins allowed to call the web chat API from an embedded widget; * for any site. */
  WEBCHAT_ALLOWED_ORIGINS: z.string().default('*'),
  EMERGENCY_CONTACTS_ZH: z.string().default('报警 110 · 急救 120 · 火警 119 · 心理援助热线 12356'),
  EMERGENCY_CONTACTS_EN: z
    .string()
    .default('Police 110 · Ambulance 120 · Fire 119 · Mental health crisis line 12356'),
  /**
   * Who is on duty for emergencies when, in TIME_ZONE: "<days> <HH:MM>-<HH:MM> <Slack user ids>" shifts
   * separated by ";" (docs/emergencies.md). An emergency pages whoever is on duty; with nobody on duty
   * the bot gives the emergency numbers and does not say that someone was alerted.
   */
  DUTY_ROSTER: z
    .string()
    .default('')
    .superRefine(readableBy(DutyRoster.parse, DutyRosterError)),
  /**
   * Personal data of a closed or rejected case is anonymised this many days after it was finished
   * (the case's statistics are kept); 0 keeps it until the petitioner asks for its deletion.
   */
  RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  /** Where emergencies are posted for the duty officer (ID or name); the intake channel when unset. */
  DUTY_SLACK_CHANNEL: optional,
  /** An emergency nobody has acknowledged after this many minutes goes to the supervisors, again every as many minutes. */
  EMERGENCY_ACK_MINUTES: z.coerce.number().min(1).max(24 * 60).default(5),
  SLACK_BOT_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_INTAKE_CHANNEL: z.string().default('petitions'),
  SLACK_API_URL: z.string().url().default('https://slack.com/api/'),
  /** Where overdue cases are escalated (ID or name); no escalation message in Slack when unset. */
  SUPERVISOR_SLACK_CHANNEL: optional,
  /**
   * The language officers read in Slack (cards, forms, App Home, alerts); dates there are in
   * TIME_ZONE. Petitioners are answered in their own language whatever this says.
   */
  OFFICE_LOCALE: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['zh-CN', 'en']).default('zh-CN')),
  WECHATY_PUPPET: optional,
  WECHATY_PUPPET_TOKEN: optional,
  WECHAT_OA_TOKEN: optional,
  WECHAT_OA_APP_ID: optional,
  WECHAT_OA_APP_SECRET: optional,
  WECHAT_OA_ENCODING_AES_KEY: optional,
  WECHAT_API_URL: z.string().url().default('https://api.weixin.qq.com'),
  /** How long the Official Account callback waits for the bot before answering "success" and sending the reply later (WeChat allows 5 s; 0: always later). */
  WECHAT_OA_REPLY_MS: z.coerce.number().int().min(0).max(4800).default(4000),
  /**
   * A WeCom self-built app on the same callback (same token and EncodingAESKey): messages sealed for
   * this CorpID are WeCom's, the rest the Official Account's. With the app's agent id and secret the
   * hub also sends later messages through message/send.
   */
  WECOM_CORP_ID: optional,
  WECOM_AGENT_ID: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional()),
  WECOM_SECRET: optional,
  WECOM_API_URL: z.string().url().default('https://qyapi.weixin.qq.com'),
  /** Where the trained NLU model is cached between starts. */
  MODEL_DIR: z.string().default('./data/models'),
  /**
   * Petitioners' photos, voice messages, videos and files (docs/attachments.md): the largest taken,
   * in bytes. Each is held in memory while it is checked, so the ceiling is kept well below a
   * process's memory.
   */
  ATTACHMENT_MAX_BYTES: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(1024).max(200 * 1024 * 1024).default(20 * 1024 * 1024)),
  /** Where attachments are kept when no S3 bucket is set: a folder, created on demand. */
  ATTACHMENTS_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('./data/attachments')),
  /** S3-compatible storage for attachments instead of ATTACHMENTS_DIR; needs the two credentials below. */
  S3_BUCKET: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]$/, 'a bucket name: 3 to 63 letters, digits, dots, dashes or underscores').optional(),
  ),
  /** The S3 service's URL; unset: Amazon S3 in S3_REGION. MinIO, Ceph and cloud vendors' S3 APIs work too. */
  S3_ENDPOINT: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^https?:\/\/[^\s/?#]+\/?$/, 'the service\'s base URL, e.g. https://s3.example.com or http://127.0.0.1:9000 (no path)').optional()),
  S3_REGION: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a region name such as us-east-1 or cn-north-1').default('us-east-1')),
  S3_ACCESS_KEY_ID: optional,
  S3_SECRET_ACCESS_KEY: optional,
  /** Address the bucket as <endpoint>/<bucket>/… (MinIO and most self-hosted services) rather than <bucket>.<endpoint host>/…. */
  S3_PATH_STYLE: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['true', 'false']).default('false')),
});

export type Env = z.infer<typeof envSchema>;
export interface Config extends Env {
  routing: RoutingTable;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (parsed.data.HUB_PROCESSES > 1 && parsed.data.WECHATY_PUPPET) {
    // One WeChat login cannot be shared by several processes, and its admin page lives in one of them.
    throw new ConfigError('Invalid configuration:\n  HUB_PROCESSES: must be 1 while WECHATY_PUPPET is set (a Wechaty bot runs in one process)');
  }
  const storage = attachmentStorageProblem(parsed.data);
  // Refused at start: a bucket without credentials would refuse every petitioner's photo later, and
  // credentials without a bucket would put the photos on local disk while the office expects S3.
  if (storage) throw new ConfigError(`Invalid configuration:\n  ${storage}`);
  return { ...parsed.data, routing: loadRouting(parsed.data.ROUTING_FILE) };
}

/** Why the attachment storage settings cannot work, or null. */
export function attachmentStorageProblem(env: Pick<Env, 'S3_BUCKET' | 'S3_ENDPOINT' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY'>): string | null {
  if (env.S3_BUCKET) {
    const missing = (['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((k) => !env[k]);
    return missing.length ? `S3_BUCKET: needs ${missing.join(' and ')} (attachments are stored in the bucket with them)` : null;
  }
  const stray = (['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((k) => env[k]);
  return stray.length ? `${stray.join(', ')}: set S3_BUCKET too, or remove ${stray.length > 1 ? 'them' : 'it'} (without a bucket attachments are kept in ATTACHMENTS_DIR)` : null;
}

const labels = { zh: z.string().min(1), en: z.string().min(1) };
const routingSchema = z
  .object({
    categories: z.record(
      z.string().regex(/^[a-z][a-z0-9_]*$/),
      z.object({ department: z.string().min(1), ...labels }),
    ),
    departments: z.record(
      z.string().min(1),
      z.object({ ...labels, slackChannel: z.string().min(1).optional(), aliases: z.array(z.string().min(2)).optional() }),
    ),
  })
  .superRefine((table, ctx) => {
    if (!table.categories.other) ctx.addIssue({ code: 'custom', message: 'a category "other" is required' });
    for (const [code, entry] of Object.entries(table.categories)) {
      if (!table.departments[entry.department]) {
        ctx.addIssue({ code: 'custom', message: `category ${code}: unknown department ${entry.department}` });
      }
    }
  });

function loadRouting(file: string | undefined): RoutingTable {
  if (!file) return DEFAULT_ROUTING;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`ROUTING_FILE ${file}: ${(err as Error).message}`);
  }
  const parsed = routingSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`ROUTING_FILE ${file}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  return parsed.data;
}

/** Slack runs with a bot token and either a signing secret (HTTP) or an app token (Socket Mode). */
/** Why single sign-on is configured but cannot work (reported at start; the console keeps passwords), or null. */
export function ssoProblem(config: Pick<Config, 'OIDC_ISSUER' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET' | 'PUBLIC_URL'>): string | null {
  const set = [config.OIDC_ISSUER, config.OIDC_CLIENT_ID, config.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (set === 0) return null;
  if (set < 3) return 'single sign-on needs all of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET; it is off';
  if (!config.PUBLIC_URL) return 'single sign-on needs PUBLIC_URL (the provider redirects to <PUBLIC_URL>/console/sso/callback); it is off';
  return null;
}

export function ssoEnabled(config: Pick<Config, 'OIDC_ISSUER' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET' | 'PUBLIC_URL'>): boolean {
  return Boolean(config.OIDC_ISSUER) && ssoProblem(config) === null;
}

export function slackEnabled(config: Config): boolean {
  return Boolean(config.SLACK_BOT_TOKEN && (config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN));
}

/** WeCom messages come to the Official Account callback, in safe mode only. */
export function wecomEnabled(config: Config): boolean {
  return Boolean(config.WECOM_CORP_ID && config.WECHAT_OA_TOKEN && config.WECHAT_OA_ENCODING_AES_KEY);
}

export function wecomPushEnabled(config: Config): boolean {
  return wecomEnabled(config) && Boolean(config.WECOM_AGENT_ID && config.WECOM_SECRET);
}

/** Which channels run, and which are configured but not part of this version (said in the start-up log). */
export function channelStatus(config: Config): { on: string[]; unavailable: string[] } {
  const on = ['webchat'];
  const unavailable: string[] = [];
  if (slackEnabled(config)) on.push(config.SLACK_APP_TOKEN ? 'slack (socket mode)' : 'slack (http)');
  if (config.WECHATY_PUPPET) on.push(`wechaty (${config.WECHATY_PUPPET})`);
  if (config.WECHAT_OA_TOKEN) on.push(config.WECHAT_OA_ENCODING_AES_KEY ? 'wechat-official (safe mode)' : 'wechat-official');
  // WeCom always encrypts its callbacks, so without the key its messages cannot be told apart or read.
  if (config.WECOM_CORP_ID && wecomEnabled(config)) on.push(wecomPushEnabled(config) ? 'wecom' : 'wecom (passive replies only)');
  else if (config.WECOM_CORP_ID) unavailable.push('wecom (needs WECHAT_OA_TOKEN and WECHAT_OA_ENCODING_AES_KEY)');
  return { on, unavailable };
}
