/**
 * Memory against open conversations: `npm run bench:memory [-- --steps 0,1000,5000,10000 --baseline HEAD --write]`.
 *
 * Starts the hub as a user would (`npm start`'s node command, fresh SQLite file, free loopback port),
 * reads its resident set when ready, then opens web chat conversations (a session and the
 * petitioner's first message, the story, in each) up to each step and reads it again. With
 * --baseline REF the hub at that commit is measured first, the same way, one hub at a time. Prints
 * a Markdown table; with --write puts it in docs/benchmarks.md under "## Memory against open conversations".
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startArgs } from '../scripts/start-command.js';
import { memoryMiB, startHubProcess, type HubProcess } from './lib-hub.js';
import { HttpClient, sleep } from './lib-http.js';
import { Petitioner, type Locale } from './lib-petitioner.js';
import { fmt, machine, table, writeSection } from './lib-report.js';
import { checkoutBaseline, type Baseline } from './baseline-checkout.js';
import { refName } from './measured-hubs.js';
import { finish, helpAsked, numberOption, UsageError } from './lib-args.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOC = join(ROOT, 'docs', 'benchmarks.md');
const HEADING = '## Memory against open conversations';
/** The issue's targets: resident set when ready, and with 10,000 open conversations. */
const TARGET = { ready: 300, open: 400, conversations: 10_000 };
/** How long the hub is left idle before a reading, so that what a burst allocated can be collected. */
const SETTLE_MS = 3000;

const USAGE = `Usage: npm run bench:memory -- [options]
  --steps LIST        open conversations at which to read memory (default 0,1000,5000,10000)
  --concurrency N     conversations opened at once (default 32)
  --baseline REF      measure the hub at this commit first (git archive into a temporary folder)
  --idle N            also read memory after N s idle at each step, once the hub has given back what it
                      no longer uses (each thread collects after 6 s of quiet following work; default 0: off)
  --node-args "A B"   extra options for the hubs' node
  --write             put the table in docs/benchmarks.md ("${HEADING}")`;

interface Options {
  steps: number[];
  concurrency: number;
  baseline?: string;
  idleSeconds: number;
  nodeArgs: string[];
  write: boolean;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      steps: { type: 'string' },
      concurrency: { type: 'string' },
      baseline: { type: 'string' },
      idle: { type: 'string' },
      'node-args': { type: 'string' },
      write: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  helpAsked(values.help, USAGE);
  const steps = (values.steps ?? '0,1000,5000,10000').split(',').map(Number);
  if (!steps.every((s, i) => Number.isInteger(s) && s >= 0 && s <= 100_000 && (i === 0 || s > steps[i - 1]))) {
    throw new UsageError('--steps takes increasing whole numbers up to 100000, e.g. 0,1000,5000,10000');
  }
  const concurrency = numberOption('concurrency', values.concurrency, 32, 1, 1000, true);
  const idleSeconds = numberOption('idle', values.idle, 0, 0, 600, true);
  return { steps, concurrency, baseline: values.baseline, idleSeconds, nodeArgs: (values['node-args'] ?? '').split(/\s+/).filter(Boolean), write: values.write ?? false };
}

interface Reading {
  open: number;
  rssMiB: number;
  /** After --idle seconds more, when asked for. */
  idleMiB?: number;
  peakMiB: number;
  /** Conversations opened per second on the way to this step (session + first message). */
  openedPerSecond: number;
}

interface Run {
  label: string;
  readySeconds: number;
  readings: Reading[];
  failed: number;
}

