import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { writeFileAtomic } from '../util/atomic-file.js';
import { join } from 'node:path';
import { TextClassifier, type CompactTextClassifier, type SerializedTextClassifier } from './text-classifier.js';
import type { Lexicon } from './lexicon.js';
import {
  calibrationError,
  chooseThreshold,
  crossValidate,
  fitTemperature,
  report,
  temperAll,
  type Labelled,
  type Report,
  type Scored,
  type Threshold,
} from './evaluation.js';

/** What `npm run train` writes to MODEL_DIR and the hub loads at start (or on SIGHUP). */
export const ROUTING_MODEL_FILE = 'routing-model.json';
const FORMAT = 'routing-model/1';
const COMPACT_FORMAT = 'routing-model-compact/1';
/** How a compact model file's name ends (the built-in model's cache, category-classifier.ts). */
export const COMPACT_EXTENSION = '.v8';
/** Routing must be right this often among the messages it decides; the rest go to triage. */
export const TARGET_ACCURACY = 0.9;
export const FOLDS = 5;

export interface RoutingModelFile {
  format: typeof FORMAT;
  createdAt: string;
  /** Where the examples came from, e.g. { builtIn: 1300, history: 5000 }. */
  examples: Record<string, number>;
  threshold: Threshold;
  crossValidation: { folds: number; accuracy: number; macroF1: number; calibrationError?: number };
  classifier: SerializedTextClassifier;
}

export interface TrainedRouting {
  classifier: TextClassifier;
  threshold: Threshold;
  cv: Report;
  /** Out-of-fold predictions, in the order of the examples, calibrated. */
  scored: Scored[];
  /** Softmax temperature fitted on the out-of-fold predictions, and the calibration error after it. */
  temperature: number;
  calibrationError: number;
}

/**
 * Trains the routing classifier, calibrates its confidence and picks its abstention threshold from
 * out-of-fold predictions (a model never scores the examples it learnt from), then trains the final
 * model on everything.
 */
export function trainRouting(examples: Labelled[], lexicon: Lexicon | null = null, folds = FOLDS): TrainedRouting {
  const featureCache = new Map<string, Map<number, number>>();
  const raw = crossValidate(
    examples,
    folds,
    (train) => TextClassifier.train(train, { lexicon, featureCache }),
    (model, text) => model.predict(text),
  );
  const temperature = fitTemperature(raw);
  const scored = temperAll(raw, temperature);
  return {
    classifier: TextClassifier.train(examples, { lexicon, featureCache }).withTemperature(temperature),
    threshold: chooseThreshold(scored, TARGET_ACCURACY),
    cv: report(scored),
    scored,
    temperature,
    calibrationError: calibrationError(scored),
  };
}

export function toFile(t: TrainedRouting, examples: Record<string, number>, now = new Date()): RoutingModelFile {
  return {
    format: FORMAT,
    createdAt: now.toISOString(),
    examples,
    threshold: t.threshold,
    crossValidation: { folds: FOLDS, accuracy: t.cv.accuracy, macroF1: t.cv.macroF1, calibrationError: t.calibrationError },
    classifier: t.classifier.toJSON(),
  };
}

/** Written whole and renamed into place, so a hub starting meanwhile never reads half a model. */
export function writeModel(path: string, file: RoutingModelFile): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileAtomic(path, JSON.stringify(file));
}

/** A routing model with its classifier's parameters as typed arrays (TextClassifier.toCompact). */
export interface CompactRoutingModelFile extends Omit<RoutingModelFile, 'format' | 'classifier'> {
  format: typeof COMPACT_FORMAT;
  classifier: CompactTextClassifier;
}

/** What a loaded model keeps of its file: everything but the classifier's parameters. */
export type RoutingModelInfo = Omit<RoutingModelFile, 'classifier'>;

export function toCompactFile(info: RoutingModelInfo, classifier: TextClassifier): CompactRoutingModelFile {
  return { ...info, format: COMPACT_FORMAT, classifier: classifier.toCompact() };
}

/**
 * A compact model is written in V8's serialization format (node:v8), which keeps typed arrays as
 * their bytes: 10 MB instead of 25 MB of JSON, and read without a parse whose numbers and strings
 * would need several times the file's size of heap in every thread that loads the model.
 */
export function writeCompactModel(path: string, file: CompactRoutingModelFile): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileAtomic(path, serialize(file));
}

/**
 * The model at `path`, or null when there is none; a damaged file is an error, not a silent fallback.
 * A name ending in COMPACT_EXTENSION is a compact model, any other JSON.
 */
export function readModel(path: string): { classifier: TextClassifier; file: RoutingModelInfo } | null {
  if (!existsSync(path)) return null;
  const compact = path.endsWith(COMPACT_EXTENSION);
  const file = (compact ? deserialize(readFileSync(path)) : JSON.parse(readFileSync(path, 'utf8'))) as RoutingModelFile | CompactRoutingModelFile;
  if (file?.format !== (compact ? COMPACT_FORMAT : FORMAT)) throw new Error(`${path}: not a routing model (format ${String(file?.format)})`);
  if (!(file.threshold?.threshold >= 0 && file.threshold.threshold <= 1)) throw new Error(`${path}: threshold missing or out of range`);
  const { classifier, ...info } = file;
  return {
    classifier: file.format === COMPACT_FORMAT ? TextClassifier.fromCompact(file.classifier) : TextClassifier.fromJSON(file.classifier as SerializedTextClassifier),
    file: { ...info, format: FORMAT },
  };
}
