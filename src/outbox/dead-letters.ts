import type { Db } from '../db/client.js';
import { HubError } from '../errors.js';
import type { Outbox } from './outbox.js';

export interface DeadLetter {
  id: string;
  kind: string;
  /** What the job was about: a case id, a conversation id (never personal data). */
  subject: string;
  attempts: number;
  /** The service's last refusal, as it said it. */
  reason: string | null;
  deadAt: string;
  createdAt: string;
}

const LIST_LIMIT = 500;

/**
 * Deliveries the outbox gave up on (a permanent refusal, or too many failed attempts): listed for an
 * administrator, who retries them once the cause is fixed (a channel created, the bot invited, a
 * token renewed), or drops them.
 */
export class DeadLetters {
  constructor(
    private readonly db: Db,
    private readonly outbox: Outbox,
    private readonly now: () => Date,
  ) {}

  async list(kind?: string): Promise<DeadLetter[]> {
    const rows = await this.db.outboxJob.findMany({
      where: { deadAt: { not: null }, ...(kind ? { kind } : {}) },
      orderBy: { deadAt: 'desc' },
      take: LIST_LIMIT,
      select: { id: true, kind: true, subject: true, attempts: true, lastError: true, deadAt: true, createdAt: true },
    });
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      subject: r.subject,
      attempts: r.attempts,
      reason: r.lastError,
      deadAt: (r.deadAt as Date).toISOString(),
      createdAt: r.createdAt.toISOString(),
    }));
  }

  async count(): Promise<number> {
    return this.db.outboxJob.count({ where: { deadAt: { not: null } } });
  }

  /** Sends them again from a fresh start (attempts counted anew); one id, or every one of a kind, or all. */
  async retry(which: { id?: string; kind?: string }): Promise<number> {
    const { count } = await this.db.outboxJob.updateMany({
      where: { deadAt: { not: null }, ...(which.id ? { id: which.id } : {}), ...(which.kind ? { kind: which.kind } : {}) },
      data: { deadAt: null, attempts: 0, lockedUntil: null, nextAttemptAt: this.now() },
    });
    if (which.id && count === 0) throw new HubError('not_found', 'no such dead letter');
    if (count) this.outbox.kick();
    return count;
  }

  async drop(id: string): Promise<void> {
    const { count } = await this.db.outboxJob.deleteMany({ where: { id, deadAt: { not: null } } });
    if (count === 0) throw new HubError('not_found', 'no such dead letter');
  }
}
