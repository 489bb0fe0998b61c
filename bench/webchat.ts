/**
 * Web chat throughput benchmark: `npm run bench [-- --conversations 200 --seconds 20 --write]`.
 *
 * Starts the hub as a user would (`npm start`'s node command, fresh SQLite file, free loopback
 * port), measures a baseline (GET /healthz: the HTTP stack alone) and then C concurrent web chat
 * conversations in which each petitioner sends a message, waits for the reply and answers it, as a
 * browser would. Prints a Markdown report; with --write puts it in docs/benchmarks.md under
 * "## Web chat throughput". Talks only to 127.0.0.1 and always stops the hub it started.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startArgs } from '../scripts/start-command.js';
import { cpuSeconds, machineBusySeconds, mainThreadSched, memoryMiB, startHubProcess, type HubProcess } from './lib-hub.js';
import { HttpClient, Phase, Recorder, sleep, type LatencySummary } from './lib-http.js';
import { KIND, KINDS, Petitioner, type BotMessage, type Locale } from './lib-petitioner.js';
import { fmt, machine, table, writeSection, type Machine } from './lib-report.js';
import { benchDatabase, type BenchDatabase } from './lib-database.js';
import { checkoutBaseline, type Baseline } from './baseline-checkout.js';
import { finish, helpAsked, numberOption, UsageError } from './lib-args.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOC = join(ROOT, 'docs', 'benchmarks.md');
const TARGET = { rate: 1000, p99: 50, conversations: 200 };
/** The defaults of the options a report names when it says how to run it again. */
const DEFAULTS = { conversations: 200, rate: 0, processes: 1, seconds: 20, warmup: 5, baselineSeconds: 10, seed: 1 };

/** The hub's thread settings as this run passes them on (unset: the hub's defaults, see README). */
function threadSettings(): string {
  const show = (name: string) => `\`${name}=${process.env[name] ?? ''}\`${process.env[name] === undefined ? ' (unset: the default)' : ''}`;
  return `${show('NLU_THREADS')}, ${show('SQLITE_WRITER_THREAD')}`;
}

const USAGE = `Usage: npm run bench -- [options]
  --conversations N     concurrent web chat conversations (default 200, 1..5000)
  --rate N              offered load in messages/s, spread evenly over the conversations, each message
                        sent at its scheduled time (open loop); latency counts from that time, so a
                        late reply delays the next one's clock too. 0 (default): each conversation
                        sends its next message as soon as the reply comes (closed loop, saturation)
  --processes N         HUB_PROCESSES for the hub (default 1)
  --seconds N           measured duration of the conversation load (default 20, 1..600)
  --warmup N            warm-up before measuring, seconds (default 5; the baseline warms up for min(N, 2))
  --baseline-seconds N  measured duration of the GET /healthz baseline (default 10, 0 to skip)
  --timeout-ms N        per-request timeout; a timed-out request counts as an error (default 10000)
  --seed N              seed for the petitioners' choice of words (default 1)
  --max-samples N       latency samples kept per phase; the phase ends early when full (default 2000000)
  --trace N             print the first N exchanges of the first zh-CN and en conversations
  --profile DIR         run the hub with --cpu-prof, writing the profile to DIR on exit
  --database URL        run the hub on PostgreSQL: a fresh database is made on the server at URL
                        (postgresql://user@host:port/db; the user may create databases) and dropped
                        after the run. Default: a fresh SQLite file. Reports round trips per message
  --hub-cpus LIST       pin the hub's processes to these CPUs (taskset -c LIST, e.g. 0 or 0-1)
  --compare REF         then measure the hub of an earlier commit (git archive of REF) the same way
                        and add a side-by-side table
  --node-args "A B"     extra options for the hub's node (e.g. "--single-threaded-gc"), shown in the report
  --write               put the report in docs/benchmarks.md ("## Web chat throughput", or with
                        --rate, "## Web chat at a steady rate")`;

