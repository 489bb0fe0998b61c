// Feelings in a petitioner's message (distress, anger) and emergencies, from lexicons and rules.
// nlp.js's Chinese sentiment has an empty lexicon, so it is not used.
import type { EmergencyKind, Locale } from '../domain.js';
import { detectEmergency as findEmergency } from './affect-emergency.js';
import { ANGER_EN, ANGER_ZH, CONCERNS, type Concern, type Cue, DISTRESS_EN, DISTRESS_ZH, NEGATION_EN, NEGATION_ZH } from './affect-lexicon.js';

export type { Concern };
import { scanText } from './detail-text.js';

export interface Affect {
  distressed: boolean;
  angry: boolean;
  /** 0..1, strength of the strongest feeling expressed. */
  score: number;
  /** What weighs on a distressed petitioner (money, a child's schooling, illness …), when it can be told. */
  concern: Concern | null;
}

const THRESHOLD = 1;
const CLAUSE_START = /[。！？!?；;，,\n.]/;

/** Each cue list longest cue first (so a long cue takes its characters before a short one inside it). */
const longestFirst = new WeakMap<Cue[], Cue[]>();

/** Sum of cue weights, skipping negated cues (不着急 / not angry); overlapping cues count once. */
function weigh(text: string, cues: Cue[], en: boolean, taken: boolean[]): number {
  const lower = en ? text.toLowerCase() : text;
  let total = 0;
  let sorted = longestFirst.get(cues);
  if (!sorted) longestFirst.set(cues, (sorted = [...cues].sort((a, b) => b[0].length - a[0].length)));
  for (const [cue, weight] of sorted) {
    let from = 0;
    for (;;) {
      const at = lower.indexOf(cue, from);
      if (at < 0) break;
      from = at + cue.length;
      if (en && (/\w/.test(lower[at - 1] ?? '') || /\w/.test(lower[at + cue.length] ?? ''))) continue;
      if (taken.slice(at, at + cue.length).some(Boolean)) continue;
      for (let i = at; i < at + cue.length; i++) taken[i] = true;
      let before = text.slice(Math.max(0, at - 12), at);
      const cut = Math.max(0, ...[...before].map((ch, i) => (CLAUSE_START.test(ch) ? i + 1 : 0)));
      before = before.slice(cut);
      if ((en ? NEGATION_EN : NEGATION_ZH).test(before)) continue;
      total += weight;
    }
  }
  return total;
}

const SHOUT_EXEMPT = new Set(['I', 'ID', 'HR', 'OK', 'USA', 'UK', 'CEO', 'RMB', 'USD', 'AM', 'PM', 'TV', 'PRC', 'SMS', 'IT', 'A']);

function shouting(text: string): number {
  const words = text.match(/[A-Za-z]{2,}/g) ?? [];
  const caps = words.filter((w) => w === w.toUpperCase() && !SHOUT_EXEMPT.has(w));
  if (caps.length >= 3 && caps.length / words.length >= 0.5) return 1.2;
  if (caps.length >= 2 && caps.length / words.length >= 0.3) return 0.6;
  return 0;
}

function punctuation(text: string): number {
  const bangs = Math.max(0, ...(text.match(/!{2,}/g) ?? []).map((r) => r.length));
  const questions = Math.max(0, ...(text.match(/\?{2,}/g) ?? []).map((r) => r.length));
  const mixed = /[!?]*(?:\?!|!\?)[!?]*/.test(text) ? 0.6 : 0;
  return (bangs >= 3 ? 1 : bangs === 2 ? 0.4 : 0) + (questions >= 3 ? 1 : questions === 2 ? 0.4 : 0) + mixed;
}

export function assessAffect(text: string, locale: Locale): Affect {
  void locale; // both lexicons apply: people mix languages.
  const s = scanText(text);
  const taken: boolean[] = new Array<boolean>(s.length).fill(false);
  const distress = weigh(s, DISTRESS_ZH, false, taken) + weigh(s, DISTRESS_EN, true, taken);
  let anger = weigh(s, ANGER_ZH, false, taken) + weigh(s, ANGER_EN, true, taken);
  anger += shouting(s);
  // Many ！！！/？？？: indignation, or sharpens a distress cue.
  const marks = punctuation(s);
  let distressTotal = distress;
  if (distress > 0 && anger === 0) distressTotal += marks;
  else anger += marks;
  const strongest = Math.max(distressTotal, anger);
  const score = strongest === 0 ? 0 : Math.round(Math.min(1, 1 - Math.exp(-strongest / 1.5)) * 100) / 100;
  const distressed = distressTotal >= THRESHOLD;
  const concern = distressed ? (CONCERNS.find(([, re]) => re.test(s))?.[0] ?? null) : null;
  return { distressed, angry: anger >= THRESHOLD, score, concern };
}

export function detectEmergency(text: string, locale: Locale): { kind: EmergencyKind; cue: string } | null {
  void locale;
  return findEmergency(scanText(text));
}
