import { createHmac } from 'node:crypto';
import type { Db, Tx } from '../db/client.js';
import { searchKey } from '../db/personal-data.js';
import { HubError } from '../errors.js';
import { normalizeText } from '../nlu/normalize.js';
import { Prisma } from '../../generated/sqlite/client.js';

/**
 * Officers' full-text search over petitions, Chinese included, that works while the petitions are
 * encrypted at rest (personal-data.ts): a blind index. Each case's text (summary, the values of its
 * details, its petitioner's messages) is cut into terms — every Chinese character and every pair of
 * adjacent characters, and whole words and numbers of other scripts — and each term is stored as a
 * keyed hash (CaseSearchTerm), never in the clear. A query is cut the same way and a case matches
 * when it holds every term of the query.
 *
 * The hash key is derived from the current key of PERSONAL_DATA_KEYS (HKDF, "case-search"); without
 * keys a fixed key is used (the text is stored in the clear then anyway). Each case's index row names
 * the key its terms were hashed with (a tag derived from it), so when a new key is put first the next
 * refresh indexes every case again, batch by batch, and search finds more of them as it goes.
 */

/** Cases read and indexed per batch. */
const BATCH = 200;
/** Terms inserted per statement (two bound values each: well under every provider's limit). */
const INSERT_CHUNK = 400;
export const MAX_QUERY_CHARS = 200;
export const MAX_QUERY_TERMS = 32;
/** Bytes of HMAC-SHA256 kept per term (base64url: 22 characters). */
const TERM_BYTES = 16;
/** Without PERSONAL_DATA_KEYS: the stored text is readable anyway, so a constant key is enough. */
const UNKEYED = Buffer.from('petition-intake-hub case-search: no PERSONAL_DATA_KEYS', 'utf8');

// Scripts written without spaces between words: indexed by character and character pair.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30FC]/u;
const WORD = /[\p{L}\p{N}\p{M}]/u;

type Run = { cjk: boolean; chars: string[] };

/** The runs of a normalised text: CJK characters, and words (letters, digits) of other scripts. */
function runs(text: string): Run[] {
  const out: Run[] = [];
  let current: Run | null = null;
  for (const ch of normalizeText(text).toLowerCase()) {
    const cjk = CJK.test(ch);
    if (!cjk && !WORD.test(ch)) {
      current = null;
      continue;
    }
    if (!current || current.cjk !== cjk) out.push((current = { cjk, chars: [] }));
    current.chars.push(ch);
  }
  return out;
}

/** Words of at least two characters (numbers too: house numbers, years); single letters or digits say too little. */
function word(run: Run): string | null {
  return run.chars.length >= 2 ? run.chars.join('') : null;
}

/**
 * The terms a text is indexed under: NFKC, lower case, traditional Chinese as simplified; for each
 * run of CJK characters every character and every adjacent pair; for other runs the whole word
 * (2 characters or more). Deduplicated.
 */
export function searchTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const run of runs(text)) {
    if (!run.cjk) {
      const w = word(run);
      if (w) terms.add(w);
      continue;
    }
    for (let i = 0; i < run.chars.length; i++) {
      terms.add(run.chars[i]);
      if (i + 1 < run.chars.length) terms.add(run.chars[i] + run.chars[i + 1]);
    }
  }
  return [...terms];
}

/**
 * The terms a case must hold to match a query: a lone CJK character itself, a longer CJK run its
 * pairs ("夜间施工": 夜间, 间施, 施工), other words as indexed. Deduplicated.
 */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const run of runs(query)) {
    if (!run.cjk) {
      const w = word(run);
      if (w) terms.add(w);
    } else if (run.chars.length === 1) {
      terms.add(run.chars[0]);
    } else {
      for (let i = 0; i + 1 < run.chars.length; i++) terms.add(run.chars[i] + run.chars[i + 1]);
    }
  }
  return [...terms];
}

/** The stored form of terms: HMAC-SHA256 with the search key, truncated, base64url. */
function hashTerms(terms: readonly string[], key: Buffer): string[] {
  return [...new Set(terms.map((t) => createHmac('sha256', key).update(t, 'utf8').digest().subarray(0, TERM_BYTES).toString('base64url')))];
}

function currentKey(): Buffer {
  return searchKey() ?? UNKEYED;
}

/** Names the key that hashed a case's terms, without revealing it: terms hashed with another key match no query. */
function keyTag(key: Buffer): string {
  return createHmac('sha256', key).update('case-search key tag').digest().subarray(0, 8).toString('base64url');
}

/** Every string in a details JSON text (its values, not its keys). */
function detailValues(details: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    return [details];
  }
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number') out.push(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(parsed);
  return out;
}

const RETRYABLE = new Set(['P2002', 'P2034']);

export interface CaseSearchDeps {
  db: Db;
  /** Accepted for symmetry with the other services; the index's versions come from the rows themselves. */
  now?: () => Date;
}

export class CaseSearch {
  private readonly db: Db;

  constructor(deps: CaseSearchDeps) {
    this.db = deps.db;
  }