interface Options {
  conversations: number;
  rate: number;
  processes: number;
  seconds: number;
  warmup: number;
  baselineSeconds: number;
  timeoutMs: number;
  seed: number;
  maxSamples: number;
  trace: number;
  profile?: string;
  database?: string;
  hubCpus?: string;
  /** An earlier commit to measure after this checkout, in the same run. */
  compare?: string;
  nodeArgs: string[];
  write: boolean;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      conversations: { type: 'string' },
      rate: { type: 'string' },
      processes: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      'baseline-seconds': { type: 'string' },
      'timeout-ms': { type: 'string' },
      seed: { type: 'string' },
      'max-samples': { type: 'string' },
      trace: { type: 'string' },
      profile: { type: 'string' },
      'node-args': { type: 'string' },
      database: { type: 'string' },
      'hub-cpus': { type: 'string' },
      compare: { type: 'string' },
      write: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  helpAsked(values.help, USAGE);
  return {
    conversations: Math.round(numberOption('conversations', values.conversations, DEFAULTS.conversations, 1, 5000)),
    rate: numberOption('rate', values.rate, DEFAULTS.rate, 0, 100_000),
    processes: Math.round(numberOption('processes', values.processes, DEFAULTS.processes, 1, 64)),
    seconds: numberOption('seconds', values.seconds, DEFAULTS.seconds, 1, 600),
    warmup: numberOption('warmup', values.warmup, DEFAULTS.warmup, 0, 120),
    baselineSeconds: numberOption('baseline-seconds', values['baseline-seconds'], DEFAULTS.baselineSeconds, 0, 600),
    timeoutMs: numberOption('timeout-ms', values['timeout-ms'], 10_000, 100, 120_000),
    seed: Math.round(numberOption('seed', values.seed, DEFAULTS.seed, 0, 2 ** 31)),
    maxSamples: Math.round(numberOption('max-samples', values['max-samples'], 2_000_000, 1000, 50_000_000)),
    trace: Math.round(numberOption('trace', values.trace, 0, 0, 1000)),
    profile: values.profile ? resolve(values.profile) : undefined,
    nodeArgs: (values['node-args'] ?? '').split(/\s+/).filter(Boolean),
    database: values.database,
    hubCpus: cpuList(values['hub-cpus']),
    compare: values.compare,
    write: values.write ?? false,
  };
}


function cpuList(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(raw)) throw new UsageError('--hub-cpus takes a CPU list as taskset does: 0, 0-1, 0,2');
  return raw;
}

interface CpuWindow {
  /** Hub CPU seconds (user + system, all threads) during the measured window. */
  hub: number;
  /** This process's CPU seconds during the window. */
  client: number;
  /** The hub's main thread: seconds on a CPU, and seconds runnable but waiting for one. */
  mainOnCpu: number;
  mainWaiting: number;
  /** CPU seconds used by everything else on the machine (other processes) during the window. */
  others: number;
  /** What the hub asked of PostgreSQL during the window (from its /metrics); null on SQLite. */
  db: DbTraffic | null;
}

interface DbTraffic {
  roundTrips: number;
  /** Seconds waiting for PostgreSQL's answers, summed over concurrent statements. */
  waitSeconds: number;
  /** Seconds waiting for a free pool connection, summed. */
  poolWaitSeconds: number;
}

const TRAFFIC = { roundTrips: 'hub_db_round_trips_total', waitSeconds: 'hub_db_wait_seconds_total', poolWaitSeconds: 'hub_db_pool_wait_seconds_total' } as const;

/** The hub's PostgreSQL counters, all pools and processes added up; null where it has none (SQLite). */
async function dbTraffic(hub: HubProcess): Promise<DbTraffic | null> {
  const token = process.env.METRICS_TOKEN;
  const res = await fetch(`${hub.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}: ${text.slice(0, 200)}`);
  const total = (name: string) => {
    let sum = 0;
    let seen = false;
    for (const line of text.split('\n')) {
      if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
        sum += Number(line.slice(line.lastIndexOf(' ') + 1));
        seen = true;
      }
    }
    return seen ? sum : null;
  };
  const roundTrips = total(TRAFFIC.roundTrips);
  if (roundTrips === null) return null;
  return { roundTrips, waitSeconds: total(TRAFFIC.waitSeconds) ?? 0, poolWaitSeconds: total(TRAFFIC.poolWaitSeconds) ?? 0 };
}

function trafficDelta(a: DbTraffic | null, b: DbTraffic | null): DbTraffic | null {
  if (!a || !b) return null;
  return { roundTrips: b.roundTrips - a.roundTrips, waitSeconds: b.waitSeconds - a.waitSeconds, poolWaitSeconds: b.poolWaitSeconds - a.poolWaitSeconds };
}

interface PhaseResult {
  rec: Recorder;
  seconds: number;
  cpu: CpuWindow;
  latency: LatencySummary;
}

