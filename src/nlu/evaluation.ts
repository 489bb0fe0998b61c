/**
 * How well a classifier routes: confusion matrix, accuracy, per-category and macro F1, and the
 * abstention threshold chosen from data (out-of-fold predictions), shared by `npm run train` and
 * `npm run bench:nlu`.
 */

export interface Labelled {
  text: string;
  label: string;
}

export interface Scored {
  truth: string;
  label: string;
  score: number;
  /** Every label's probability, when the classifier gives them (for calibration). */
  ranking?: { label: string; score: number }[];
}

export interface ClassReport {
  label: string;
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Report {
  n: number;
  accuracy: number;
  macroF1: number;
  perClass: ClassReport[];
  labels: string[];
  /** confusion[i][j]: examples of labels[i] predicted as labels[j]. */
  confusion: number[][];
}

export function report(results: readonly Scored[], labels?: readonly string[]): Report {
  const all = [...new Set([...(labels ?? []), ...results.map((r) => r.truth), ...results.map((r) => r.label)])].sort();
  const index = new Map(all.map((l, i) => [l, i]));
  const confusion = all.map(() => all.map(() => 0));
  for (const r of results) confusion[index.get(r.truth) as number][index.get(r.label) as number]++;
  const perClass = all.map((label, i) => {
    const tp = confusion[i][i];
    const support = confusion[i].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[i], 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, support, precision, recall, f1 };
  });
  const correct = all.reduce((a, _, i) => a + confusion[i][i], 0);
  // Macro over the categories that occur in the truth: a label only ever predicted is still penalised
  // through the precision of the others' recall, not averaged in as a zero.
  const present = perClass.filter((c) => c.support > 0);
  return {
    n: results.length,
    accuracy: results.length ? correct / results.length : 0,
    macroF1: present.length ? present.reduce((a, c) => a + c.f1, 0) / present.length : 0,
    perClass,
    labels: all,
    confusion,
  };
}

/** Deterministic k folds, stratified by label so that each fold sees every category. */
export function folds<T extends { label: string }>(items: readonly T[], k: number): T[][] {
  const out: T[][] = Array.from({ length: k }, () => []);
  const byLabel = new Map<string, T[]>();
  for (const item of items) (byLabel.get(item.label) ?? byLabel.set(item.label, []).get(item.label) ?? []).push(item);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    for (const item of byLabel.get(label) ?? []) out[next++ % k].push(item);
  }
  return out;
}

/** Out-of-fold predictions, in the order of `items`: each example is classified by a model trained without it. */
export function crossValidate<M>(
  items: readonly Labelled[],
  k: number,
  train: (examples: Labelled[]) => M,
  predict: (model: M, text: string) => { label: string; score: number; ranking?: { label: string; score: number }[] },
): Scored[] {
  const parts = folds(items.map((item, index) => ({ ...item, index })), k);
  const scored: Scored[] = new Array(items.length);
  parts.forEach((heldOut, i) => {
    const model = train(parts.flatMap((p, j) => (j === i ? [] : p)));
    for (const ex of heldOut) {
      const p = predict(model, ex.text);
      scored[ex.index] = { truth: ex.label, label: p.label, score: p.score, ...(p.ranking ? { ranking: p.ranking } : {}) };
    }
  });
  return scored;
}

export interface Threshold {
  threshold: number;
  /** Share of messages the router decides itself at this threshold. */
  coverage: number;
  /** Accuracy on the messages it decides. */
  accuracy: number;
}

/**
 * The lowest confidence at which routing is still right at least `target` of the time (among the
 * messages at or above it). Below it the case goes to general intake for triage: a wrong
 * department costs a petitioner weeks, a triage costs an officer a minute.
 */
export function chooseThreshold(scored: readonly Scored[], target = 0.95, minCoverage = 0.5): Threshold {
  const sorted = [...scored].sort((a, b) => b.score - a.score);
  const cuts: Threshold[] = [];
  let right = 0;
  sorted.forEach((s, i) => {
    if (s.label === s.truth) right++;
    // Only between different scores: a threshold cannot split equal ones.
    if (i === sorted.length - 1 || sorted[i + 1].score < s.score) {
      cuts.push({ threshold: s.score, coverage: (i + 1) / sorted.length, accuracy: right / (i + 1) });
    }
  });
  const reaching = cuts.filter((c) => c.accuracy >= target).at(-1);
  if (reaching && reaching.coverage >= minCoverage) return reaching;
  // Too few messages reach the target: still route at least minCoverage of them, the most confident.
  return cuts.find((c) => c.coverage >= minCoverage) ?? { threshold: 0, coverage: 0, accuracy: 0 };
}

/** Rows of a confusion matrix as Markdown, for reports. */
export function confusionTable(r: Report): string {
  const head = `| truth \\ predicted | ${r.labels.join(' | ')} |`;
  const rule = `|---|${r.labels.map(() => '---:').join('|')}|`;
  const rows = r.labels.map((l, i) => `| ${l} | ${r.confusion[i].join(' | ')} |`);
  return [head, rule, ...rows].join('\n');
}

/** Probabilities sharpened (t < 1) or tempered (t > 1): softmax(logits / t) from softmax(logits). */
export function temper(ranking: readonly { label: string; score: number }[], t: number): { label: string; score: number }[] {
  const logs = ranking.map((r) => Math.log(Math.max(r.score, 1e-300)) / t);
  const max = Math.max(...logs);
  const exps = logs.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return ranking.map((r, i) => ({ label: r.label, score: exps[i] / sum })).sort((a, b) => b.score - a.score);
}

/**
 * Temperature scaling (Guo et al., 2017): the one number t that makes out-of-fold probabilities
 * most likely (least negative log-likelihood of the true labels), found by golden-section search
 * over log t. Afterwards "0.8" means right about 80 % of the time, so a threshold and a second
 * category can be read off the scores.
 */
export function fitTemperature(scored: readonly Scored[]): number {
  const rows = scored.filter((s) => s.ranking?.length);
  if (!rows.length) return 1;
  const nll = (t: number) =>
    rows.reduce((a, s) => a - Math.log(Math.max(temper(s.ranking ?? [], t).find((r) => r.label === s.truth)?.score ?? 0, 1e-12)), 0);
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = nll(Math.exp(a));
  let fb = nll(Math.exp(b));
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = nll(Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = nll(Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** The scores as if made at temperature t (top label and its probability). */
export function temperAll(scored: readonly Scored[], t: number): Scored[] {
  return scored.map((s) => {
    if (!s.ranking) return s;
    const ranking = temper(s.ranking, t);
    return { ...s, label: ranking[0].label, score: ranking[0].score, ranking };
  });
}

/**
 * Expected calibration error: how far confidence is from accuracy, averaged over ten bins of
 * confidence weighted by their share of messages (0 = "0.8" is right 80 % of the time).
 */
export function calibrationError(scored: readonly Scored[], bins = 10): number {
  if (!scored.length) return 0;
  let total = 0;
  for (let b = 0; b < bins; b++) {
    const inBin = scored.filter((s) => Math.min(bins - 1, Math.floor(s.score * bins)) === b);
    if (!inBin.length) continue;
    const confidence = inBin.reduce((a, s) => a + s.score, 0) / inBin.length;
    const accuracy = inBin.filter((s) => s.label === s.truth).length / inBin.length;
    total += (inBin.length / scored.length) * Math.abs(confidence - accuracy);
  }
  return total;
}
