import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer, type Checkpointer } from '../../src/db/checkpointer.js';
import { eventually } from '../helpers/eventually.js';

const dirs: string[] = [];
const running: Checkpointer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A WAL database whose own connection never checkpoints, as the hub's does not under load. */
function database() {
  const dir = mkdtempSync(join(tmpdir(), 'checkpoint-'));
  dirs.push(dir);
  const file = join(dir, 'hub.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  const write = (rows: number) => db.transaction(() => { for (let i = 0; i < rows; i++) insert.run('x'.repeat(500)); })();
  return { file, db, write };
}

/** Frames in the log, and how many of them are already copied into the database file. */
function walState(db: Database.Database): { log: number; checkpointed: number } {
  // A PASSIVE checkpoint reports both counts without waiting for anyone.
  const [row] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
  return { log: row.log, checkpointed: row.checkpointed };
}

describe('checkpoint thread', () => {
  it('copies the log into the database file while the writer goes on', async () => {
    const { file, db, write } = database();
    write(2000);
    const before = statSync(file).size;
    running.push(startCheckpointer(file, 20));
    // The database file grows only when frames are copied into it: the thread did that, not the writer.
    await eventually(() => statSync(file).size, (size) => size > before * 4);
    expect(statSync(file).size).toBeGreaterThan(before * 4);
    write(10);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2010 });
    const state = walState(db);
    expect(state.checkpointed).toBe(state.log);
    db.close();
  });

  it('stops cleanly, and stopping twice is stopping once', async () => {
    const { file, db } = database();
    const c = startCheckpointer(file, 20);
    await c.stop();
    await c.stop();
    db.close();
  });

  it('never takes the hub down: a database it cannot open ends the thread, and stop still returns', async () => {
    const c = startCheckpointer(join(tmpdir(), 'no-such-dir-for-checkpoints', 'hub.db'), 20);
    await c.stop();
  });
});
