import { newId } from '../util/ids.js';
import type { Db, Tx } from '../db/client.js';
import type { Logger } from '../logger.js';
import { inPrisma } from '../db/sql-driver.js';
import { Sweeper } from '../util/sweeper.js';
import { execute, sql, type TxBody } from '../db/sql.js';

/** Thrown by a handler that was told when to try again (HTTP 429 Retry-After). */
export class RetryLater extends Error {
  constructor(
    readonly afterMs: number,
    message: string,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

/**
 * Thrown by a handler when the service refused for good (a Slack channel that does not exist, a
 * revoked token, a WeChat openid that is not the account's): retrying cannot help, so the job
 * becomes a dead letter at once, for an administrator to retry once the cause is fixed, or drop.
 */
export class Undeliverable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Undeliverable';
  }
}

export type JobHandler = (subject: string) => Promise<void>;

/** How one attempt at a job ended: sent, to be tried again, or given up (a dead letter). */
export type AttemptOutcome = 'sent' | 'retry' | 'dead';

/** Told of every attempt (the metrics count them); it must not throw. */
export interface OutboxObserver {
  attempted(kind: string, outcome: AttemptOutcome, ms: number): void;
}

const LOCK_MS = 60_000;
const MAX_BACKOFF_MS = 5 * 60_000;
/**
 * Attempts before a failing delivery becomes a dead letter: with the backoff doubling up to five
 * minutes, 30 attempts span about two hours, longer than a platform's usual outage.
 */
export const MAX_ATTEMPTS = 30;

interface DueJob {
  id: string;
  kind: string;
  subject: string;
  attempts: number;
  generation: number;
}

/**
 * The statement behind Outbox.enqueue, for transactions run on the driver (a petitioner's turn).
 * A job already waiting keeps its time (a rate limit still holds) unless `now` says the reason to
 * wait is gone (the petitioner is back, so WeChat's reply window is open again).
 */
export function* enqueueJob(kind: string, subject: string, at: Date, options: { now?: boolean } = {}): TxBody<void> {
  // `now` also brings a dead letter back (the petitioner wrote again: they can be reached); any
  // other change leaves it dead, for an administrator to retry once the cause is fixed.
  const revive = options.now ? sql`, "nextAttemptAt" = ${at}, "deadAt" = NULL, "attempts" = 0` : sql``;
  yield* execute(sql`INSERT INTO "OutboxJob" ("id", "kind", "subject", "attempts", "generation", "nextAttemptAt", "createdAt")
    VALUES (${newId()}, ${kind}, ${subject}, 0, 0, ${at}, ${at})
    ON CONFLICT ("kind", "subject") DO UPDATE SET "generation" = "OutboxJob"."generation" + 1${revive}`);
}

/**
 * Deliveries to third-party services (Slack cards) as database rows: enqueued in the same
 * transaction as the change they report, sent by a worker that retries with backoff and honours
 * rate limits, and still there after a restart. A job says "bring X up to date", so however many
 * changes pile up while the service is away, one send catches up.
 */
export class Outbox {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly sweeper: Sweeper;
  private kicked = false;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly now: () => Date,
    private readonly observer?: OutboxObserver,
  ) {
    this.sweeper = new Sweeper(
      async () => {
        for (const job of await this.due()) await this.send(job);
      },
      (err) => this.logger.error({ err }, 'outbox run failed'),
    );
  }

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Asks for `subject` to be brought up to date; inside `tx` when it reports a change made there. */
  async enqueue(kind: string, subject: string, tx: Db | Tx = this.db, options: { now?: boolean } = {}): Promise<void> {
    await inPrisma(tx, enqueueJob(kind, subject, this.now(), options));
    if (tx === this.db) this.kick();
  }

  /** Runs due jobs soon (call after a transaction that enqueued some commits). */
  kick(): void {
    // Many turns may ask in one tick; one run serves them all. Nothing to send with no channel that sends.
    if (this.kicked || this.handlers.size === 0) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      void this.runDue();
    });
  }

  start(intervalMs = 1000): void {
    this.sweeper.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.sweeper.stop();
  }

  /** Sends every job that is due; concurrent calls share one run. */
  runDue(): Promise<void> {
    return this.sweeper.run();
  }

  private async due(): Promise<DueJob[]> {
    const at = this.now();
    return this.db.outboxJob.findMany({
      // Only jobs this instance can send: in a cluster, not every process runs every channel.
      where: { kind: { in: [...this.handlers.keys()] }, deadAt: null, nextAttemptAt: { lte: at }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: at } }] },
      orderBy: { nextAttemptAt: 'asc' },
      take: 50,
      select: { id: true, kind: true, subject: true, attempts: true, generation: true },
    });
  }

  private async send(job: DueJob): Promise<void> {
    const at = this.now();
    // Claim it, so that another instance polling at the same moment leaves it alone.
    const claimed = await this.db.$executeRaw`UPDATE "OutboxJob" SET "lockedUntil" = ${new Date(at.getTime() + LOCK_MS)}
      WHERE "id" = ${job.id} AND ("lockedUntil" IS NULL OR "lockedUntil" < ${at})`;
    if (claimed === 0) return;
    const handler = this.handlers.get(job.kind);
    const started = performance.now();
    try {
      if (!handler) throw new Error(`no handler for ${job.kind}`);
      await handler(job.subject);
      this.observer?.attempted(job.kind, 'sent', performance.now() - started);
      const removed = await this.db.$executeRaw`DELETE FROM "OutboxJob" WHERE "id" = ${job.id} AND "generation" = ${job.generation}`;
      // Changed again while sending: send once more with the newest state.
      if (removed === 0) await this.db.outboxJob.update({ where: { id: job.id }, data: { lockedUntil: null, nextAttemptAt: this.now() } });
      if (removed === 0) this.sweeper.again();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const attempts = job.attempts + 1;
      if (err instanceof Undeliverable || attempts >= MAX_ATTEMPTS) {
        this.observer?.attempted(job.kind, 'dead', performance.now() - started);
        this.logger.error({ kind: job.kind, subject: job.subject, attempts, error: message }, 'outbox job is a dead letter: not tried again until an administrator retries it');
        await this.db.outboxJob.update({ where: { id: job.id }, data: { attempts, lockedUntil: null, lastError: message.slice(0, 500), deadAt: this.now() } });
        return;
      }
      const wait = err instanceof RetryLater ? err.afterMs : Math.min(1000 * 2 ** job.attempts, MAX_BACKOFF_MS);
      this.observer?.attempted(job.kind, 'retry', performance.now() - started);
      this.logger.warn({ kind: job.kind, subject: job.subject, attempts: job.attempts + 1, retryInMs: wait, error: message }, 'outbox job will be retried');
      await this.db.outboxJob.update({
        where: { id: job.id },
        data: { attempts: { increment: 1 }, lockedUntil: null, lastError: message.slice(0, 500), nextAttemptAt: new Date(this.now().getTime() + wait) },
      });
    }
  }
}
