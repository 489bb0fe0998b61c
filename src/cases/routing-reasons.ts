import type { RoutingExplanation } from '../engine/types.js';

/** What an officer is shown of why a case went where it did (card, case page, admin API). */
export interface RoutingReasons {
  /** The likeliest categories with their confidence in whole per cent, most likely first. */
  top: { code: string; label: string; percent: number }[];
  /** A second category the petition is also about, when there is one. */
  secondary: { code: string; label: string; percent: number } | null;
  /** The words that weighed most, strongest first; a category's vocabulary as a whole is named as such. */
  words: string[];
}

/** The stored explanation (Case.routing), or null for a case filed before explanations were kept. */
export function parseRouting(json: string | null): RoutingExplanation | null {
  if (!json) return null;
  try {
    const r = JSON.parse(json) as RoutingExplanation;
    return Array.isArray(r.ranking) && Array.isArray(r.evidence) ? r : null;
  } catch {
    return null;
  }
}

/**
 * @param label a category's name for the reader
 * @param keep whether a word may be shown (the card drops any that is personal data)
 */
export function routingReasons(
  r: RoutingExplanation,
  label: (code: string) => string,
  vocabulary: (categoryLabel: string) => string,
  keep: (word: string) => boolean = () => true,
): RoutingReasons {
  const named = (x: { code: string; score: number }) => ({ code: x.code, label: label(x.code), percent: Math.round(x.score * 100) });
  const words = r.evidence
    .map((e) => {
      const category = /^\[(.+)\]$/.exec(e.term)?.[1];
      return category ? vocabulary(label(category)) : e.term;
    })
    .filter(keep);
  return { top: r.ranking.slice(0, 3).map(named), secondary: r.secondary ? named(r.secondary) : null, words };
}