/** Warm-up, then the measured window (ended early if the recorder fills up), with CPU read at both ends. */
async function window(phase: Phase, rec: Recorder, hub: HubProcess, warmupS: number, measureS: number): Promise<CpuWindow> {
  const { pid } = hub;
  await sleep(warmupS * 1000);
  const db0 = await dbTraffic(hub);
  const hub0 = cpuSeconds(pid);
  const main0 = mainThreadSched(pid);
  const machine0 = machineBusySeconds();
  const client0 = process.cpuUsage();
  phase.begin();
  const deadline = performance.now() + measureS * 1000;
  while (phase.state === 'measure' && !rec.full && performance.now() < deadline) {
    await sleep(Math.min(100, Math.max(1, deadline - performance.now())));
  }
  phase.end();
  const db1 = await dbTraffic(hub);
  const hub1 = cpuSeconds(pid);
  const main1 = mainThreadSched(pid);
  const machine1 = machineBusySeconds();
  const client = process.cpuUsage(client0);
  const clientS = (client.user + client.system) / 1e6;
  return {
    hub: hub1 - hub0,
    client: clientS,
    others: Math.max(0, machine1 - machine0 - (hub1 - hub0) - clientS),
    mainOnCpu: main1.onCpu - main0.onCpu,
    mainWaiting: main1.waiting - main0.waiting,
    db: trafficDelta(db0, db1),
  };
}

async function runBaseline(hub: HubProcess, opts: Options): Promise<PhaseResult> {
  const client = new HttpClient(hub.port, opts.conversations, opts.timeoutMs);
  const rec = new Recorder(opts.maxSamples);
  const phase = new Phase();
  const user = async () => {
    while (phase.state !== 'stop') {
      const t0 = performance.now();
      const r = await client.request('GET', '/healthz', {});
      const t1 = performance.now();
      if (phase.state === 'measure') {
        if (r.status === 200) rec.ok(t1 - t0);
        else rec.error(r.status, r.body);
      }
    }
  };
  const users = Array.from({ length: opts.conversations }, user);
  const cpu = await window(phase, rec, hub, Math.min(2, opts.warmup), opts.baselineSeconds);
  await Promise.all(users);
  client.close();
  return { rec, seconds: phase.seconds, cpu, latency: rec.summary() };
}

interface LoadResult extends PhaseResult {
  sessions: LatencySummary;
  sessionErrors: number;
  sessionsOpen: number;
  casesInWindow: number;
  casesTotal: number;
  messagesTotal: number;
  byKind: { kind: string; latency: LatencySummary }[];
}

