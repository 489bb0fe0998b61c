import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

/**
 * Copies SQLite's write-ahead log back into the database file on a thread of its own. Left to
 * SQLite, the commit that finds the log past 1,000 pages does it, on the hub's one JavaScript thread:
 * about half of all commit time under load, and a pause for every turn queued behind it. Here a
 * page rewritten by many turns in a second is also copied once, not once per 1,000 pages.
 * A PASSIVE checkpoint never waits for or blocks the hub's readers and writers; one that cannot get
 * its lock (another process's checkpointer) tries again next time.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try { checkpoint.get(); } catch { /* busy: next time */ }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  try { checkpoint.get(); } catch {}
  db.close();
  parentPort.postMessage('closed');
});
`;

/**
 * What the hub's own connection does meanwhile: it checkpoints only if the log grows this far
 * (about 80 MB), which happens only if the checkpoint thread has stopped or falls far behind.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 20_000;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, intervalMs = 1000): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, intervalMs, driver } });
  // A checkpoint thread that fails leaves the hub's fallback checkpoints in place; it must not crash the hub.
  worker.on('error', () => undefined);
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        worker.once('message', () => void worker.terminate().catch(() => undefined));
        worker.postMessage('stop');
        void exited.then(resolve);
      });
      return stopped;
    },
  };
}
