/**
 * Conversation quality: `npm run bench:conversations [-- --verbose --out results.json]`.
 *
 * Plays the scripted petitioners of test/scenarios/*.json (README.md there) through the web chat API
 * and prints one line per scenario and the summary line (`SCENARIOS filed F/N category C/N …`).
 * Without --url it starts the hub as a user would (`npm start`'s node command, fresh SQLite file,
 * free loopback port, ADMIN_TOKEN set, web chat rate limits high enough for one session per
 * scenario) and stops it at the end. With --baseline REF it first plays the same scenarios against
 * the hub as it was at REF (checked out beside this one, started the same way) and prints both
 * summaries. Exits 0 whatever the numbers (the caller judges them);
 * test/scenarios/conversation-quality.test.ts holds the targets.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { abandonHubs, measureHubs, refName, ROOT, type MeasuredHub } from './measured-hubs.js';
import { machine, table, writeSection } from './lib-report.js';
import { finish, helpAsked, numberOption, UsageError } from './lib-args.js';
import {
  loadScenarios,
  onlyFromEnv,
  playScenarios,
  scenarioFiles,
  scenarioLine,
  summarize,
  summaryLine,
  transcriptLines,
  type Scenario,
  type Summary,
} from '../test/scenarios/player.js';


const USAGE = `Usage: npm run bench:conversations -- [options] [FILE.json ...]
  --url URL            play against a running hub (default: start one on a fresh SQLite database)
  --baseline REF       also play against the hub at git commit REF, first, and print both summaries
  --admin-token T      that hub's ADMIN_TOKEN, to read the filed cases (default: $ADMIN_TOKEN)
  --files FILE.json    scenario files to play (repeatable; default: every *.json in test/scenarios/)
  --only ID,ID         only these scenarios (also: ONLY=ID,ID in the environment)
  --verbose            print each conversation under its line
  --out FILE           write the summary and the per-scenario results (with transcripts) as JSON
  --write              put the figures in docs/benchmarks.md ("## Conversation quality"), per
                       scenario file and in all, beside the baseline's when --baseline is given
  --timeout-ms N       per request (default 20000)`;

interface Options {
  url?: string;
  baseline?: string;
  adminToken?: string;
  files: string[];
  only?: string[];
  verbose: boolean;
  out?: string;
  write: boolean;
  timeoutMs: number;
}

function options(): Options {
  const { values, positionals } = parseArgs({
    options: {
      url: { type: 'string' },
      baseline: { type: 'string' },
      'admin-token': { type: 'string' },
      files: { type: 'string', multiple: true },
      only: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      out: { type: 'string' },
      write: { type: 'boolean', default: false },
      'timeout-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  helpAsked(values.help, USAGE);
  const files = [...(values.files ?? []), ...positionals].map((f) => resolve(f));
  for (const f of files) if (!existsSync(f)) throw new UsageError(`no such file: ${f}`);
  const adminToken = values['admin-token'] ?? (values.url ? process.env.ADMIN_TOKEN : undefined);
  if (values.url && !adminToken) throw new UsageError('--url needs --admin-token (or ADMIN_TOKEN in the environment) to read the filed cases');
  if (!values.url && values['admin-token']) throw new UsageError('--admin-token goes with --url');
  if (values.url && values.baseline) throw new UsageError('--baseline starts its own hubs; it does not go with --url');
  const timeoutMs = numberOption('timeout-ms', values['timeout-ms'], 20_000, 100, 600_000);
  return {
    url: values.url,
    baseline: values.baseline,
    adminToken,
    files: files.length ? files : scenarioFiles(),
    only: values.only ? values.only.split(',') : onlyFromEnv(),
    verbose: values.verbose ?? false,
    out: values.out ? resolve(values.out) : undefined,
    write: values.write ?? false,
    timeoutMs,
  };
}

/** Plays every scenario against one hub; returns the summary line and the report. */
async function play(opts: Options, scenarios: ReturnType<typeof loadScenarios>, hub: MeasuredHub) {
  const printedAtReady = hub.process?.printed() ?? 0;
  const started = performance.now();
  const report = await playScenarios(scenarios, {
    url: hub.url,
    adminToken: hub.adminToken,
    only: opts.only,
    timeoutMs: opts.timeoutMs,
    onResult: (r) => {
      console.log(scenarioLine(r));
      if (opts.verbose) for (const line of transcriptLines(r)) console.log(line);
    },
  });
  const line = summaryLine(report.summary);
  console.log(line);
  log(`${hub.label} played in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const p = hub.process;
  if (p && !p.alive()) log(`${hub.label} died during the run:\n${p.tail()}`);
  else if (p && p.printed() > printedAtReady) {
    const said = p.printed() - printedAtReady;
    log(`${hub.label} printed ${said} lines during the run (LOG_LEVEL=warn); the last ones:\n${p.tail().split('\n').slice(-Math.min(said, 8)).join('\n')}`);
  }
  return { url: hub.url, line, report };
}

const log = (line: string) => console.error(`conversations: ${line}`);

type Report = Awaited<ReturnType<typeof play>>['report'];

/** The rows of one summary, as table cells. */
function figures(s: Summary): string[] {
  const of = (n: number, d: number) => `${n}/${d}`;
  return [
    of(s.filed, s.scenarios),
    of(s.categoryRight, s.scenarios),
    of(s.detailsRight, s.filed),
    of(s.confirmed, s.routine),
    String(s.repeats),
    of(s.empathy, s.empathyDue),
    String(s.medianQuestions),
    of(s.emergencies, s.emergencyScenarios),
    String(s.loops),
    `${Math.round(s.turnP50Ms)} / ${Math.round(s.turnP99Ms)} ms`,
  ];
}

const ROWS = [
  'filed (emergencies escalated)',
  'category right',
  'details right (of those filed)',
  'summary confirmed (of the non-emergencies)',
  'repeated questions',
  'empathy when due',
  'median questions per petition',
  'emergencies answered with the numbers',
  'loops',
  'turn p50 / p99',
];

/** The "Conversation quality" section: per scenario file and in all, this hub beside the baseline. */
function qualityReport(opts: Options, scenarios: Scenario[], now: Report, before: { report: Report; ref: string; commit: string } | null): string {
  const m = machine();
  const byFile = opts.files.map((file) => {
    const ids = new Set(loadScenarios([file]).map((s) => s.id));
    const part = (r: Report) => {
      const keep = r.results.map((res, i) => [res, r.scenarios[i]] as const).filter(([res]) => ids.has(res.id));
      return summarize(keep.map(([, sc]) => sc), keep.map(([res]) => res));
    };
    return { name: file.replace(`${ROOT}/`, ''), now: part(now), before: before ? part(before.report) : null };
  });
  const columns = byFile.flatMap((f) => (f.before ? [[`${f.name}: baseline`, f.before], [`${f.name}: this hub`, f.now]] : [[f.name, f.now]]) as [string, Summary][]);
  if (byFile.length > 1) columns.push(...((before ? [['all: baseline', before.report.summary], ['all: this hub', now.summary]] : [['all', now.summary]]) as [string, Summary][]));
  const header = ['', ...columns.map(([name]) => name)];
  const cells = columns.map(([, s]) => figures(s));
  const rows = ROWS.map((label, i) => [label, ...cells.map((c) => c[i])]);
  const baselineLine = before ? ` Baseline: the hub at ${refName(before.ref, before.commit)}, started the same way on its own fresh database, played first in the same run.` : '';
  return [
    `Run on ${m.date}: ${m.cpus} CPUs (${m.cpuModel}), ${m.ramGiB.toFixed(1)} GiB RAM, Node ${m.node}; load average ${m.load.toFixed(2)} when it began.`,
    '',
    `${scenarios.length} scripted petitioners (zh, traditional zh, en; long and piecemeal stories, replies that do not answer, questions back, corrections, declines, quiet and angry distress, emergencies) played through the web chat API of the hub as \`npm start\` runs it, on a fresh SQLite file, by the rules of \`test/scenarios/README.md\`.${baselineLine} Reproduce with \`npm run bench:conversations -- ${before ? `--baseline ${before.ref} ` : ''}--write\`; \`test/scenarios/conversation-quality.test.ts\` fails below the targets (100 % filed, category ≥ 90 %, details ≥ 95 %, no repeated question, no loop, empathy every time, median ≤ 4 questions).`,
    '',
    table(header, rows),
  ].join('\n');
}