async function runConversations(hub: HubProcess, opts: Options): Promise<LoadResult> {
  const client = new HttpClient(hub.port, opts.conversations, opts.timeoutMs, 'fifo');
  const rec = new Recorder(opts.maxSamples);
  const sessionRec = new Recorder(opts.conversations * 6);
  const phase = new Phase();
  let casesInWindow = 0;
  let casesTotal = 0;
  let messagesTotal = 0;

  interface Session {
    id: string;
    path: string;
    auth: string;
    ip: string;
    pet: Petitioner;
    greeting: BotMessage[];
  }

  // Each browser has its own address behind the hub's reverse proxy (the hub trusts X-Forwarded-For
  // from loopback); without it, the per-address limit on new sessions would refuse all but 30.
  const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

  const open = async (i: number): Promise<Session | null> => {
    const locale: Locale = i % 2 === 0 ? 'zh-CN' : 'en';
    const ip = ipOf(i);
    const body = JSON.stringify({ locale });
    for (let attempt = 0; attempt < 5; attempt++) {
      const t0 = performance.now();
      const r = await client.request('POST', '/api/webchat/sessions', {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-forwarded-for': ip,
      }, body);
      const t1 = performance.now();
      if (r.status === 201) {
        sessionRec.ok(t1 - t0);
        const s = JSON.parse(r.body) as { sessionId: string; token: string; messages: BotMessage[] };
        return {
          id: s.sessionId,
          path: `/api/webchat/sessions/${encodeURIComponent(s.sessionId)}/messages`,
          auth: `Bearer ${s.token}`,
          ip,
          pet: new Petitioner(locale, opts.seed * 100_003 + i),
          greeting: s.messages,
        };
      }
      sessionRec.error(r.status, r.body);
      await sleep(200);
    }
    return null;
  };

  const converse = async (s: Session, trace: boolean) => {
    let replies = s.greeting;
    let exchanges = 0;
    const tag = `[${s.pet.locale}]`;
    const show = (m: BotMessage) =>
      `${tag} bot: ${m.text.replace(/\n/g, ' / ')}${m.expects ? `  [expects ${m.expects.type}${m.expects.slot ? `:${m.expects.slot}` : ''}]` : ''}`;
    if (trace) console.log(`${tag} --- conversation ${s.id}\n${replies.map(show).join('\n')}`);
    // Open loop: message k of this conversation is due at first + k × interval, whatever happened before.
    const interval = opts.rate > 0 ? (opts.conversations / opts.rate) * 1000 : 0;
    let due = performance.now() + Math.random() * interval;
    while (phase.state !== 'stop') {
      const { text, kind } = s.pet.next(replies);
      const body = JSON.stringify({ text, clientMessageId: randomUUID() });
      if (interval) {
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        if ((phase.state as Phase['state']) === 'stop') break; // it may have ended while waiting
      }
      const sent = performance.now();
      const t0 = interval ? Math.min(due, sent) : sent;
      due += interval;
      const r = await client.request('POST', s.path, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        authorization: s.auth,
        'x-forwarded-for': s.ip,
      }, body);
      const t1 = performance.now();
      const measuring = phase.state === 'measure';
      if (r.status === 200) {
        replies = (JSON.parse(r.body) as { messages: BotMessage[] }).messages;
        messagesTotal++;
        let filed = 0;
        for (const m of replies) if (m.caseRef) filed++;
        casesTotal += filed;
        if (measuring) {
          rec.ok(t1 - t0, kind);
          casesInWindow += filed;
        }
        if (trace && exchanges++ < opts.trace) {
          console.log(`${tag} you: ${text}\n${replies.map(show).join('\n')}`);
        }
      } else {
        if (measuring) rec.error(r.status, r.body);
        if (trace) console.log(`${tag} you: ${text}\n${tag} !! ${r.status} ${r.body.slice(0, 200)}`);
        // As a browser would, wait a moment and carry on; the petitioner will answer the same question.
        await sleep(50);
      }
    }
  };

  const opened = await Promise.all(Array.from({ length: opts.conversations }, (_, i) => open(i)));
  const sessions = opened.filter((s): s is Session => s !== null);
  if (sessions.length === 0) throw new Error(`no web chat session could be opened: ${JSON.stringify([...sessionRec.errorsByStatus])}\n${hub.tail()}`);
  const conversations = sessions.map((s, i) => converse(s, opts.trace > 0 && i < 2));
  const cpu = await window(phase, rec, hub, opts.warmup, opts.seconds);
  await Promise.all(conversations);
  client.close();
  return {
    rec,
    seconds: phase.seconds,
    cpu,
    latency: rec.summary(),
    sessions: sessionRec.summary(),
    sessionErrors: sessionRec.errors,
    sessionsOpen: sessions.length,
    casesInWindow,
    casesTotal,
    messagesTotal,
    byKind: KINDS.map((kind) => ({ kind, latency: rec.summary(KIND[kind]) })),
  };
}

interface Report {
  opts: Options;
  /** What the hub ran on, as the report names it. */
  database: string;
  machine: Machine;
  hub: { readySeconds: number; idleRssMiB: number; peakRssMiB: number; cpuSeconds: number };
  baseline: PhaseResult | null;
  load: LoadResult;
}

const KIND_LABEL: Record<string, string> = {
  story: 'first message (the story, long)',
  detail: 'answer to a detail question',
  confirm: '"yes" to the summary (files the case)',
  followUp: 'after filing (additions, status, new matter)',
  other: 'other (unclear turns, choices)',
};

/** The options of this run that differ from the defaults, as they would be typed again. */
function reproduceArgs(opts: Options): string {
  const flags: Record<keyof typeof DEFAULTS, string> = {
    conversations: '--conversations',
    rate: '--rate',
    processes: '--processes',
    seconds: '--seconds',
    warmup: '--warmup',
    baselineSeconds: '--baseline-seconds',
    seed: '--seed',
  };
  return (Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[])
    .filter((key) => opts[key] !== DEFAULTS[key])
    .map((key) => `${flags[key]} ${opts[key]} `)
    .join('')
    .concat(opts.database ? `--database ${shownUrl(opts.database)} ` : '')
    .concat(opts.hubCpus ? `--hub-cpus ${opts.hubCpus} ` : '')
    .concat(opts.compare ? `--compare ${opts.compare} ` : '')
    .concat(opts.nodeArgs.length ? `--node-args="${opts.nodeArgs.join(' ')}" ` : '');
}

/** A database URL without its password, to print. */
function shownUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

