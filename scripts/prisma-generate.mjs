// Generates the two Prisma clients (SQLite and PostgreSQL) from the one schema in prisma/schema.prisma.
// Runs on `npm install` (postinstall); needs no network and no engine binary (JS query compiler).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const sqliteSchema = join(root, 'prisma', 'schema.prisma');
export const postgresSchema = join(root, 'generated', 'schema.postgresql.prisma');

export function derivePostgresSchema() {
  const source = readFileSync(sqliteSchema, 'utf8');
  const derived = source
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('url      = "file:./placeholder.db"', 'url      = "postgresql://localhost/placeholder"')
    .replace('output          = "../generated/sqlite"', 'output          = "./postgresql"');
  if (derived === source || !derived.includes('"postgresql"') || !derived.includes('"./postgresql"')) {
    throw new Error('prisma/schema.prisma no longer has the lines this script swaps; update scripts/prisma-generate.mjs');
  }
  mkdirSync(dirname(postgresSchema), { recursive: true });
  writeFileSync(postgresSchema, derived);
  return postgresSchema;
}

function generate(schema) {
  execFileSync(process.execPath, [join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate', '--schema', schema], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PRISMA_PROVIDER: schema === postgresSchema ? 'postgresql' : 'sqlite', PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  generate(sqliteSchema);
  generate(derivePostgresSchema());
}
