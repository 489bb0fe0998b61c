import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Logger } from '../logger.js';

/**
 * /metrics for a HUB_PROCESSES cluster. Every process shares the port, so a scrape lands on any one
 * of them; it asks the primary, which gathers every worker's registry and adds them up with
 * prom-client's AggregatorRegistry (each metric's `aggregator`: counters and histograms summed,
 * figures read from the shared database taken once). Prometheus then sees one hub, whichever
 * process answered.
 */

const SCRAPE = 'hub-metrics:scrape';
const SCRAPED = 'hub-metrics:scraped';
/** Longer than the primary's own wait for the workers (prom-client gives up after 5 s). */
const SCRAPE_TIMEOUT_MS = 10_000;

interface ScrapeRequest {
  type: typeof SCRAPE;
  id: number;
}

interface ScrapeAnswer {
  type: typeof SCRAPED;
  id: number;
  text?: string;
  error?: string;
}

const isMessage = <T extends { type: string }>(m: unknown, type: T['type']): m is T =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === type;

/** In the primary: answers a worker's scrape with the whole cluster's metrics. */
export function serveClusterMetrics(logger: Logger): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, m: unknown) => {
    if (!isMessage<ScrapeRequest>(m, SCRAPE)) return;
    const answer = (a: Omit<ScrapeAnswer, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: SCRAPED, id: m.id, ...a } satisfies ScrapeAnswer);
    };
    aggregator.clusterMetrics().then(
      (text) => answer({ text }),
      (err: unknown) => {
        logger.warn({ err }, 'metrics: the hub processes did not all answer');
        answer({ error: err instanceof Error ? err.message : String(err) });
      },
    );
  });
}

/**
 * In a worker: answers the primary's requests with this process's registry, and returns how to
 * scrape the whole cluster (through the primary).
 */
export function joinClusterMetrics(registry: Registry): () => Promise<string> {
  // prom-client answers the primary with these registries; constructing an AggregatorRegistry is
  // what makes it listen in a worker.
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry();
  const waiting = new Map<number, { resolve(text: string): void; reject(err: Error): void }>();
  let next = 0;
  process.on('message', (m: unknown) => {
    if (!isMessage<ScrapeAnswer>(m, SCRAPED)) return;
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error !== undefined || m.text === undefined) w?.reject(new Error(m.error ?? 'no metrics'));
    else w?.resolve(m.text);
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      if (!process.send) return reject(new Error('not a cluster worker'));
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the cluster primary did not answer'));
      }, SCRAPE_TIMEOUT_MS);
      const done = () => clearTimeout(timer);
      waiting.set(id, { resolve: (text) => (done(), resolve(text)), reject: (err) => (done(), reject(err)) });
      process.send({ type: SCRAPE, id } satisfies ScrapeRequest);
    });
}
