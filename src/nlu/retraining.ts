// The guard of `npm run train`: a retrained model is installed only when it routes the deployment's
// own cases at least as well as the model in use, measured on cases neither of them learnt from.
import { folds, report, type Labelled, type Report } from './evaluation.js';
import type { Lexicon } from './lexicon.js';
import { TextClassifier } from './text-classifier.js';

export interface Comparison {
  /** The deployment's examples held out from the candidate (and, where known, from the current model). */
  slice: number;
  candidate: Report;
  current: Report;
  /** The slice may hold cases the current model learnt from: its figure is then optimistic. */
  currentMayHaveSeen: boolean;
  /** The candidate routes the slice worse (macro-F1) than the current model. */
  worse: boolean;
}

/** Fewer held-out cases than this say nothing either way; the comparison is skipped. */
export const MIN_SLICE = 16;

/**
 * Trains a candidate on the built-in corpus and the deployment's examples less a held-out slice,
 * and scores it and the current model on that slice. The slice is the cases confirmed after the
 * current model was made when there are enough of them (neither model saw them), else one fifth of
 * all, stratified by category.
 */
export function compareWithCurrent(
  builtIn: Labelled[],
  own: (Labelled & { confirmedAt?: Date })[],
  current: { classify(text: string): string; createdAt: Date | null },
  lexicon: Lexicon | null,
): Comparison | null {
  const created = current.createdAt;
  const unseen = created ? own.filter((e) => e.confirmedAt && e.confirmedAt > created) : [];
  const fresh = unseen.length >= MIN_SLICE;
  const slice = fresh ? unseen : (folds(own, 5)[0] ?? []);
  if (slice.length < MIN_SLICE) return null;
  const held = new Set(slice);
  const candidate = TextClassifier.train([...builtIn, ...own.filter((e) => !held.has(e))], { lexicon });
  const labels = [...new Set([...builtIn, ...own].map((e) => e.label))];
  const cand = report(slice.map((e) => ({ truth: e.label, label: candidate.predict(e.text).label, score: 1 })), labels);
  const cur = report(slice.map((e) => ({ truth: e.label, label: current.classify(e.text), score: 1 })), labels);
  return { slice: slice.length, candidate: cand, current: cur, currentMayHaveSeen: !fresh && created !== null, worse: cand.macroF1 < cur.macroF1 };
}
