/**
 * `npm run train -- --cases history.csv [--map mapping.json] [--model-dir DIR] [--dry-run]`
 *
 * Retrains the routing model on the built-in corpus plus a deployment's past cases, reports
 * cross-validated accuracy, macro-F1, per-category F1 and the confusion matrix, chooses the triage
 * threshold from the out-of-fold predictions, and writes MODEL_DIR/routing-model.json, which the hub
 * loads on its next start or when sent SIGHUP.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { corpusExamples, loadCategoryCorpora } from '../src/nlu/category-classifier.js';
import { confusionTable, report, type Report } from '../src/nlu/evaluation.js';
import { HistoryError, readHistory } from '../src/nlu/history.js';
import { INTENTS_DIR } from '../src/nlu/nlu.js';
import { ROUTING_MODEL_FILE, toFile, trainRouting, writeModel } from '../src/nlu/routing-model.js';

const USAGE = 'Usage: npm run train -- --cases FILE.csv|FILE.jsonl [--map mapping.json] [--model-dir DIR] [--dry-run]';

function main(): number {
  const { values } = parseArgs({
    options: { cases: { type: 'string' }, map: { type: 'string' }, 'model-dir': { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
    strict: true,
  });
  if (!values.cases) {
    console.error(USAGE);
    return 2;
  }
  // The hub's own configuration (taxonomy, MODEL_DIR), from .env as `npm start` reads it.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const taxonomy = Object.keys(config.routing.categories);
  const mapping = values.map ? (JSON.parse(readFileSync(values.map, 'utf8')) as Record<string, string>) : {};
  const history = readHistory(values.cases, taxonomy, mapping);
  const builtIn = corpusExamples(loadCategoryCorpora(INTENTS_DIR)).filter((e) => taxonomy.includes(e.label));
  const examples = [...builtIn, ...history.examples];
  const started = performance.now();
  const trained = trainRouting(examples);
  const seconds = (performance.now() - started) / 1000;

  const t = trained.threshold;
  const own = report(trained.scored.slice(builtIn.length));
  const out = [
    `Trained on ${examples.length} examples: ${builtIn.length} built-in, ${history.examples.length} from ${values.cases}` +
      (history.skipped.length ? ` (${history.skipped.length} rows skipped: ${summarise(history.skipped)})` : '') +
      `, in ${seconds.toFixed(1)} s.`,
    '',
    `5-fold cross-validation, all examples: accuracy ${pct(trained.cv.accuracy)}, macro-F1 ${trained.cv.macroF1.toFixed(3)};` +
      ` your cases only: accuracy ${pct(own.accuracy)}, macro-F1 ${own.macroF1.toFixed(3)} (${own.n} cases).`,
    `Triage threshold ${t.threshold.toFixed(3)}: ${pct(t.coverage)} of messages routed directly, ${pct(t.accuracy)} of them right; the rest go to general intake.`,
    '',
    perCategory(trained.cv),
    '',
    confusionTable(trained.cv),
  ];
  console.log(out.join('\n'));
  const modelDir = values['model-dir'] ?? config.MODEL_DIR;
  if (values['dry-run']) {
    console.log('\n--dry-run: no model written.');
    return 0;
  }
  const path = join(modelDir, ROUTING_MODEL_FILE);
  writeModel(path, toFile(trained, { builtIn: builtIn.length, history: history.examples.length }));
  console.log(`\nWrote ${path}. The hub loads it on its next start, or now with: kill -HUP <hub pid>`);
  return 0;
}

function perCategory(r: Report): string {
  const rows = r.perClass.map((c) => `| ${c.label} | ${c.support} | ${c.precision.toFixed(3)} | ${c.recall.toFixed(3)} | ${c.f1.toFixed(3)} |`);
  return ['| category | examples | precision | recall | F1 |', '|---|---:|---:|---:|---:|', ...rows].join('\n');
}

function summarise(skipped: { reason: string }[]): string {
  const by = new Map<string, number>();
  for (const s of skipped) by.set(s.reason, (by.get(s.reason) ?? 0) + 1);
  return [...by].map(([reason, n]) => `${n} ${reason}`).join(', ');
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

try {
  process.exitCode = main();
} catch (err) {
  if (err instanceof HistoryError || err instanceof ConfigError || err instanceof SyntaxError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
    console.error(`train: ${(err as Error).message}`);
    process.exitCode = 2;
  } else throw err;
}
