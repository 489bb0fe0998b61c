/**
 * `npm run train -- (--cases FILE | --from-database) [--map mapping.json] [--model-dir DIR] [--dry-run] [--force]`
 *
 * Retrains the routing model on the built-in corpus plus a deployment's labelled cases — a file of
 * past cases, or the hub's own cases whose category an officer confirmed or corrected — and reports
 * cross-validated accuracy, macro-F1, per-category F1 and the confusion matrix. Before installing, it
 * compares the new model with the one in use on cases neither learnt from, and refuses a worse one
 * unless --force. Writes MODEL_DIR/routing-model.json, which the hub loads on its next start or when
 * sent SIGHUP.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { useConfiguredKeys } from '../src/db/personal-data.js';
import { closeDb, createDb, providerOf } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { labelledCases } from '../src/cases/labelled-cases.js';
import { CategoryClassifier, corpusExamples, loadCategoryCorpora, loadLexicon } from '../src/nlu/category-classifier.js';
import { confusionTable, report, type Labelled, type Report } from '../src/nlu/evaluation.js';
import { HistoryError, readHistory } from '../src/nlu/history.js';
import { INTENTS_DIR } from '../src/nlu/nlu.js';
import { compareWithCurrent, MIN_SLICE } from '../src/nlu/retraining.js';
import { readModel, ROUTING_MODEL_FILE, toFile, trainRouting, writeModel } from '../src/nlu/routing-model.js';
import { TextClassifier } from '../src/nlu/text-classifier.js';

const USAGE =
  'Usage: npm run train -- (--cases FILE.csv|FILE.jsonl | --from-database) [--map mapping.json] [--model-dir DIR] [--dry-run] [--force]';

/** Exit code when the new model is refused as worse than the one in use. */
const REFUSED = 3;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string' },
      'from-database': { type: 'boolean', default: false },
      map: { type: 'string' },
      'model-dir': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.cases && !values['from-database']) {
    console.error(USAGE);
    return 2;
  }
  // The hub's own configuration (taxonomy, MODEL_DIR, DATABASE_URL), from .env as `npm start` reads it.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  // The hub's confirmed cases are read with the keys their personal data is encrypted with.
  useConfiguredKeys(config.PERSONAL_DATA_KEYS);
  const taxonomy = Object.keys(config.routing.categories);
  const modelDir = values['model-dir'] ?? config.MODEL_DIR;
  const own: (Labelled & { confirmedAt?: Date })[] = [];
  const sources: string[] = [];
  const counts: Record<string, number> = {};
  if (values.cases) {
    const mapping = values.map ? (JSON.parse(readFileSync(values.map, 'utf8')) as Record<string, string>) : {};
    const history = readHistory(values.cases, taxonomy, mapping);
    own.push(...history.examples);
    counts.history = history.examples.length;
    const skipped = history.skipped.length ? ` (${history.skipped.length} rows skipped: ${summarise(history.skipped)})` : '';
    sources.push(`${history.examples.length} from ${values.cases}${skipped}`);
  }
  if (values['from-database']) {
    const db = createDb(config.DATABASE_URL);
    try {
      // As the hub does on start: a database from before the labels were kept gets their columns.
      await migrate(db, providerOf(config.DATABASE_URL));
      const cases = await labelledCases(db, taxonomy);
      const seen = new Set(own.map((e) => e.text));
      const added = cases.filter((c) => !seen.has(c.text));
      own.push(...added);
      counts.cases = added.length;
      sources.push(`${added.length} of the hub's cases whose category an officer confirmed or corrected`);
    } finally {
      await closeDb(db);
    }
    if (!counts.cases && !values.cases) {
      console.error('train: no case in the database has a confirmed category yet (an officer accepts a case, or corrects its category); nothing to learn from.');
      return 2;
    }
  }
  const lexicon = loadLexicon(INTENTS_DIR);
  const builtIn = corpusExamples(loadCategoryCorpora(INTENTS_DIR)).filter((e) => taxonomy.includes(e.label));
  const examples = [...builtIn, ...own];
  const started = performance.now();
  const trained = trainRouting(examples, lexicon);
  const seconds = (performance.now() - started) / 1000;

  const t = trained.threshold;
  const yours = report(trained.scored.slice(builtIn.length));
  const out = [
    `Trained on ${examples.length} examples: ${builtIn.length} built-in, ${sources.join(', ')}, in ${seconds.toFixed(1)} s.`,
    '',
    `5-fold cross-validation, all examples: accuracy ${pct(trained.cv.accuracy)}, macro-F1 ${trained.cv.macroF1.toFixed(3)};` +
      ` your cases only: accuracy ${pct(yours.accuracy)}, macro-F1 ${yours.macroF1.toFixed(3)} (${yours.n} cases).`,
    `Confidence calibrated (temperature ${trained.temperature.toFixed(2)}; expected calibration error ${trained.calibrationError.toFixed(3)}).`,
    `Triage threshold ${t.threshold.toFixed(3)}: ${pct(t.coverage)} of messages routed directly, ${pct(t.accuracy)} of them right; the rest go to general intake.`,
    '',
    perCategory(trained.cv),
    '',
    confusionTable(trained.cv),
  ];
  console.log(out.join('\n'));

  const path = join(modelDir, ROUTING_MODEL_FILE);
  const installed = readModel(path);
  const current = installed
    ? { name: `the model in use (${path}, trained ${installed.file.createdAt})`, classifier: CategoryClassifier.fromModel(installed), createdAt: new Date(installed.file.createdAt) }
    : // The built-in model's categories are those of one trained on the built-in corpus (the same
      // data and seed; calibration moves no ranking), without its cross-validation.
      { name: 'the built-in model in use', classifier: CategoryClassifier.fromClassifier(TextClassifier.train(builtIn, { lexicon })), createdAt: null };
  const comparison = compareWithCurrent(builtIn, own, { classify: (text) => current.classifier.classify(text).code, createdAt: current.createdAt }, lexicon);
  console.log('');
  if (!comparison) {
    console.log(`Not compared with ${current.name}: fewer than ${MIN_SLICE} of your cases to hold out.`);
  } else {
    console.log(
      `On ${comparison.slice} of your cases held out from the new model: new model macro-F1 ${comparison.candidate.macroF1.toFixed(3)} ` +
        `(accuracy ${pct(comparison.candidate.accuracy)}), ${current.name} ${comparison.current.macroF1.toFixed(3)} (accuracy ${pct(comparison.current.accuracy)})` +
        (comparison.currentMayHaveSeen ? '; the model in use may have learnt some of these cases, so its figure is optimistic.' : '.'),
    );
  }
  if (values['dry-run']) {
    console.log('\n--dry-run: no model written.');
    return 0;
  }
  if (comparison?.worse && !values.force) {
    console.error(`\ntrain: the new model routes your held-out cases worse than ${current.name}; not installed. Add --force to install it anyway.`);
    return REFUSED;
  }
  writeModel(path, toFile(trained, { builtIn: builtIn.length, ...counts }));
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
  process.exitCode = await main();
} catch (err) {
  if (err instanceof HistoryError || err instanceof ConfigError || err instanceof SyntaxError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
    console.error(`train: ${(err as Error).message}`);
    process.exitCode = 2;
  } else throw err;
}
