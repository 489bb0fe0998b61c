/**
 * `npm run keys:rotate`
 *
 * Re-encrypts the personal data at rest with the first key of PERSONAL_DATA_KEYS (docs/privacy.md):
 * values sealed with an older key, and values written before keys were configured. Put the new key
 * first and keep the old ones after it, run this (the hub may keep running), then drop the old keys.
 */
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '../src/config.js';
import { useConfiguredKeys } from '../src/db/personal-data.js';
import { closeDb, createDb, providerOf, sqlOf } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { rotateKeys, unsealedCount } from '../src/db/rotate-keys.js';

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  if (!config.PERSONAL_DATA_KEYS) {
    console.error('keys:rotate: PERSONAL_DATA_KEYS is not set; nothing to encrypt with');
    return 2;
  }
  useConfiguredKeys(config.PERSONAL_DATA_KEYS);
  const db = createDb(config.DATABASE_URL);
  try {
    await migrate(db, providerOf(config.DATABASE_URL));
    const rewritten = await rotateKeys(sqlOf(db), (table, column, done) => console.log(`  ${table}.${column}: ${done}`));
    const left = await unsealedCount(sqlOf(db));
    console.log(`keys:rotate: ${rewritten} values re-encrypted with key ${config.PERSONAL_DATA_KEYS.split(':')[0]}; ${left} not yet`);
    return left === 0 ? 0 : 1;
  } finally {
    await closeDb(db);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`keys:rotate: ${err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
