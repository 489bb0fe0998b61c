// Prisma CLI configuration. The hub itself never runs the CLI at start-up: it applies the committed
// SQL migrations (src/db/migrate.ts). The CLI is used only to generate clients and to diff schemas,
// offline, with the JS engines (no engine binary download).
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';

const usePostgres = process.env.PRISMA_PROVIDER === 'postgresql';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: usePostgres ? 'generated/schema.postgresql.prisma' : 'prisma/schema.prisma',
  adapter: async () =>
    usePostgres
      ? new PrismaPg({ connectionString: process.env.PRISMA_CLI_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test' })
      : new PrismaBetterSQLite3({ url: 'file:./data/cli.db' }),
});
