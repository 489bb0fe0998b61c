import type { Db } from '../db/client.js';
import type { Details } from '../domain.js';
import type { Labelled } from '../nlu/evaluation.js';
import { normalizeText } from '../nlu/normalize.js';
import { Router } from './routing.js';

export interface LabelledCase extends Labelled {
  /** When an officer confirmed or corrected the category. */
  confirmedAt: Date;
}

/**
 * The hub's own labelled examples: every case whose category an officer confirmed (accepted by its
 * department) or corrected, as the text the router reads (Router.text) and the category it has now.
 * Categories no longer in the taxonomy, empty texts and repeated texts are left out.
 */
export async function labelledCases(db: Db, taxonomy: readonly string[]): Promise<LabelledCase[]> {
  const rows = await db.case.findMany({
    where: { categoryConfirmedAt: { not: null } },
    select: { details: true, category: true, categoryConfirmedAt: true },
    orderBy: { categoryConfirmedAt: 'asc' },
  });
  const known = new Set(taxonomy);
  const seen = new Set<string>();
  const out: LabelledCase[] = [];
  for (const r of rows) {
    const text = normalizeText(Router.text(JSON.parse(r.details) as Details)).trim();
    if (!text || seen.has(text) || !known.has(r.category) || !r.categoryConfirmedAt) continue;
    seen.add(text);
    out.push({ text, label: r.category, confirmedAt: r.categoryConfirmedAt });
  }
  return out;
}