function verdict(r: Report): string {
  const rate = r.load.rec.count / r.load.seconds;
  const p99 = r.load.latency.p99;
  const c = r.opts.conversations;
  const target = `the target of ≥ ${fmt.int(TARGET.rate)} messages/s with p99 < ${TARGET.p99} ms at ${TARGET.conversations} concurrent conversations`;
  const at = c === TARGET.conversations ? '' : ` (this run used ${c} conversations, not ${TARGET.conversations})`;
  const base = r.baseline && r.baseline.rec.count ? r.baseline.rec.count / r.baseline.seconds : NaN;
  const ceiling = Number.isFinite(base)
    ? `, against ${fmt.rate(base)} requests/s for GET /healthz through the same HTTP stack`
    : '';
  const errors = r.load.rec.errors ? `, with ${fmt.int(r.load.rec.errors)} errors` : '';
  if (!r.opts.rate) {
    // A closed loop runs the hub flat out, so its latency is queueing by design: it answers the throughput half only.
    const enough = rate >= TARGET.rate ? 'enough' : `${Math.round((rate / TARGET.rate) * 100)} % of it`;
    return (
      `Closed loop: ${fmt.rate(rate)} messages/s against the target's ${fmt.int(TARGET.rate)} (${enough})${at}${errors}${ceiling}. ` +
      'Latency here is queueing at saturation; the p99 half of the target is judged at a steady 1,000 messages/s (`--rate 1000`).'
    );
  }
  if (rate >= TARGET.rate && p99 < TARGET.p99 && !r.load.rec.errors) {
    return `Meets ${target}${at}: ${fmt.rate(rate)} messages/s with p99 ${fmt.ms(p99)}${ceiling}.`;
  }
  const misses = [
    rate < TARGET.rate ? `throughput is ${fmt.rate(rate)} messages/s (${Math.round((rate / TARGET.rate) * 100)} % of the target)` : `throughput is ${fmt.rate(rate)} messages/s (enough)`,
    p99 >= TARGET.p99 ? `p99 is ${fmt.ms(p99)} (${(p99 / TARGET.p99).toFixed(1)}× the limit)` : `p99 is ${fmt.ms(p99)} (within the limit)`,
  ];
  return `Does not meet ${target}${at}: ${misses.join(' and ')}${errors}${ceiling}.`;
}