async function main(): Promise<number> {
  const opts = options();
  const scenarios = loadScenarios(opts.files);
  const count = opts.only ? scenarios.filter((s) => opts.only?.includes(s.id)).length : scenarios.length;
  log(`${count} scenarios from ${opts.files.map((f) => f.replace(`${ROOT}/`, '')).join(', ')}`);
  const given = opts.url ? { url: opts.url, adminToken: opts.adminToken ?? '' } : undefined;
  const { baseline, current } = await measureHubs({ baseline: opts.baseline, given }, log, (hub) => play(opts, scenarios, hub));
  if (baseline) {
    console.log(`baseline ${baseline.line}`);
    console.log(`this     ${current.line}`);
  }
  if (opts.write) {
    const doc = join(ROOT, 'docs', 'benchmarks.md');
    writeSection(doc, qualityReport(opts, scenarios, current.report, baseline), '## Conversation quality');
    log(`wrote ${doc}`);
  }
  if (opts.out) {
    const results = { url: current.url, files: opts.files, summary: current.report.summary, summaryLine: current.line, results: current.report.results };
    const withBaseline = baseline
      ? { ...results, baseline: { ref: baseline.ref, commit: baseline.commit, summary: baseline.report.summary, summaryLine: baseline.line, results: baseline.report.results } }
      : results;
    writeFileSync(opts.out, JSON.stringify(withBaseline, null, 1) + '\n');
    log(`wrote ${opts.out}`);
  }
  return 0;
}

const bail = (signal: NodeJS.Signals) => {
  log(`${signal}, stopping the hub`);
  abandonHubs();
  process.exit(130);
};
process.once('SIGINT', bail);
process.once('SIGTERM', bail);
process.once('exit', abandonHubs);

finish(main(), 'conversations', USAGE, abandonHubs);
