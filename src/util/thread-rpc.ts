import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { parentPort, Worker } from 'node:worker_threads';

/**
 * Calls into a worker thread: requests go out with an id, each reply settles its call. Used for the
 * NLU threads and the SQLite writer thread; the worker side is `serveCalls`.
 */

/** An error as it crosses the thread boundary: what the hub's error handling looks at. */
export interface WireError {
  name: string;
  message: string;
  code?: string;
}

type Reply<R> = { ready: true } | { id: number; result: R } | { id: number; error: WireError };

export interface PendingCall<Q, R> {
  request: Q;
  resolve(result: R): void;
  reject(err: unknown): void;
}

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

/**
 * The young generation of the hub's worker threads, in MB per semi-space. npm start gives the hub's
 * thread 32 (--max-semi-space-size=32, docs/benchmarks.md: conversation state lives just long
 * enough to be promoted otherwise), but V8 flags are the process's, so every worker thread would
 * grow its own 64 MB of young generation too. A worker keeps nothing from one call to the next
 * (what it allocates for a message dies with the answer), so the default size serves it as well.
 * V8 reads the flag when an isolate is made: setting it here, before each worker starts, leaves the
 * hub thread's young generation as it was configured at start, and resourceLimits cannot do it
 * (the command-line flag overrides them).
 */
const WORKER_SEMI_SPACE_MB = 8;

export class ThreadCalls<Q, R> {
  readonly pending = new Map<number, PendingCall<Q, R>>();
  /** Resolves when the worker says it is ready; rejects if it ends first. */
  readonly started: Promise<void>;
  ready = false;
  private readonly worker: Worker;
  private nextId = 1;

  /**
   * @param onExit called once when the worker ends, with the calls it never answered.
   * @param decode turns a WireError back into the error the caller expects.
   */
  constructor(entry: URL, workerData: unknown, onExit: (unanswered: PendingCall<Q, R>[]) => void, decode: (e: WireError, request: Q) => Error = plainError) {
    setFlagsFromString(`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`);
    this.worker = entry.pathname.endsWith('.ts')
      ? // Under tsx (npm start, tests) the worker is TypeScript too, and a worker does not inherit the loader.
        new Worker(`import(${JSON.stringify(TSX_API)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`, { eval: true, workerData })
      : new Worker(entry, { workerData });
    this.started = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (m: Reply<R>) => {
        if ('ready' in m) {
          this.ready = true;
          resolve();
          return;
        }
        const call = this.pending.get(m.id);
        if (!call) return;
        this.pending.delete(m.id);
        if ('error' in m) call.reject(decode(m.error, call.request));
        else call.resolve(m.result);
      });
      this.worker.on('error', reject);
      this.worker.once('exit', (code) => {
        this.ready = false;
        reject(new Error(`the worker thread exited (${code}) before it was ready`));
        const unanswered = [...this.pending.values()];
        this.pending.clear();
        onExit(unanswered);
      });
    });
    // A failure is reported through `started` or handled on exit; never an unhandled rejection.
    this.started.catch(() => undefined);
  }

  call(request: Q): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { request, resolve, reject });
      this.worker.postMessage({ id, request });
    });
  }

  /** Asks the worker to finish its calls and close what it holds; ends it by force if it takes too long. */
  async stop(graceMs = 5000): Promise<void> {
    this.ready = false;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ stop: true });
    const timer = setTimeout(() => void this.worker.terminate(), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

function plainError(e: WireError): Error {
  return Object.assign(new Error(e.message), { name: e.name, code: e.code });
}

/**
 * The worker's side: answers each request with `handle`, after telling the caller it is ready. On
 * `stop`, runs `close` (which should let work in hand finish) and lets the thread end.
 */
export function serveCalls<Q, R>(handle: (request: Q) => Promise<R>, close: () => Promise<void> | void = () => undefined): void {
  const port = parentPort;
  if (!port) throw new Error('serveCalls runs in a worker thread');
  port.on('message', (m: { stop: true } | { id: number; request: Q }) => {
    if ('stop' in m) {
      void Promise.resolve()
        .then(close)
        .finally(() => port.close());
      return;
    }
    const { id, request } = m;
    handle(request).then(
      (result) => port.postMessage({ id, result } satisfies Reply<R>),
      (err: unknown) => port.postMessage({ id, error: wireError(err) } satisfies Reply<R>),
    );
  });
  port.postMessage({ ready: true } satisfies Reply<R>);
}

function wireError(err: unknown): WireError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, message: err.message, code: code === undefined ? undefined : String(code) };
  }
  return { name: 'Error', message: String(err) };
}
