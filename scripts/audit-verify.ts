/**
 * `npm run audit:verify`
 *
 * Checks the tamper-evident history of every case (docs/audit.md): recomputes each event's hash,
 * checks that the events follow each other without gaps and that each case's head points at its
 * last event. Reads DATABASE_URL from the environment or .env, as the hub does; only reads. Exits 0
 * when every chain holds, 1 when one is broken (the first break of each case is printed), 2 when it
 * could not check.
 */
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '../src/config.js';
import { useConfiguredKeys } from '../src/db/personal-data.js';
import { closeDb, createDb, providerOf, sqlitePath, sqlOf } from '../src/db/client.js';
import { verifyChains } from '../src/cases/event-chain.js';

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  // Event texts are hashed as written: encrypted ones are opened with the hub's keys first.
  useConfiguredKeys(config.PERSONAL_DATA_KEYS);
  const url = config.DATABASE_URL;
  if (providerOf(url) === 'sqlite' && !existsSync(sqlitePath(url))) {
    console.error(`audit:verify: no database at ${sqlitePath(url)}`);
    return 2;
  }
  const db = createDb(url);
  try {
    // Opens the connection the SQLite driver shares with Prisma.
    await db.$queryRawUnsafe('SELECT 1');
    const report = await verifyChains(sqlOf(db));
    const summary = `${report.cases} cases, ${report.events} events checked`;
    const redacted = report.redacted ? `; ${report.redacted} event texts scrubbed by anonymisation (expected)` : '';
    if (!report.breaks.length) {
      console.log(`audit:verify: ${summary}${redacted}: every chain holds`);
      return 0;
    }
    console.log(`audit:verify: ${summary}${redacted}: ${report.breaks.length} case(s) with a broken chain (first break of each):`);
    for (const b of report.breaks) {
      console.log(`  ${b.trackingNumber}  seq ${b.seq ?? '-'}  event ${b.eventId ?? '-'}: ${b.problem}`);
    }
    return 1;
  } finally {
    await closeDb(db);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message);
    else if (/no such column|does not exist/.test(String((err as Error)?.message))) {
      console.error('audit:verify: this database has no event chain yet; start the hub once (it migrates and chains the existing events)');
    } else console.error(err);
    process.exit(2);
  },
);