function render(r: Report): string {
  const { load, baseline, opts, machine: m } = r;
  const col = (p: PhaseResult | null, f: (p: PhaseResult) => string) => (p && p.rec.count + p.rec.errors > 0 ? f(p) : '–');
  const rows: [string, (p: PhaseResult) => string, (p: LoadResult) => string][] = [
    ['concurrent clients', () => `${opts.conversations} connections`, () => `${load.sessionsOpen} conversations`],
    ['measured for', (p) => fmt.s(p.seconds), (p) => fmt.s(p.seconds)],
    ['completed (200)', (p) => `${fmt.int(p.rec.count)} requests`, (p) => `${fmt.int(p.rec.count)} messages`],
    ['per second', (p) => `**${fmt.rate(p.rec.count / p.seconds)}** requests/s`, (p) => `**${fmt.rate(p.rec.count / p.seconds)}** messages/s`],
    ['latency p50', (p) => fmt.ms(p.latency.p50), (p) => fmt.ms(p.latency.p50)],
    ['latency p90', (p) => fmt.ms(p.latency.p90), (p) => fmt.ms(p.latency.p90)],
    ['latency p99', (p) => `**${fmt.ms(p.latency.p99)}**`, (p) => `**${fmt.ms(p.latency.p99)}**`],
    ['latency max', (p) => fmt.ms(p.latency.max), (p) => fmt.ms(p.latency.max)],
    ['errors (non-200)', (p) => errors(p.rec), (p) => errors(p.rec)],
    ['cases filed', () => '–', (p) => fmt.int(p.casesInWindow)],
    ['hub CPU (cores busy)', (p) => (p.cpu.hub / p.seconds).toFixed(2), (p) => (p.cpu.hub / p.seconds).toFixed(2)],
    ['hub CPU per request', (p) => fmt.ms((p.cpu.hub * 1000) / Math.max(1, p.rec.count)), (p) => fmt.ms((p.cpu.hub * 1000) / Math.max(1, p.rec.count))],
    ['hub main thread: on CPU / waiting for a CPU / neither', main3, main3],
    ['bench client CPU (cores busy)', (p) => (p.cpu.client / p.seconds).toFixed(2), (p) => (p.cpu.client / p.seconds).toFixed(2)],
    ['other processes on the machine (cores busy)', others, others],
    ...(load.cpu.db
      ? ([
          ['PostgreSQL round trips per request', (p) => perRequest(p, (d) => d.roundTrips.toFixed(2)), (p) => perRequest(p, (d) => d.roundTrips.toFixed(2))],
          ['waiting on PostgreSQL per request (answers / a pool connection)', (p) => perRequest(p, waits), (p) => perRequest(p, waits)],
        ] as typeof rows)
      : []),
  ];
  const main = table(
    ['', 'Baseline: `GET /healthz`', 'Web chat conversations'],
    rows.map(([label, b, c]) => [label, col(baseline, b), c(load)]),
  );
  const kinds = table(
    ['message', 'count', 'share', 'p50', 'p90', 'p99', 'max'],
    load.byKind
      .filter((k) => k.latency.n > 0)
      .map((k) => [
        KIND_LABEL[k.kind],
        fmt.int(k.latency.n),
        fmt.pct(k.latency.n / Math.max(1, load.rec.count)),
        fmt.ms(k.latency.p50),
        fmt.ms(k.latency.p90),
        fmt.ms(k.latency.p99),
        fmt.ms(k.latency.max),
      ]),
  );
  const p = (...sentences: string[]) => sentences.join(' ');
  const cpuPerMessage = (load.cpu.hub * 1000) / Math.max(1, load.rec.count);
  const mainPerMessage = (load.cpu.mainOnCpu * 1000) / Math.max(1, load.rec.count);
  return [
    p(
      `Run on ${m.date}: ${m.cpus} CPUs (${m.cpuModel}), ${m.ramGiB.toFixed(1)} GiB RAM, Node ${m.node};`,
      `load average ${m.load.toFixed(2)} when it began.`,
      'The benchmark client runs on the same machine and competes with the hub for the CPUs, as may other work',
      '(see "other processes" below).',
    ),
    p(
      `Parameters: ${opts.conversations} concurrent conversations (half zh-CN, half en), ${opts.warmup} s warm-up, ${opts.seconds} s measured;`,
      `baseline ${opts.baselineSeconds ? `${opts.baselineSeconds} s` : 'skipped'} with the same client and concurrency; seed ${opts.seed}.`,
      `The hub runs as \`${opts.hubCpus ? `taskset -c ${opts.hubCpus} ` : ''}node ${[...opts.nodeArgs, ...startArgs(ROOT)].join(' ')}\` (\`npm start\`'s command) on ${r.database}, \`LOG_LEVEL=warn\`,`,
      `\`WEBCHAT_RATE_LIMIT=100000\`, \`HUB_PROCESSES=${opts.processes}\`, ${threadSettings()} and the NLU model cached in \`data/models\`.`,
      'Each conversation opens a session (`POST /api/webchat/sessions`, with its own `X-Forwarded-For` address as',
      'behind a reverse proxy), then sends one message at a time and waits for the reply, as a browser does: a long',
      'first message telling the problem, short answers to whatever the bot asks (`expects.slot`), "yes" to the',
      'summary, then additions, status questions and now and then a new matter.',
      opts.rate > 0
        ? `Offered load: ${fmt.int(opts.rate)} messages/s in all, each conversation sending a message every ${fmt.ms((opts.conversations / opts.rate) * 1000)} (open loop): latency is measured from the time the message was due to the end of the response, so a reply that comes late also counts against the messages that had to wait for it.`
        : 'Closed loop: each conversation sends its next message as soon as the reply comes, so this measures the most the hub can answer; latency is then mostly queueing (p50 ≈ conversations ÷ throughput).',
      'Latency is measured by the client; requests that complete inside the measured window count.',
      `Reproduce with \`npm run bench -- ${reproduceArgs(opts)}--write\`; add \`--profile DIR\` to get a CPU profile of the hub.`,
    ),
    main,
    p(
      "A hub process's main thread runs HTTP, the dialogue and the turn's reads; understanding and the turn's",
      'commit run there too, or on the NLU and SQLite writer threads when they are on, and the rest of "hub CPU"',
      'is those threads, the checkpoint thread and V8\'s own. "neither" is time the main thread was blocked or had',
      `nothing to do${opts.processes > 1 ? ` (summed over the ${opts.processes} processes, so it can exceed 100 %)` : ''}.`,
      `At ${fmt.ms(cpuPerMessage)} of hub CPU per message (${fmt.ms(mainPerMessage)} on main threads),`,
      `${opts.processes > 1 ? `${opts.processes} fully busy main threads answer` : 'one fully busy main thread answers'} at most about ${fmt.rate((1000 * opts.processes) / mainPerMessage)} messages/s, whatever the concurrency.`,
    ),
    p(
      `Hub process: peak RSS (VmHWM) ${fmt.int(r.hub.peakRssMiB)} MiB (${fmt.int(r.hub.idleRssMiB)} MiB when ready),`,
      `${r.hub.cpuSeconds.toFixed(1)} s CPU in total, ready ${fmt.s(r.hub.readySeconds)} after start.`,
      `Opening the ${load.sessionsOpen} sessions at once: p50 ${fmt.ms(load.sessions.p50)}, p99 ${fmt.ms(load.sessions.p99)}${load.sessionErrors ? `, ${load.sessionErrors} refused` : ''}.`,
      `Over the whole run (warm-up included) ${fmt.int(load.messagesTotal)} messages were answered and ${fmt.int(load.casesTotal)} cases filed.`,
    ),
    'Latency by kind of message (measured window):',
    kinds,
    verdict(r),
  ].join('\n\n') + '\n';
}