// Each browser has its own address behind the hub's reverse proxy (the hub trusts X-Forwarded-For
// from loopback), as in bench/webchat.ts.
const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** Opens conversation i: a session, and the story as its first message. False if the hub refused either. */
async function openConversation(client: HttpClient, i: number): Promise<boolean> {
  const locale: Locale = i % 2 === 0 ? 'zh-CN' : 'en';
  const ip = ipOf(i);
  const body = JSON.stringify({ locale });
  const s = await client.request('POST', '/api/webchat/sessions', { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-forwarded-for': ip }, body);
  if (s.status !== 201) return false;
  const { sessionId, token } = JSON.parse(s.body) as { sessionId: string; token: string };
  const message = JSON.stringify({ text: new Petitioner(locale, i).story(), clientMessageId: randomUUID() });
  const r = await client.request(
    'POST',
    `/api/webchat/sessions/${encodeURIComponent(sessionId)}/messages`,
    { 'content-type': 'application/json', 'content-length': Buffer.byteLength(message), authorization: `Bearer ${token}`, 'x-forwarded-for': ip },
    message,
  );
  return r.status === 200;
}

let hub: HubProcess | null = null;
let checkout: Baseline | null = null;

async function measure(root: string, label: string, opts: Options): Promise<Run> {
  console.error(`bench:memory: starting ${label}…`);
  hub = await startHubProcess({
    root,
    // Models are cached by a hash of their corpus, so hubs of different commits can share the folder.
    modelDir: join(ROOT, 'data', 'models'),
    rateLimit: 1_000_000,
    readyTimeoutMs: 300_000,
    nodeArgs: opts.nodeArgs,
    env: { WEBCHAT_SESSION_RATE_LIMIT: '1000000' },
  });
  const { pid } = hub;
  console.error(`bench:memory: ${label} ready in ${hub.readySeconds.toFixed(1)} s (pid ${pid})`);
  const client = new HttpClient(hub.port, opts.concurrency, 60_000);
  const readings: Reading[] = [];
  let opened = 0;
  let failed = 0;
  for (const step of opts.steps) {
    const t0 = performance.now();
    const from = opened;
    let next = opened;
    const worker = async () => {
      while (next < step) {
        const i = next++;
        if (!(await openConversation(client, i))) failed++;
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    opened = step;
    const seconds = (performance.now() - t0) / 1000;
    await sleep(SETTLE_MS);
    if (!hub.alive()) throw new Error(`${label} died:\n${hub.tail()}`);
    const rssMiB = memoryMiB(pid, 'VmRSS');
    if (opts.idleSeconds) await sleep(opts.idleSeconds * 1000);
    const idleMiB = opts.idleSeconds ? memoryMiB(pid, 'VmRSS') : undefined;
    readings.push({ open: step, rssMiB, idleMiB, peakMiB: memoryMiB(pid, 'VmHWM'), openedPerSecond: step > from ? (step - from) / seconds : NaN });
    const idle = idleMiB === undefined ? '' : `, ${fmt.int(idleMiB)} MiB after ${opts.idleSeconds} s idle`;
    console.error(`bench:memory: ${label}, ${fmt.int(step)} open: RSS ${fmt.int(rssMiB)} MiB${idle}, peak ${fmt.int(memoryMiB(pid, 'VmHWM'))} MiB`);
  }
  client.close();
  const readySeconds = hub.readySeconds;
  await hub.stop();
  hub = null;
  return { label, readySeconds, readings, failed };
}

function render(runs: Run[], opts: Options): string {
  const m = machine();
  const idle = opts.idleSeconds ? [`after ${opts.idleSeconds} s idle`] : [];
  const header = ['open conversations', ...runs.flatMap((r) => [`${r.label}: RSS`, ...idle, 'peak (VmHWM)', 'opened/s'])];
  const rows = opts.steps.map((step, i) => [
    fmt.int(step),
    ...runs.flatMap((r) => {
      const x = r.readings[i];
      return [`**${fmt.int(x.rssMiB)} MiB**`, ...(opts.idleSeconds ? [`**${fmt.int(x.idleMiB ?? NaN)} MiB**`] : []), `${fmt.int(x.peakMiB)} MiB`, fmt.rate(x.openedPerSecond)];
    }),
  ]);
  const last = runs.at(-1) as Run;
  const atTarget = last.readings.find((r) => r.open === TARGET.conversations);
  const both = (r: Reading) => `${fmt.int(r.rssMiB)} MiB here${r.idleMiB === undefined ? '' : `, ${fmt.int(r.idleMiB)} MiB after ${opts.idleSeconds} s idle`}`;
  const verdict = [
    `Target: ≤ ${TARGET.ready} MiB when ready (${opts.steps[0] === 0 ? both(last.readings[0]) : 'not measured: the steps do not start at 0'})`,
    `and ≤ ${TARGET.open} MiB with ${fmt.int(TARGET.conversations)} open conversations (${atTarget ? both(atTarget) : 'not measured'}).`,
  ].join(' ');
  const threads = process.env.NLU_THREADS === undefined ? '`NLU_THREADS` unset (the default)' : `\`NLU_THREADS=${process.env.NLU_THREADS}\``;
  return [
    [
      `Run on ${m.date}: ${m.cpus} CPUs (${m.cpuModel}), ${m.ramGiB.toFixed(1)} GiB RAM, Node ${m.node}; load average ${m.load.toFixed(2)} when it began.`,
      `Each hub runs as \`node ${[...opts.nodeArgs, ...startArgs(ROOT)].join(' ')}\` (\`npm start\`'s command) on a fresh SQLite file, ${threads},`,
      'the models cached in `data/models`. RSS is VmRSS of the hub process and its children, read after the hub was left idle',
      `${SETTLE_MS / 1000} s; peak is VmHWM since start. A conversation is opened with \`POST /api/webchat/sessions\` (its own`,
      '`X-Forwarded-For` address) and the petitioner\'s first message, a long story in zh-CN or en, answered before the next opens',
      `(${opts.concurrency} at once). Conversations stay open: nothing closes or expires them during the run.`,
      runs.some((r) => r.failed) ? `Refused: ${runs.map((r) => `${r.label} ${r.failed}`).join(', ')}.` : '',
      opts.idleSeconds ? `The second reading of each step is taken after ${opts.idleSeconds} s more without traffic, once the hub's threads have handed back what they no longer use (each collects after 6 s of quiet following work; V8's own memory reducer takes a minute or more).` : '',
      `Reproduce with \`npm run bench:memory --${opts.baseline ? ` --baseline ${opts.baseline}` : ''}${opts.idleSeconds ? ` --idle ${opts.idleSeconds}` : ''} --write\`.`,
    ]
      .filter(Boolean)
      .join(' '),
    table(header, rows),
    verdict,
  ].join('\n\n');
}

async function main(): Promise<number> {
  const opts = options();
  if (!existsSync(join(ROOT, 'data', 'models'))) console.error('note: data/models does not exist yet; the hub will train its models first');
  const runs: Run[] = [];
  if (opts.baseline) {
    checkout = checkoutBaseline(ROOT, opts.baseline);
    runs.push(await measure(checkout.dir, `before, ${refName(opts.baseline, checkout.commit)}`, opts));
    checkout.remove();
    checkout = null;
  }
  runs.push(await measure(ROOT, opts.baseline ? 'this checkout' : 'hub', opts));
  const report = render(runs, opts);
  console.log(`\n${report}\n`);
  if (opts.write) {
    writeSection(DOC, report, HEADING);
    console.error(`bench:memory: wrote "${HEADING}" in ${DOC}`);
  }
  return 0;
}

const abandon = () => {
  hub?.killNow();
  checkout?.remove();
};
process.once('SIGINT', () => {
  abandon();
  process.exit(130);
});
process.once('SIGTERM', () => {
  abandon();
  process.exit(143);
});
process.once('exit', abandon);

finish(main(), 'bench:memory', USAGE, abandon);
