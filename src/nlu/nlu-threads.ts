import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Locale, Slot } from '../domain.js';
import type { Understanding } from './understanding.js';
import type { Understander, UnderstanderOptions } from './understander.js';

/** What the hub's thread asks an NLU thread, and what comes back (nlu-worker.ts). */
export interface NluRequest {
  id: number;
  text: string;
  locale: Locale;
  expecting: Slot | null;
}
export type NluReply = { ready: true } | { id: number; understanding: Understanding } | { id: number; error: string };

interface Call {
  request: NluRequest;
  resolve(u: Understanding): void;
  reject(err: unknown): void;
}

const WORKER = new URL(`./nlu-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
/**
 * tsx's ESM API, where tsImport loads one module with the TypeScript loader (Node 20 does not apply
 * loader hooks that a worker registers for itself). Found from tsx's exports, as `import` would.
 */
const TSX_API = (() => {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const { exports } = require('tsx/package.json') as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(manifest), exports['./esm/api'].import.default)).href;
})();
const RESTART_AFTER_MS = 1000;

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
    private readonly options: UnderstanderOptions,
    private readonly local: Understander,
    private readonly entry: URL,
  ) {
    this.threads = new Array<Thread | null>(count).fill(null);
  }

  /** @param entry the worker's script; tests give one that misbehaves. */
  static async start(count: number, options: UnderstanderOptions, local: Understander, entry = WORKER): Promise<NluThreads> {
    const pool = new NluThreads(count, options, local, entry);
    try {
      await Promise.all(pool.threads.map((_, i) => pool.open(i)));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  understand(text: string, locale: Locale, expecting: Slot | null): Promise<Understanding> {
    let best: Thread | null = null;
    for (const t of this.threads) if (t?.ready && (!best || t.pending.size < best.pending.size)) best = t;
    if (!best) return this.local.understand(text, locale, expecting);
    return best.call(text, locale, expecting);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t?.stop()));
  }

  private async open(i: number): Promise<void> {
    const thread = new Thread(this.entry, this.options, (calls) => {
      this.threads[i] = null;
      for (const c of calls) this.local.understand(c.request.text, c.request.locale, c.request.expecting).then(c.resolve, c.reject);
      if (!this.closed) setTimeout(() => void (this.closed || this.open(i).catch(() => undefined)), RESTART_AFTER_MS).unref();
    });
    this.threads[i] = thread;
    await thread.started;
  }
}

class Thread {
  readonly pending = new Map<number, Call>();
  readonly started: Promise<void>;
  ready = false;
  private readonly worker: Worker;
  private nextId = 1;

  constructor(entry: URL, options: UnderstanderOptions, onExit: (unanswered: Call[]) => void) {
    this.worker = entry.pathname.endsWith('.ts')
      ? // Under tsx (npm start, tests) the worker is TypeScript too, and a worker does not inherit the loader.
        new Worker(`import(${JSON.stringify(TSX_API)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`, { eval: true, workerData: options })
      : new Worker(entry, { workerData: options });
    this.started = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (m: NluReply) => {
        if ('ready' in m) {
          this.ready = true;
          resolve();
          return;
        }
        const call = this.pending.get(m.id);
        if (!call) return;
        this.pending.delete(m.id);
        if ('error' in m) call.reject(new Error(m.error));
        else call.resolve(m.understanding);
      });
      this.worker.on('error', reject);
      this.worker.once('exit', (code) => {
        this.ready = false;
        reject(new Error(`the NLU thread exited (${code}) before it was ready`));
        const unanswered = [...this.pending.values()];
        this.pending.clear();
        onExit(unanswered);
      });
    });
    // Its failure is reported through `started` or handled on exit; never an unhandled rejection.
    this.started.catch(() => undefined);
  }

  call(text: string, locale: Locale, expecting: Slot | null): Promise<Understanding> {
    const request: NluRequest = { id: this.nextId++, text, locale, expecting };
    return new Promise<Understanding>((resolve, reject) => {
      this.pending.set(request.id, { request, resolve, reject });
      this.worker.postMessage(request);
    });
  }

  async stop(): Promise<void> {
    this.ready = false;
    await this.worker.terminate();
  }
}
