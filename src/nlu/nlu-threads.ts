import type { Locale, Slot } from '../domain.js';
import type { Understanding } from './understanding.js';
import type { Understander, UnderstanderOptions } from './understander.js';
import { ThreadCalls } from '../util/thread-rpc.js';
import type { FilingAssessment, FilingTexts, RoutingInfo } from './filing-assessment.js';
import type { CategoryGuess } from './understanding.js';

/**
 * What the hub's thread asks an NLU thread (nlu-worker.ts): to understand a message, to assess a
 * filing, to route an account, or which routing model it holds (reading it again for a later generation).
 */
export type NluRequest =
  | { kind: 'understand'; text: string; locale: Locale; expecting: Slot | null }
  | { kind: 'filing'; texts: FilingTexts; generation: number; routingFile: string | null }
  | { kind: 'category'; text: string; generation: number; routingFile: string | null }
  | { kind: 'routing'; generation: number; routingFile: string | null };

/** What an NLU thread is started with: the understander's options and the routing model's file, when known. */
export type NluThreadOptions = UnderstanderOptions & { routingFile?: string | null };

export type GenerationAssessment = FilingAssessment & { generation: number };
export type GenerationCategory = { category: CategoryGuess; generation: number };
export type GenerationRouting = RoutingInfo & { generation: number };
type NluReply = Understanding | GenerationAssessment | GenerationCategory | GenerationRouting;

const WORKER = new URL(`./nlu-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
const RESTART_AFTER_MS = 1000;

type Thread = ThreadCalls<NluRequest, NluReply>;

/**
 * Understanding a message is a third of a turn's CPU and needs nothing from the database, so it can
 * run on another core while the hub's thread goes on with HTTP, SQLite and the dialogue. Each
 * thread loads its own copy of the models. A thread that dies is started again; meanwhile, and for
 * the calls it had, the hub's thread understands the messages itself, so no message is lost.
 */
export class NluThreads {
  private readonly threads: (Thread | null)[];
  private closed = false;

  private constructor(
    count: number,
    private readonly options: NluThreadOptions,
    private readonly local: () => Promise<Understander>,
    private readonly entry: URL,
  ) {
    this.threads = new Array<Thread | null>(count).fill(null);
  }

  /**
   * @param local the hub thread's own understander, loaded when first needed.
   * @param entry the worker's script; tests give one that misbehaves.
   */
  static async start(count: number, options: NluThreadOptions, local: () => Promise<Understander>, entry = WORKER): Promise<NluThreads> {
    const pool = new NluThreads(count, options, local, entry);
    try {
      // The first thread trains and caches the model if it is not cached yet; the others then read it.
      await pool.open(0);
      await Promise.all(pool.threads.map((_, i) => (i ? pool.open(i) : undefined)));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  understand(text: string, locale: Locale, expecting: Slot | null): Promise<Understanding> {
    const best = this.leastBusy();
    if (!best) return this.local().then((u) => u.understand(text, locale, expecting));
    return best.call({ kind: 'understand', text, locale, expecting }) as Promise<Understanding>;
  }

  /** Whether a thread would take a call made now (else the hub thread understands it). */
  get available(): boolean {
    return this.leastBusy() !== null;
  }

  /** Null when no thread can take it: the hub thread then assesses the filing itself. */
  assessFiling(texts: FilingTexts, generation: number, routingFile: string | null): Promise<GenerationAssessment> | null {
    return (this.leastBusy()?.call({ kind: 'filing', texts, generation, routingFile }) as Promise<GenerationAssessment> | undefined) ?? null;
  }

  /** Null when no thread can take it: the hub thread then routes the account itself. */
  category(text: string, generation: number, routingFile: string | null): Promise<GenerationCategory> | null {
    return (this.leastBusy()?.call({ kind: 'category', text, generation, routingFile }) as Promise<GenerationCategory> | undefined) ?? null;
  }

  /** The routing model a thread holds at that generation; with no file, the thread finds it again. Null when no thread can take it. */
  routing(generation: number, routingFile: string | null): Promise<GenerationRouting> | null {
    return (this.leastBusy()?.call({ kind: 'routing', generation, routingFile }) as Promise<GenerationRouting> | undefined) ?? null;
  }

  private leastBusy(): Thread | null {
    let best: Thread | null = null;
    for (const t of this.threads) if (t?.ready && (!best || t.pending.size < best.pending.size)) best = t;
    return best;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t?.stop()));
  }

  private async open(i: number): Promise<void> {
    const thread: Thread = new ThreadCalls(this.entry, this.options, (calls) => {
      this.threads[i] = null;
      for (const { request: r, resolve, reject } of calls) {
        if (r.kind === 'understand') this.local().then((u) => u.understand(r.text, r.locale, r.expecting)).then(resolve, reject);
        else reject(new Error(`the NLU thread ended before answering (${r.kind})`));
      }
      if (!this.closed) setTimeout(() => void (this.closed || this.open(i).catch(() => undefined)), RESTART_AFTER_MS).unref();
    });
    this.threads[i] = thread;
    await thread.started;
  }
}
