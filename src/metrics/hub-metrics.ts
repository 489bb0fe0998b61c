import cluster from 'node:cluster';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AttemptOutcome, OutboxObserver } from '../outbox/outbox.js';
import type { SqlDb } from '../db/sql-driver.js';
import type { Logger } from '../logger.js';
import { outboxGauges } from './outbox-gauges.js';
import { poolGauges, trafficCounters } from './pool-gauges.js';
import { joinClusterMetrics } from './cluster-metrics.js';

/** How a message a channel handed to the gateway ended (docs/metrics.md). */
export type MessageOutcome = 'taken' | 'duplicate' | 'refused' | 'failed';
/** How a dialogue turn ended: answered, the replies of an earlier delivery of the same message, or an error. */
export type TurnOutcome = 'answered' | 'duplicate' | 'failed';

/** What the channel gateway reports (src/channels/channel-gateway.ts). */
export interface GatewayMetrics {
  message(channel: string, outcome: MessageOutcome): void;
  turn(channel: string, outcome: TurnOutcome, ms: number): void;
}

/** What the NLU reports of each call (src/nlu/nlu.ts): which call, whether an NLU thread ran it, how long it took. */
export type NluObserver = (call: 'understand' | 'filing', threaded: boolean, ms: number) => void;

// Seconds. A turn is tens of milliseconds at ease, seconds when the hub is saturated.
const TURN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const NLU_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
// A third party's API: a Slack call is about 0.1–0.5 s, a timeout tens of seconds.
const OUTBOX_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const seconds = (ms: number) => ms / 1000;

/**
 * The hub's Prometheus metrics, in a registry of its own (tests start many hubs in one process, so
 * never prom-client's global one). Labels are only ever names from a small fixed set (channel, job
 * kind, category, outcome): never a conversation, a person or any text. Each metric is described in
 * docs/metrics.md; the `aggregator` of each says how a cluster's processes add up (cluster-metrics.ts).
 */
export class HubMetrics implements GatewayMetrics, OutboxObserver {
  readonly registry = new Registry();
  private readonly messages: Counter<'channel' | 'outcome'>;
  private readonly turns: Counter<'channel' | 'outcome'>;
  private readonly turnSeconds: Histogram<'channel'>;
  private readonly casesFiled: Counter<'category'>;
  private readonly outboxAttempts: Counter<'kind' | 'outcome'>;
  private readonly outboxSeconds: Histogram<'kind'>;
  private readonly deadlineAlerts: Counter<'deadline' | 'stage'>;
  private readonly nluSeconds: Histogram<'call' | 'thread'>;
  /** This process's metrics, or in a cluster worker the whole cluster's (cluster-metrics.ts). */
  readonly scrape: () => Promise<string>;

  /** @param options.clustered one of the processes of a HUB_PROCESSES cluster (HubOptions.clustered). */
  constructor(options: { clustered?: boolean } = {}) {
    const registers = [this.registry];
    this.messages = new Counter({
      name: 'hub_messages_received_total',
      help: 'Messages channels handed to the hub, by channel and outcome (taken, duplicate, refused, failed).',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.turns = new Counter({
      name: 'hub_turns_total',
      help: "Dialogue turns run for petitioners' messages, by channel and outcome (answered, duplicate, failed).",
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.turnSeconds = new Histogram({
      name: 'hub_turn_duration_seconds',
      help: 'Time of an answered turn, from the gateway handing the message over to the replies stored (waiting for the conversation, understanding, dialogue, commit).',
      labelNames: ['channel'],
      buckets: TURN_BUCKETS,
      registers,
    });
    this.casesFiled = new Counter({
      name: 'hub_cases_filed_total',
      help: 'Cases filed, by routing category.',
      labelNames: ['category'],
      registers,
    });
    this.outboxAttempts = new Counter({
      name: 'hub_outbox_attempts_total',
      help: 'Outbox delivery attempts, by job kind and outcome (sent, retry, dead: given up, a dead letter).',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.outboxSeconds = new Histogram({
      name: 'hub_outbox_attempt_duration_seconds',
      help: "Time of one outbox delivery attempt (the third party's answer included), by job kind.",
      labelNames: ['kind'],
      buckets: OUTBOX_BUCKETS,
      registers,
    });
    this.deadlineAlerts = new Counter({
      name: 'hub_deadline_alerts_total',
      help: 'Deadline alerts raised by this deployment: reminders before a deadline and overdue escalations, by deadline (acceptance, resolution).',
      labelNames: ['deadline', 'stage'],
      registers,
    });
    this.nluSeconds = new Histogram({
      name: 'hub_nlu_duration_seconds',
      help: 'Time to understand a message (call="understand") or assess a filing (call="filing"), by whether an NLU thread ran it.',
      labelNames: ['call', 'thread'],
      buckets: NLU_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'hub_processes',
      help: 'Hub processes whose metrics this scrape adds up (HUB_PROCESSES; 1 without a cluster).',
      registers,
      collect() {
        this.set(1);
      },
    });
    // Event-loop lag, heap, GC, CPU, handles: prom-client's process metrics, in this registry.
    collectDefaultMetrics({ register: this.registry });
    this.scrape = options.clustered && cluster.isWorker ? joinClusterMetrics(this.registry) : () => this.registry.metrics();
  }

  message(channel: string, outcome: MessageOutcome): void {
    this.messages.inc({ channel, outcome });
  }

  turn(channel: string, outcome: TurnOutcome, ms: number): void {
    this.turns.inc({ channel, outcome });
    if (outcome === 'answered') this.turnSeconds.observe({ channel }, seconds(ms));
  }

  caseFiled(category: string): void {
    this.casesFiled.inc({ category });
  }

  /** OutboxObserver: every attempt at a job. */
  attempted(kind: string, outcome: AttemptOutcome, ms: number): void {
    this.outboxAttempts.inc({ kind, outcome });
    this.outboxSeconds.observe({ kind }, seconds(ms));
  }

  deadlineAlert(deadline: string, stage: string): void {
    this.deadlineAlerts.inc({ deadline, stage });
  }

  readonly nlu: NluObserver = (call, threaded, ms) => this.nluSeconds.observe({ call, thread: String(threaded) }, seconds(ms));

  /** Gauges read from the database at scrape time: the outbox's depth and age, the driver's pool (PostgreSQL). */
  watchDatabase(sql: SqlDb, now: () => Date, logger: Logger): void {
    outboxGauges(this.registry, sql, now, logger);
    poolGauges(this.registry, sql);
    trafficCounters(this.registry, sql);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * Lets go of the hub's metrics. prom-client keeps its event-loop and GC observers for the life of
   * the process; emptying the registry at least lets go of everything they would otherwise hold on
   * to through it (the database, in the gauges' collect functions).
   */
  close(): void {
    this.registry.clear();
  }
}
