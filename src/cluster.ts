import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import type { HubEventBus } from './events.js';
import { isRelay, relayEvents } from './event-relay.js';
import type { Logger } from './logger.js';
import { serveClusterMetrics } from './metrics/cluster-metrics.js';

/**
 * Several hub processes on one port (HUB_PROCESSES), for machines with more than one core: Node
 * runs JavaScript on one thread per process. The processes share the database, which already makes
 * concurrent instances safe (version-guarded turns, claimed outbox jobs). What remains in memory is
 * pushed messages to open web chat sockets: a petitioner's socket is held by one process, so events
 * for it are relayed to all the others through the primary.
 */

const READY = 'hub-ready';
const LISTEN = 'hub-listen';

/**
 * The primary process: starts the lead worker first (it applies migrations and runs what must run
 * once: a Socket Mode connection), then the others; replaces a worker that dies; relays events.
 */
export async function runPrimary(count: number, logger: Logger): Promise<void> {
  let stopping = false;
  // GET /metrics on any worker reports the whole cluster, added up here.
  serveClusterMetrics(logger);
  const fork = (lead: boolean): Worker => {
    const worker = cluster.fork({ HUB_LEAD: lead ? '1' : '0' });
    const leads = lead;
    worker.on('message', (m: unknown) => {
      if (!isRelay(m)) return;
      for (const other of Object.values(cluster.workers ?? {})) if (other && other !== worker && other.isConnected()) other.send(m);
    });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      logger.error({ pid: worker.process.pid, code, signal }, 'hub worker died; starting another');
      const next = fork(leads);
      next.on('message', (m: unknown) => m === READY && next.send(LISTEN));
    });
    return worker;
  };
  const ready = (w: Worker) =>
    new Promise<void>((resolve, reject) => {
      w.on('message', (m: unknown) => m === READY && resolve());
      w.once('exit', (code) => reject(new Error(`the first hub process exited with code ${code} while starting`)));
    });
  const lead = fork(true);
  await ready(lead);
  const rest = Array.from({ length: count - 1 }, () => fork(false));
  await Promise.all(rest.map(ready));
  // All listen at once, so that the first answer on the port means every process is ready.
  for (const w of [lead, ...rest]) w.send(LISTEN);
  logger.info({ processes: count }, 'hub processes ready');
  const stop = async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => (w.isDead() ? undefined : once(w, 'exit'))));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // The routing model reload (see main.ts) is for every process.
  process.on('SIGHUP', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGHUP');
  });
}

/**
 * In a worker: report ready, listen when the primary says so, relay events to and from the others
 * (unless `relay` is false: with REDIS_URL every process relays through Redis instead).
 */
export function joinCluster(hub: { events: HubEventBus; listen(): Promise<void> }, logger: Logger, { relay = true } = {}): void {
  const receive = relay ? relayEvents(hub.events, (m) => process.send?.(m)) : undefined;
  process.on('message', (m: unknown) => {
    if (m === LISTEN) hub.listen().catch((err: unknown) => logger.fatal({ err }, 'could not listen'));
    if (receive && isRelay(m)) receive(m);
  });
  process.send?.(READY);
}

export const isLeadProcess = (): boolean => !cluster.isWorker || process.env.HUB_LEAD === '1';
export const isClusterPrimary = (processes: number): boolean => processes > 1 && cluster.isPrimary;
