/**
 * Conversation quality: `npm run bench:conversations [-- --verbose --out results.json]`.
 *
 * Plays the scripted petitioners of test/scenarios/*.json (README.md there) through the web chat API
 * and prints one line per scenario and the summary line (`SCENARIOS filed F/N category C/N …`).
 * Without --url it starts the hub as a user would (`npm start`'s node command, fresh SQLite file,
 * free loopback port, ADMIN_TOKEN set, web chat rate limits high enough for one session per
 * scenario) and stops it at the end. Exits 0 whatever the numbers (the caller judges them);
 * test/scenarios/conversation-quality.test.ts holds the targets.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startHubProcess, type HubProcess } from './lib-hub.js';
import {
  loadScenarios,
  onlyFromEnv,
  playScenarios,
  scenarioFiles,
  scenarioLine,
  summaryLine,
  transcriptLines,
} from '../test/scenarios/player.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `Usage: npm run bench:conversations -- [options] [FILE.json ...]
  --url URL            play against a running hub (default: start one on a fresh SQLite database)
  --admin-token T      that hub's ADMIN_TOKEN, to read the filed cases (default: $ADMIN_TOKEN)
  --files FILE.json    scenario files to play (repeatable; default: every *.json in test/scenarios/)
  --only ID,ID         only these scenarios (also: ONLY=ID,ID in the environment)
  --verbose            print each conversation under its line
  --out FILE           write the summary and the per-scenario results (with transcripts) as JSON
  --timeout-ms N       per request (default 20000)`;

class UsageError extends Error {}

interface Options {
  url?: string;
  adminToken?: string;
  files: string[];
  only?: string[];
  verbose: boolean;
  out?: string;
  timeoutMs: number;
}

function options(): Options {
  const { values, positionals } = parseArgs({
    options: {
      url: { type: 'string' },
      'admin-token': { type: 'string' },
      files: { type: 'string', multiple: true },
      only: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      out: { type: 'string' },
      'timeout-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const files = [...(values.files ?? []), ...positionals].map((f) => resolve(f));
  for (const f of files) if (!existsSync(f)) throw new UsageError(`no such file: ${f}`);
  const adminToken = values['admin-token'] ?? (values.url ? process.env.ADMIN_TOKEN : undefined);
  if (values.url && !adminToken) throw new UsageError('--url needs --admin-token (or ADMIN_TOKEN in the environment) to read the filed cases');
  if (!values.url && values['admin-token']) throw new UsageError('--admin-token goes with --url');
  const timeoutMs = values['timeout-ms'] === undefined ? 20_000 : Number(values['timeout-ms']);
  if (!Number.isFinite(timeoutMs) || timeoutMs < 100) throw new UsageError('--timeout-ms must be a number ≥ 100');
  return {
    url: values.url,
    adminToken,
    files: files.length ? files : scenarioFiles(),
    only: values.only ? values.only.split(',') : onlyFromEnv(),
    verbose: values.verbose ?? false,
    out: values.out ? resolve(values.out) : undefined,
    timeoutMs,
  };
}

let hub: HubProcess | null = null;
let printedAtReady = 0;

async function main(): Promise<number> {
  const opts = options();
  const scenarios = loadScenarios(opts.files);
  let url = opts.url;
  let adminToken = opts.adminToken;
  if (!url) {
    adminToken = randomBytes(16).toString('hex');
    const modelDir = join(ROOT, 'data', 'models');
    if (!existsSync(modelDir)) console.error(`note: ${modelDir} does not exist yet; the hub will train the NLU model first`);
    console.error('conversations: starting the hub…');
    hub = await startHubProcess({
      root: ROOT,
      modelDir,
      rateLimit: 100_000,
      readyTimeoutMs: 300_000,
      env: { ADMIN_TOKEN: adminToken, WEBCHAT_SESSION_RATE_LIMIT: '100000' },
    });
    url = hub.url;
    printedAtReady = hub.printed();
    console.error(`conversations: hub ready in ${hub.readySeconds.toFixed(1)} s (pid ${hub.pid}, ${url})`);
  }
  const count = opts.only ? scenarios.filter((s) => opts.only?.includes(s.id)).length : scenarios.length;
  console.error(`conversations: ${count} scenarios from ${opts.files.map((f) => f.replace(`${ROOT}/`, '')).join(', ')}`);
  const started = performance.now();
  const report = await playScenarios(scenarios, {
    url,
    adminToken: adminToken ?? '',
    only: opts.only,
    timeoutMs: opts.timeoutMs,
    onResult: (r) => {
      console.log(scenarioLine(r));
      if (opts.verbose) for (const line of transcriptLines(r)) console.log(line);
    },
  });
  const line = summaryLine(report.summary);
  console.log(line);
  console.error(`conversations: played in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (hub && !hub.alive()) console.error(`conversations: the hub died during the run:\n${hub.tail()}`);
  else if (hub && hub.printed() > printedAtReady) {
    const said = hub.printed() - printedAtReady;
    console.error(`conversations: the hub printed ${said} lines during the run (LOG_LEVEL=warn); the last ones:\n${hub.tail().split('\n').slice(-Math.min(said, 8)).join('\n')}`);
  }
  if (opts.out) {
    writeFileSync(opts.out, JSON.stringify({ url, files: opts.files, summary: report.summary, summaryLine: line, results: report.results }, null, 1) + '\n');
    console.error(`conversations: wrote ${opts.out}`);
  }
  await hub?.stop();
  hub = null;
  return 0;
}

const bail = (signal: NodeJS.Signals) => {
  console.error(`conversations: ${signal}, stopping the hub`);
  hub?.killNow();
  process.exit(130);
};
process.once('SIGINT', bail);
process.once('SIGTERM', bail);
process.once('exit', () => hub?.killNow());

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    console.error(err instanceof UsageError ? `${err.message}\n\n${USAGE}` : `conversations failed: ${err instanceof Error ? err.message : String(err)}`);
    await hub?.stop(2000).catch(() => hub?.killNow());
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