  /**
   * Indexes every case not indexed yet or changed since (its updatedAt, or a petitioner message
   * added to it, later than the version indexed), in batches, each case's terms replaced in a
   * transaction of its own. Anonymised cases lose their terms. Safe with several processes at once:
   * the same terms are inserted once (primary key, ON CONFLICT DO NOTHING) and a case indexed from
   * an older version is indexed again on the next call. Returns how many cases were indexed.
   */
  async refresh(): Promise<number> {
    const key = currentKey();
    const tag = keyTag(key);
    let indexed = 0;
    let after = '';
    for (;;) {
      // Stale: never indexed, changed since, or hashed with another key (PERSONAL_DATA_KEYS got a new first key).
      const stale = await this.db.$queryRaw<{ id: string }[]>`SELECT c."id" FROM "Case" c
        LEFT JOIN "CaseSearchState" s ON s."caseId" = c."id"
        WHERE c."id" > ${after} AND (s."caseId" IS NULL OR c."updatedAt" > s."indexedAt" OR s."keyTag" <> ${tag}
          OR EXISTS (SELECT 1 FROM "Message" m WHERE m."caseId" = c."id" AND m."role" = ${'petitioner'} AND m."createdAt" > s."indexedAt"))
        ORDER BY c."id" LIMIT ${BATCH}`;
      if (!stale.length) break;
      after = stale[stale.length - 1].id;
      const ids = stale.map((r) => r.id);
      const cases = await this.db.case.findMany({
        where: { id: { in: ids } },
        select: { id: true, summary: true, details: true, updatedAt: true, anonymisedAt: true },
      });
      const messages = await this.db.message.findMany({
        where: { caseId: { in: ids }, role: 'petitioner' },
        select: { caseId: true, text: true, createdAt: true },
      });
      const byCase = new Map<string, { text: string; createdAt: Date }[]>();
      for (const m of messages) {
        const list = byCase.get(m.caseId as string) ?? [];
        list.push(m);
        byCase.set(m.caseId as string, list);
      }
      for (const c of cases) {
        const own = byCase.get(c.id) ?? [];
        // The version indexed: the case's last change or its latest petitioner message, whichever is later.
        const version = new Date(Math.max(c.updatedAt.getTime(), ...own.map((m) => m.createdAt.getTime())));
        if (c.anonymisedAt) {
          await this.replace(c.id, [], version, tag);
          continue;
        }
        const terms = new Set<string>();
        for (const text of [c.summary, ...detailValues(c.details), ...own.map((m) => m.text)]) {
          for (const t of searchTerms(text)) terms.add(t);
        }
        await this.replace(c.id, hashTerms([...terms], key), version, tag);
        indexed++;
      }
      if (stale.length < BATCH) break;
    }
    return indexed;
  }

  /**
   * The ids of the cases holding every term of the query (sorted), or null when the query has no
   * terms (only punctuation, single letters). A query over MAX_QUERY_CHARS characters or with more
   * than MAX_QUERY_TERMS terms is refused.
   */
  async matching(query: string): Promise<string[] | null> {
    if (query.length > MAX_QUERY_CHARS) throw new HubError('bad_request', `a search may be at most ${MAX_QUERY_CHARS} characters long`);
    const terms = queryTerms(query);
    if (!terms.length) return null;
    if (terms.length > MAX_QUERY_TERMS) throw new HubError('bad_request', `a search may hold at most ${MAX_QUERY_TERMS} words or character pairs`);
    const hashes = hashTerms(terms, currentKey());
    const rows = await this.db.caseSearchTerm.groupBy({
      by: ['caseId'],
      where: { term: { in: hashes } },
      having: { term: { _count: { equals: hashes.length } } },
      orderBy: { caseId: 'asc' },
    });
    return rows.map((r) => r.caseId);
  }

  /**
   * Removes a case from the index (its terms and its version), inside the caller's transaction when
   * given one. The next refresh() looks at the case again: an anonymised case stays out, any other is
   * indexed anew.
   */
  async forget(db: Db | Tx, caseId: string): Promise<void> {
    await db.caseSearchTerm.deleteMany({ where: { caseId } });
    await db.caseSearchState.deleteMany({ where: { caseId } });
  }

  /** A case's terms replaced and its version recorded, in one transaction (retried once if a concurrent indexer collided). */
  private async replace(caseId: string, hashes: readonly string[], version: Date, tag: string): Promise<void> {
    const db = this.db;
    const attempt = () => {
      const inserts = [];
      for (let i = 0; i < hashes.length; i += INSERT_CHUNK) {
        const values = hashes.slice(i, i + INSERT_CHUNK).map((h) => Prisma.sql`(${caseId}, ${h})`);
        inserts.push(db.$executeRaw`INSERT INTO "CaseSearchTerm" ("caseId", "term") VALUES ${Prisma.join(values)} ON CONFLICT DO NOTHING`);
      }
      return db.$transaction([
        db.caseSearchTerm.deleteMany({ where: { caseId } }),
        ...inserts,
        db.caseSearchState.upsert({ where: { caseId }, create: { caseId, indexedAt: version, keyTag: tag }, update: { indexedAt: version, keyTag: tag } }),
      ]);
    };
    try {
      await attempt();
    } catch (err) {
      if (!(err instanceof Prisma.PrismaClientKnownRequestError && RETRYABLE.has(err.code))) throw err;
      await attempt();
    }
  }
}
