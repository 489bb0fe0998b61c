import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Labelled } from './evaluation.js';
import { normalizeText } from './normalize.js';

/** A past case file could not be used; the message says which line and why. */
export class HistoryError extends Error {}

export interface History {
  examples: Labelled[];
  /** Rows left out, with the reason (empty text, duplicate). */
  skipped: { line: number; reason: string }[];
}

/**
 * Past cases for `npm run train`: CSV with a header (columns `text` and `category`) or JSON Lines
 * ({"text", "category"} per line). Categories are the configured taxonomy codes, or names that
 * `mapping` turns into them; anything else is an error naming every unknown category, because a
 * silently dropped category would train a router that never sends cases there.
 */
export function readHistory(file: string, taxonomy: readonly string[], mapping: Record<string, string> = {}): History {
  const raw = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const rows = extname(file).toLowerCase() === '.jsonl' ? jsonLines(raw) : csvRows(raw);
  const known = new Set(taxonomy);
  for (const [from, to] of Object.entries(mapping)) {
    if (!known.has(to)) throw new HistoryError(`mapping: "${from}" → "${to}", which is not a category of the taxonomy (${taxonomy.join(', ')})`);
  }
  const unknown = new Map<string, number>();
  const skipped: History['skipped'] = [];
  const seen = new Set<string>();
  const examples: Labelled[] = [];
  for (const row of rows) {
    const label = mapping[row.category] ?? row.category;
    if (!known.has(label)) {
      unknown.set(row.category, (unknown.get(row.category) ?? 0) + 1);
      continue;
    }
    const text = normalizeText(row.text.trim());
    if (!text) skipped.push({ line: row.line, reason: 'empty text' });
    else if (seen.has(text)) skipped.push({ line: row.line, reason: 'duplicate text' });
    else {
      seen.add(text);
      examples.push({ text, label });
    }
  }
  if (unknown.size) {
    const list = [...unknown].map(([c, n]) => `"${c}" (${n} rows)`).join(', ');
    throw new HistoryError(`unknown categories: ${list}. Use the taxonomy's codes (${taxonomy.join(', ')}) or map them with --map`);
  }
  if (!examples.length) throw new HistoryError(`${file}: no usable rows`);
  return { examples, skipped };
}

interface Row {
  line: number;
  text: string;
  category: string;
}

function csvRows(raw: string): Row[] {
  let records: Record<string, unknown>[];
  try {
    records = parse(raw, { columns: true, skip_empty_lines: true, relax_column_count: false, trim: false });
  } catch (err) {
    throw new HistoryError(`CSV: ${(err as Error).message}`);
  }
  if (records.length && !('text' in records[0] && 'category' in records[0])) {
    throw new HistoryError('CSV: the header must name the columns "text" and "category"');
  }
  // Line 1 is the header.
  return records.map((r, i) => ({ line: i + 2, text: String(r.text ?? ''), category: String(r.category ?? '').trim() }));
}

function jsonLines(raw: string): Row[] {
  const rows: Row[] = [];
  raw.split(/\r?\n/).forEach((l, i) => {
    if (!l.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(l);
    } catch {
      throw new HistoryError(`line ${i + 1}: not JSON`);
    }
    const o = v as { text?: unknown; category?: unknown };
    if (typeof o?.text !== 'string' || typeof o.category !== 'string') {
      throw new HistoryError(`line ${i + 1}: needs string fields "text" and "category"`);
    }
    rows.push({ line: i + 1, text: o.text, category: o.category.trim() });
  });
  return rows;
}
