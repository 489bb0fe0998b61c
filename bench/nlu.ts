/**
 * Routing quality and cost, side by side in one run (`npm run bench:nlu [-- --write]`): the hub's
 * router (TF-IDF over character n-grams, words and jieba words, logistic regression, threshold by
 * cross-validation) against a stock nlp.js classifier trained on the same corpus with its own
 * tokenizers and defaults. Both are scored on held-out sets never used in training: long realistic
 * messages (intents/categories/eval/*-long.json) and the corpus's short test descriptions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerBootstrap } from '@nlpjs/core';
import { Nlp } from '@nlpjs/nlp';
import { LangZh } from '@nlpjs/lang-zh';
import { LangEn } from '@nlpjs/lang-en-min';
import type { Locale } from '../src/domain.js';
import { corpusExamples, loadCategoryCorpora } from '../src/nlu/category-classifier.js';
import { report, type Report, type Scored } from '../src/nlu/evaluation.js';
import { INTENTS_DIR } from '../src/nlu/nlu.js';
import { normalizeText } from '../src/nlu/normalize.js';
import { trainRouting } from '../src/nlu/routing-model.js';
import { estimateUrgency } from '../src/nlu/urgency.js';
import { fmt, machine, table, writeSection } from './lib-report.js';

interface EvalMessage {
  category: string;
  urgency?: string;
  text: string;
  locale: Locale;
  /** Position in its file. */
  index: number;
}

const LOCALES: Locale[] = ['zh-CN', 'en'];
const corpora = loadCategoryCorpora(INTENTS_DIR);
const train = corpusExamples(corpora);

function longSet(): EvalMessage[] {
  return LOCALES.flatMap((locale) => {
    const file = join(INTENTS_DIR, 'categories', 'eval', `${locale}-long.json`);
    if (!existsSync(file)) return [];
    const data = JSON.parse(readFileSync(file, 'utf8')) as { messages: Omit<EvalMessage, 'locale'>[] };
    return data.messages.map((m, index) => ({ ...m, locale, index }));
  });
}
const shortSet: EvalMessage[] = LOCALES.flatMap((locale) =>
  corpora[locale].categories.flatMap((c) => c.test.map((text, index) => ({ category: c.code, text, locale, index }))),
);
const sets = [
  { name: 'long messages', messages: longSet() },
  { name: 'short descriptions', messages: shortSet },
].filter((s) => s.messages.length);

interface System {
  name: string;
  trainSeconds: number;
  heapMiB: number;
  classify(m: EvalMessage): Promise<{ label: string; score: number; abstain: boolean }>;
}

function heapMiB(): number {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.external) / 2 ** 20;
}

async function hubRouter(): Promise<System> {
  const before = heapMiB();
  const t0 = performance.now();
  const routing = trainRouting(train);
  const trainSeconds = (performance.now() - t0) / 1000;
  const threshold = routing.threshold.threshold;
  return {
    name: `hub router (threshold ${threshold.toFixed(3)} from cross-validation)`,
    trainSeconds,
    heapMiB: heapMiB() - before,
    classify: async (m) => {
      const p = routing.classifier.predict(normalizeText(m.text));
      return { label: p.label, score: p.score, abstain: p.score < threshold };
    },
  };
}

async function stockNlpjs(): Promise<System> {
  const before = heapMiB();
  const t0 = performance.now();
  const container = await containerBootstrap();
  container.use(LangZh);
  container.use(LangEn);
  const nlp = new Nlp({ container, autoSave: false, autoLoad: false, nlu: { log: false } });
  nlp.addLanguage(['zh', 'en']);
  for (const locale of LOCALES) {
    for (const c of corpora[locale].categories) for (const text of c.train) nlp.addDocument(lang(locale), text, c.code);
  }
  await nlp.train();
  const trainSeconds = (performance.now() - t0) / 1000;
  return {
    name: 'stock nlp.js (same corpus, its tokenizers, default threshold)',
    trainSeconds,
    heapMiB: heapMiB() - before,
    classify: async (m) => {
      const r = (await nlp.process(lang(m.locale), m.text)) as { intent?: string; score?: number };
      const abstain = !r.intent || r.intent === 'None';
      return { label: abstain ? 'other' : (r.intent as string), score: r.score ?? 0, abstain };
    },
  };
}

const lang = (l: Locale) => (l === 'en' ? 'en' : 'zh');

interface Result {
  all: Report;
  routed: Report;
  abstained: number;
  p50: number;
  p99: number;
}

