/** The SQLite writer thread (turn-thread.ts): commits the turns it is sent, grouped, on its own connection. */
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { CaseWrites } from '../cases/case-writes.js';
import { deadlinePolicy } from '../cases/deadlines.js';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from '../db/checkpointer.js';
import { BUSY_TIMEOUT_MS, SqliteSql } from '../db/sql-driver.js';
import { petitionSimilarity } from '../nlu/similarity-model.js';
import { serveCalls } from '../util/thread-rpc.js';
import { collectStartupGarbage, releaseMemoryWhenQuiet } from '../util/memory-release.js';
import { useConfiguredKeys } from '../db/personal-data.js';
import type { TurnRequest, TurnThreadSetup } from './turn-thread.js';
import { TurnWriter } from './turn-writer.js';

const setup = workerData as TurnThreadSetup;
// This thread writes turns too: it seals personal data with the hub's keys.
useConfiguredKeys(setup.config.PERSONAL_DATA_KEYS);
const db = new Database(setup.file, { fileMustExist: true });
// As tuneSqlite sets the hub's own connection.
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
db.pragma('foreign_keys = ON');
db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);

const similarity = setup.grouping ? petitionSimilarity(setup.intentsDir) : null;
const writes = new CaseWrites({
  deadlines: deadlinePolicy(setup.config),
  mirrors: setup.mirrors,
  duty: setup.duty,
  grouping: setup.grouping && similarity ? { ...setup.grouping, similarity: (a, b, category) => similarity.similarity(a, b, category) } : undefined,
});
const writer = new TurnWriter(new SqliteSql(() => db), writes);
collectStartupGarbage();
const quiet = releaseMemoryWhenQuiet();

serveCalls(
  (r: TurnRequest) => writer.save(r.item, r.effects),
  async () => {
    // Turns in hand are committed, then the connection is closed cleanly (its WAL locks released).
    quiet.stop();
    await writer.close();
    db.close();
  },
);