/** A PostgreSQL figure divided by the requests answered in the window. */
function perRequest(p: PhaseResult, show: (d: DbTraffic) => string): string {
  const d = p.cpu.db;
  if (!d) return '–';
  const n = Math.max(1, p.rec.count);
  return show({ roundTrips: d.roundTrips / n, waitSeconds: d.waitSeconds / n, poolWaitSeconds: d.poolWaitSeconds / n });
}

const waits = (d: DbTraffic) => `${fmt.ms(d.waitSeconds * 1000)} / ${fmt.ms(d.poolWaitSeconds * 1000)}`;

function others(p: PhaseResult): string {
  return Number.isFinite(p.cpu.others) ? (p.cpu.others / p.seconds).toFixed(2) : '–';
}

function main3(p: PhaseResult): string {
  const { mainOnCpu, mainWaiting } = p.cpu;
  if (!Number.isFinite(mainOnCpu)) return '–';
  const rest = Math.max(0, p.seconds - mainOnCpu - mainWaiting);
  return [mainOnCpu, mainWaiting, rest].map((v) => fmt.pct(v / p.seconds)).join(' / ');
}

function errors(rec: Recorder): string {
  if (!rec.errors) return '0';
  const why = [...rec.failures].map(([reason, n]) => `${n}× ${reason}`).join(', ');
  const parts = [...rec.errorsByStatus].map(([status, n]) => `${n}× ${status === 0 ? `no response: ${why}` : status}`);
  return `${fmt.int(rec.errors)} (${parts.join(', ')})`;
}

let hub: HubProcess | null = null;
let database: BenchDatabase | null = null;

interface Measured {
  hub: Report['hub'];
  baseline: PhaseResult | null;
  load: LoadResult;
  database: BenchDatabase;
}