async function evaluate(sys: System, messages: EvalMessage[]): Promise<Result> {
  const scored: Scored[] = [];
  const routed: Scored[] = [];
  const times: number[] = [];
  let abstained = 0;
  for (let pass = 0; pass < 3; pass++) {
    for (const m of messages) {
      const t0 = performance.now();
      const r = await sys.classify(m);
      times.push(performance.now() - t0);
      if (pass > 0) continue;
      scored.push({ truth: m.category, label: r.label, score: r.score });
      if (r.abstain) abstained++;
      else routed.push({ truth: m.category, label: r.label, score: r.score });
    }
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { all: report(scored), routed: report(routed), abstained, p50: q(0.5), p99: q(0.99) };
}

/**
 * The urgency cues were written looking at the even-numbered long messages of each file (the
 * development half); only the odd-numbered ones, never looked at, are scored here.
 */
function urgencyReport(messages: EvalMessage[], half: 'development' | 'test' = 'test'): string {
  const labelled = messages.filter((m) => m.urgency && (m.index % 2 === 1) === (half === 'test'));
  if (!labelled.length) return '';
  const r = report(labelled.map((m) => ({ truth: m.urgency as string, label: estimateUrgency(normalizeText(m.text), m.locale), score: 1 })));
  const rows = r.perClass.map((c) => [c.label, fmt.int(c.support), c.precision.toFixed(3), c.recall.toFixed(3), c.f1.toFixed(3)]);
  return [
    `Urgency estimate (normal / high / emergency) on the ${labelled.length} long messages of the ${half} half: accuracy ${(r.accuracy * 100).toFixed(1)} %, macro-F1 ${r.macroF1.toFixed(3)}.`,
    table(['urgency', 'messages', 'precision', 'recall', 'F1'], rows),
  ].join('\n\n');
}

async function main(): Promise<void> {
  const systems = [await hubRouter(), await stockNlpjs()];
  const results = new Map<string, Result[]>();
  for (const s of sets) results.set(s.name, await Promise.all(systems.map((sys) => evaluate(sys, s.messages))));
  const m = machine();
  const parts: string[] = [
    `Run on ${m.date}: ${m.cpus} CPUs (${m.cpuModel}), Node ${m.node}. Training corpus: ${train.length} descriptions ` +
      `(intents/categories/*.json, zh-CN and en, 8 categories). Held-out sets, never trained on: ` +
      sets.map((s) => `${s.name} (${s.messages.length}, average ${Math.round(avgLength(s.messages))} characters)`).join(', ') +
      '. Reproduce with `npm run bench:nlu -- --write`.',
    table(
      ['', ...systems.map((s) => s.name)],
      [
        ['training time', ...systems.map((s) => fmt.s(s.trainSeconds))],
        ['memory after training (heap + typed arrays)', ...systems.map((s) => `${fmt.int(s.heapMiB)} MiB`)],
      ],
    ),
  ];
  for (const s of sets) {
    const rs = results.get(s.name) ?? [];
    parts.push(`**${s.name}** (${s.messages.length} messages)`);
    parts.push(
      table(
        ['', ...systems.map((x) => x.name)],
        [
          ['accuracy (every message, abstentions count as "other")', ...rs.map((r) => pct(r.all.accuracy))],
          ['macro-F1', ...rs.map((r) => `**${r.all.macroF1.toFixed(3)}**`)],
          ['abstained (to triage)', ...rs.map((r) => pct(r.abstained / s.messages.length))],
          ['accuracy of the messages routed', ...rs.map((r) => pct(r.routed.accuracy))],
          ['classification p50 / p99', ...rs.map((r) => `${fmt.ms(r.p50)} / ${fmt.ms(r.p99)}`)],
        ],
      ),
    );
    const labels = rs[0]?.all.perClass.map((c) => c.label) ?? [];
    parts.push(
      table(
        ['F1 per category', ...systems.map((x) => x.name)],
        labels.map((l) => [l, ...rs.map((r) => (r.all.perClass.find((c) => c.label === l)?.f1 ?? 0).toFixed(3))]),
      ),
    );
  }
  const long = sets.find((s) => s.name === 'long messages')?.messages ?? [];
  if (process.argv.includes('--dev')) console.error(urgencyReport(long, 'development'));
  const urgency = urgencyReport(long);
  if (urgency) parts.push(urgency);
  const body = parts.join('\n\n') + '\n';
  console.log(body);
  if (process.argv.includes('--write')) writeSection(join(process.cwd(), 'docs', 'benchmarks.md'), body, '## Understanding: routing');
}

const avgLength = (ms: EvalMessage[]) => ms.reduce((a, x) => a + [...x.text].length, 0) / ms.length;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

await main();
