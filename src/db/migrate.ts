import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db, Provider } from './client.js';
import { projectPath } from '../util/project-root.js';

const MIGRATIONS_ROOT = projectPath('prisma', 'migrations');

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(provider: Provider): Migration[] {
  const folder = join(MIGRATIONS_ROOT, provider);
  return readdirSync(folder)
    .filter((f) => /^\d{4}_/.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(folder, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies the committed migrations that this database has not seen, each in its own transaction,
 * recording them in _hub_migrations. The Prisma CLI is kept out of start-up: offline it is slow and
 * its WASM schema engine mishandled provider differences when tried. `until` stops after the named
 * migration (tests that upgrade a database of an earlier version).
 */
export async function migrate(db: Db, provider: Provider, until?: string): Promise<string[]> {
  await db.$executeRawUnsafe(
    'CREATE TABLE IF NOT EXISTS "_hub_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)',
  );
  if (provider === 'postgresql') {
    // Several instances may start together; one applies, the others wait for it.
    await db.$executeRawUnsafe('SELECT pg_advisory_lock(724190311)');
  }
  try {
    const rows = await db.$queryRawUnsafe<{ name: string; checksum: string }[]>(
      'SELECT "name", "checksum" FROM "_hub_migrations"',
    );
    const applied = new Map(rows.map((r) => [r.name, r.checksum]));
    const done: string[] = [];
    const migrations = listMigrations(provider);
    if (until && !migrations.some((m) => m.name === until)) throw new Error(`no migration ${until}`);
    const upTo = until ? migrations.findIndex((m) => m.name === until) + 1 : migrations.length;
    for (const m of migrations.slice(0, upTo)) {
      const seen = applied.get(m.name);
      if (seen && seen !== m.checksum) {
        throw new Error(`migration ${m.name} was changed after it was applied; add a new migration instead`);
      }
      if (seen) continue;
      const statements = splitStatements(m.sql);
      await db.$transaction([
        ...statements.map((s) => db.$executeRawUnsafe(s)),
        // Tagged template: Prisma writes the placeholders each dialect wants.
        db.$executeRaw`INSERT INTO "_hub_migrations" ("name", "checksum", "appliedAt") VALUES (${m.name}, ${m.checksum}, ${new Date().toISOString()})`,
      ]);
      done.push(m.name);
    }
    return done;
  } finally {
    if (provider === 'postgresql') await db.$executeRawUnsafe('SELECT pg_advisory_unlock(724190311)');
  }
}

/** Splits Prisma's generated SQL into statements (it never puts ';' inside literals or bodies). */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}
