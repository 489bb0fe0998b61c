// Writes the SQL migration that takes the committed migrations to the current schema, for both providers:
//   npm run db:migration -- <name>
// Works offline (schema-to-schema diff; no database needed). The hub applies the files on start.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { derivePostgresSchema, sqliteSchema } from './prisma-generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const name = process.argv[2];
mkdirSync(join(root, 'data'), { recursive: true }); // the CLI's SQLite adapter opens a scratch file there
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <snake_case_name>');
  process.exit(2);
}

// The last schema each folder was generated from is kept beside its migrations, so the next diff starts there.
for (const [provider, schema] of [['sqlite', sqliteSchema], ['postgresql', derivePostgresSchema()]]) {
  const folder = join(root, 'prisma', 'migrations', provider);
  mkdirSync(folder, { recursive: true });
  const snapshot = join(folder, 'schema.snapshot.prisma');
  const from = existsSync(snapshot) ? ['--from-schema-datamodel', snapshot] : ['--from-empty'];
  const sql = execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'migrate', 'diff', ...from, '--to-schema-datamodel', schema, '--script'],
    { cwd: root, env: { ...process.env, PRISMA_PROVIDER: provider }, encoding: 'utf8' },
  );
  if (!sql.trim() || /This is an empty migration/.test(sql)) {
    console.log(`${provider}: no changes`);
    continue;
  }
  const index = String(readdirSync(folder).filter((f) => /^\d{4}_/.test(f)).length + 1).padStart(4, '0');
  const dir = join(folder, `${index}_${name}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'migration.sql'), sql);
  writeFileSync(snapshot, readFileSync(schema, 'utf8'));
  console.log(`${provider}: wrote ${dir}/migration.sql`);
}
