/**
 * The benchmark's HTTP client and latency bookkeeping, kept cheap because it shares the CPU with the
 * hub: one keep-alive agent with a socket per concurrent user, bodies read as strings, latencies in
 * a preallocated Float64Array.
 */
import http from 'node:http';

export interface HttpResult {
  status: number;
  body: string;
}

export class HttpClient {
  readonly agent: http.Agent;

  constructor(
    readonly port: number,
    sockets: number,
    private readonly timeoutMs: number,
    scheduling: 'lifo' | 'fifo' = 'lifo',
  ) {
    // Idle sockets are dropped after 4 s, before the server's 5 s keep-alive timeout, so a request
    // never goes out on a socket the server is closing. LIFO keeps reusing the socket freed last;
    // FIFO takes turns over all of them, which spreads the requests over a cluster's processes (the
    // cluster shares out connections, not requests).
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, scheduling, timeout: 4000 });
  }

  /** Status 0 means the request failed below HTTP (reset, refused, timed out). */
  request(method: string, path: string, headers: http.OutgoingHttpHeaders, body?: string): Promise<HttpResult> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (r: HttpResult) => {
        if (!done) {
          done = true;
          resolve(r);
        }
      };
      const req = http.request({ host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent, timeout: this.timeoutMs }, (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => finish({ status: res.statusCode ?? 0, body: text }));
        res.on('error', (err) => finish({ status: 0, body: String(err) }));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err) => finish({ status: 0, body: String(err) }));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Latencies (ms) and a small tag per sample, in fixed-size typed arrays. */
export class Recorder {
  readonly ms: Float64Array;
  readonly tag: Uint8Array;
  count = 0;
  dropped = 0;
  errors = 0;
  readonly errorsByStatus = new Map<number, number>();
  /** For requests with no HTTP answer: what went wrong (timeout, reset, …). */
  readonly failures = new Map<string, number>();

  constructor(capacity: number) {
    this.ms = new Float64Array(capacity);
    this.tag = new Uint8Array(capacity);
  }

  ok(ms: number, tag = 0): void {
    if (this.count < this.ms.length) {
      this.ms[this.count] = ms;
      this.tag[this.count++] = tag;
    } else this.dropped++;
  }

  error(status: number, reason?: string): void {
    this.errors++;
    this.errorsByStatus.set(status, (this.errorsByStatus.get(status) ?? 0) + 1);
    if (status === 0 && reason) {
      const key = reason.slice(0, 80);
      this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
    }
  }

  get full(): boolean {
    return this.count >= this.ms.length;
  }

  summary(tag?: number): LatencySummary {
    let values: Float64Array;
    if (tag === undefined) values = this.ms.slice(0, this.count);
    else {
      const picked: number[] = [];
      for (let i = 0; i < this.count; i++) if (this.tag[i] === tag) picked.push(this.ms[i]);
      values = Float64Array.from(picked);
    }
    return summarise(values);
  }
}

export interface LatencySummary {
  n: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarise(values: Float64Array): LatencySummary {
  const n = values.length;
  if (n === 0) return { n: 0, mean: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN };
  values.sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  // Nearest-rank percentile.
  const q = (p: number) => values[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
  return { n, mean: sum / n, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: values[n - 1] };
}

/**
 * Which part of a run a request belongs to. Requests that complete while the phase is `measure` are
 * counted; `stop` tells the users to send nothing more.
 */
export class Phase {
  state: 'warmup' | 'measure' | 'stop' = 'warmup';
  measureStart = 0;
  measureEnd = 0;

  begin(): void {
    this.state = 'measure';
    this.measureStart = performance.now();
  }

  end(): void {
    if (this.state === 'measure') this.measureEnd = performance.now();
    this.state = 'stop';
  }

  get seconds(): number {
    return (this.measureEnd - this.measureStart) / 1000;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