/** One hub (this checkout's, or an earlier commit's under `root`) on a fresh database, measured. */
async function measure(root: string, opts: Options): Promise<Measured> {
  const modelDir = join(ROOT, 'data', 'models');
  const nodeArgs = [...opts.nodeArgs, ...(opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${opts.profile}`] : [])];
  database = await benchDatabase(opts.database);
  console.error(`bench: starting the hub${root === ROOT ? '' : ` of ${root}`} on ${database.label}…`);
  hub = await startHubProcess({
    root,
    modelDir,
    rateLimit: 100_000,
    readyTimeoutMs: 300_000,
    nodeArgs,
    processes: opts.processes,
    databaseUrl: database.url,
    pinTo: opts.hubCpus,
  });
  const idleRssMiB = memoryMiB(hub.pid, 'VmRSS');
  const printedAtReady = hub.printed();
  console.error(`bench: hub ready in ${hub.readySeconds.toFixed(1)} s (pid ${hub.pid}, ${hub.url})`);

  let baseline: PhaseResult | null = null;
  if (opts.baselineSeconds > 0) {
    console.error(`bench: baseline, ${opts.conversations} connections on GET /healthz for ${opts.baselineSeconds} s…`);
    baseline = await runBaseline(hub, opts);
  }
  console.error(`bench: ${opts.conversations} conversations, ${opts.warmup} s warm-up + ${opts.seconds} s…`);
  const load = await runConversations(hub, opts);
  if (!hub.alive()) throw new Error(`the hub died during the run:\n${hub.tail()}`);

  const said = hub.printed() - printedAtReady;
  if (said > 0) console.error(`bench: the hub printed ${said} lines during the run (LOG_LEVEL=warn); the last ones:\n${hub.tail().split('\n').slice(-Math.min(said, 8)).join('\n')}`);
  const stats = { readySeconds: hub.readySeconds, idleRssMiB, peakRssMiB: memoryMiB(hub.pid, 'VmHWM'), cpuSeconds: cpuSeconds(hub.pid) };
  await hub.stop();
  hub = null;
  await database.drop();
  return { hub: stats, baseline, load, database };
}

/** This checkout against an earlier commit, run for run, under the same load (--compare). */
function comparison(opts: Options, head: Measured, before: Measured, base: Baseline): string {
  const col = (m: Measured) => {
    const l = m.load;
    const per = (f: (d: DbTraffic) => string) => perRequest(l, f);
    return [
      `**${fmt.rate(l.rec.count / l.seconds)}**`,
      fmt.ms(l.latency.p50),
      fmt.ms(l.latency.p99),
      fmt.int(l.rec.errors),
      fmt.ms((l.cpu.hub * 1000) / Math.max(1, l.rec.count)),
      others(l),
      per((d) => d.roundTrips.toFixed(2)),
      per(waits),
      `${fmt.int(m.hub.idleRssMiB)} / ${fmt.int(m.hub.peakRssMiB)} MiB`,
    ];
  };
  const labels = [
    'messages/s',
    'latency p50',
    'latency p99',
    'errors',
    'hub CPU per message',
    'other processes (cores busy)',
    'PostgreSQL round trips per message',
    'waiting on PostgreSQL per message (answers / a connection)',
    'RSS ready / peak',
  ];
  const now = col(head);
  const then = col(before);
  return [
    `Side by side in one run, same load and options: this checkout, then \`${base.ref}\` (${base.commit.slice(0, 7)}) from \`git archive\` with the same packages, each on its own fresh database${opts.processes > 1 ? `, ${opts.processes} processes` : ''}. "–": the earlier hub does not report it.`,
    table(['', 'this checkout', `\`${base.ref}\``], labels.map((label, i) => [label, now[i], then[i]])),
  ].join('\n\n');
}

async function main(): Promise<number> {
  const opts = options();
  const host = machine();
  const modelDir = join(ROOT, 'data', 'models');
  if (!existsSync(modelDir)) console.error(`note: ${modelDir} does not exist yet; the hub will train the NLU model first`);
  const runs = opts.compare ? 2 : 1;
  const budgetS = runs * (300 + opts.baselineSeconds + opts.warmup * 2 + opts.seconds + (opts.timeoutMs / 1000) * 2 + 60);
  setTimeout(() => {
    console.error(`bench: gave up after ${budgetS} s`);
    hub?.killNow();
    process.exit(1);
  }, budgetS * 1000).unref();

  const head = await measure(ROOT, opts);
  let report = render({ opts, database: head.database.label, machine: host, hub: head.hub, baseline: head.baseline, load: head.load });
  if (opts.compare) {
    const base = checkoutBaseline(ROOT, opts.compare);
    try {
      const before = await measure(base.dir, { ...opts, baselineSeconds: 0 });
      report += `\n${comparison(opts, head, before, base)}\n`;
    } finally {
      base.remove();
    }
  }
  console.log(`\n${report}`);
  if (opts.write) {
    const heading = `${opts.rate > 0 ? '## Web chat at a steady rate' : '## Web chat throughput'}${head.database.provider === 'postgresql' ? ' on PostgreSQL' : ''}${opts.processes > 1 ? `, ${opts.processes} processes` : ''}${opts.hubCpus ? `, hub on CPU ${opts.hubCpus}` : ''}`;
    writeSection(DOC, report, heading);
    console.error(`bench: wrote "${heading}" in ${DOC}`);
  }
  return 0;
}

const bail = (signal: NodeJS.Signals) => {
  console.error(`bench: ${signal}, stopping the hub`);
  hub?.killNow();
  // The scratch database goes too; the hub's connections were killed with it.
  void Promise.resolve(database?.drop())
    .catch(() => undefined)
    .finally(() => process.exit(130));
};
process.once('SIGINT', bail);
process.once('SIGTERM', bail);
process.once('exit', () => hub?.killNow());

finish(main(), 'bench', USAGE, async () => {
  await hub?.stop(2000).catch(() => hub?.killNow());
  await database?.drop().catch(() => undefined);
});
