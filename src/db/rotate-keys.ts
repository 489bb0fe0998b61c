import type { SqlDb } from './sql-driver.js';
import { execute, sql, type Statement } from './sql.js';
import { seal, sealedPrefix } from './personal-data.js';

/** Every column that holds personal data encrypted at rest, by table and key column. */
export const SEALED_COLUMNS: readonly { table: string; key: string; column: string }[] = [
  { table: 'Petitioner', key: 'id', column: 'name' },
  { table: 'Petitioner', key: 'id', column: 'phone' },
  { table: 'Conversation', key: 'id', column: 'state' },
  { table: 'Message', key: 'id', column: 'text' },
  { table: 'Case', key: 'id', column: 'details' },
  { table: 'Case', key: 'id', column: 'summary' },
  { table: 'CaseEvent', key: 'id', column: 'text' },
  { table: 'Attachment', key: 'id', column: 'name' },
];

const BATCH = 500;

/** A table or column name from the list above, never from input: identifiers cannot be bound values. */
const name = (n: string): Statement => ({ parts: [`"${n}"`], values: [] });

/**
 * Re-encrypts with the current key every value sealed with another key or not sealed at all (written
 * before keys were configured), in batches of one transaction each, so the hub can keep running. The
 * drivers open what they read; each value is then sealed again. Returns how many values were rewritten.
 */
export async function rotateKeys(db: SqlDb, onProgress?: (table: string, column: string, done: number) => void): Promise<number> {
  const current = sealedPrefix();
  if (!current) throw new Error('PERSONAL_DATA_KEYS is not set: there is no key to encrypt with');
  let total = 0;
  for (const { table, key, column } of SEALED_COLUMNS) {
    let done = 0;
    let after = '';
    for (;;) {
      const rows = await db.query<{ id: string; value: string }>(sql`SELECT ${name(key)} AS "id", ${name(column)} AS "value" FROM ${name(table)}
        WHERE ${name(column)} IS NOT NULL AND ${name(column)} NOT LIKE ${`${current}%`} AND ${name(key)} > ${after} ORDER BY ${name(key)} LIMIT ${BATCH}`);
      if (!rows.length) break;
      await db.transaction(function* () {
        for (const r of rows) yield* execute(sql`UPDATE ${name(table)} SET ${name(column)} = ${seal(r.value)} WHERE ${name(key)} = ${r.id}`);
      });
      done += rows.length;
      after = rows[rows.length - 1].id;
      onProgress?.(table, column, done);
    }
    total += done;
  }
  return total;
}

/** How many stored values are not sealed with the current key (0 after a rotation). */
export async function unsealedCount(db: SqlDb): Promise<number> {
  const current = sealedPrefix();
  let n = 0;
  for (const { table, column } of SEALED_COLUMNS) {
    const [row] = await db.query<{ n: number | bigint }>(
      current
        ? sql`SELECT COUNT(*) AS "n" FROM ${name(table)} WHERE ${name(column)} IS NOT NULL AND ${name(column)} NOT LIKE ${`${current}%`}`
        : sql`SELECT COUNT(*) AS "n" FROM ${name(table)} WHERE ${name(column)} IS NOT NULL`,
    );
    n += Number(row?.n ?? 0);
  }
  return n;
}
