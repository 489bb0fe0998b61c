/**
 * Starts the hub as its own process, the way a user does (`npm start`'s node command), on a
 * fresh SQLite file (or the database given) and a free loopback port, and reads its memory and CPU use from /proc.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { prepareStart, startArgs } from '../scripts/start-command.js';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

let clockTicks = 0;
function ticksPerSecond(): number {
  if (!clockTicks) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** The hub's process and its children (the workers when it runs with HUB_PROCESSES > 1). */
export function processTree(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return [pid, ...children];
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** User + system CPU seconds of the hub's processes (all their threads), from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  return sum(processTree(pid).map(processCpuSeconds));
}

function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, i.e. 11 and 12 after the name.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
}

/**
 * Seconds the hub's main (JavaScript) thread spent on a CPU and waiting in the run queue for one,
 * from /proc/<pid>/task/<pid>/schedstat; the rest of the wall time it was blocked (I/O, fsync) or idle.
 */
export function mainThreadSched(pid: number): { onCpu: number; waiting: number } {
  const each = processTree(pid).map(processMainThread);
  return { onCpu: sum(each.map((e) => e.onCpu)), waiting: sum(each.map((e) => e.waiting)) };
}

function processMainThread(pid: number): { onCpu: number; waiting: number } {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    return { onCpu: run / 1e9, waiting: wait / 1e9 };
  } catch {
    return { onCpu: NaN, waiting: NaN };
  }
}

/** CPU seconds the whole machine spent busy (all CPUs, all processes), from /proc/stat. */
export function machineBusySeconds(): number {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already counted in user)
    const busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + (cpu[7] ?? 0);
    return busy / ticksPerSecond();
  } catch {
    return NaN;
  }
}

/** A field of /proc/<pid>/status in MiB (VmHWM = peak resident set, VmRSS = current), summed over the hub's processes. */
export function memoryMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  return sum(processTree(pid).map((p) => processMemoryMiB(p, field)));
}

function processMemoryMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

export interface HubProcess {
  pid: number;
  port: number;
  url: string;
  dir: string;
  /** Seconds from spawn until /healthz answered 200. */
  readySeconds: number;
  /** The last lines the hub printed, for error messages. */
  tail(): string;
  /** How many lines the hub has printed so far. */
  printed(): number;
  alive(): boolean;
  /** SIGTERM, then SIGKILL after a grace period; removes the temp dir. */
  stop(graceMs?: number): Promise<void>;
  /** Synchronous last resort for process exit. */
  killNow(): void;
}

export interface StartOptions {
  root: string;
  modelDir: string;
  rateLimit: number;
  readyTimeoutMs: number;
  nodeArgs?: string[];
  /** HUB_PROCESSES for the hub. */
  processes?: number;
  /** Run the hub under `taskset -c LIST`: its processes on these CPUs only. */
  pinTo?: string;
  /** DATABASE_URL for the hub; by default a fresh SQLite file in its temporary folder. */
  databaseUrl?: string;
  /** More variables for the hub, set last (e.g. ADMIN_TOKEN, WEBCHAT_SESSION_RATE_LIMIT). */
  env?: Record<string, string>;
}

/** Variables that would make the hub talk to anything but the benchmark client. */
const OUTBOUND = /^(SLACK_|WECHAT|REDIS_URL$|PUBLIC_URL$|ROUTING_FILE$|DATABASE_URL$|ADMIN_TOKEN$)/;

export async function startHubProcess(opts: StartOptions): Promise<HubProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-bench-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!OUTBOUND.test(k)) env[k] = v;
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: opts.databaseUrl ?? `file:${join(dir, 'hub.db')}`,
    LOG_LEVEL: 'warn',
    WEBCHAT_RATE_LIMIT: String(opts.rateLimit),
    MODEL_DIR: opts.modelDir,
    HUB_PROCESSES: String(opts.processes ?? 1),
    ...opts.env,
  });

  // npm start builds first (dist/), and so does every hub the benches start, its own commit's code.
  prepareStart(opts.root);
  const started = performance.now();
  const command = [process.execPath, ...(opts.nodeArgs ?? []), ...startArgs(opts.root)];
  if (opts.pinTo) command.unshift('taskset', '-c', opts.pinTo);
  const child: ChildProcess = spawn(command[0], command.slice(1), {
    cwd: opts.root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let printed = 0;
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line) {
        lines.push(line);
        printed++;
      }
    }
    if (lines.length > 400) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | string | null = null;
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? signal ?? 'exited';
      resolve();
    }),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the hub');

  const tail = () => lines.slice(-40).join('\n');
  let removed = false;
  const removeDir = () => {
    if (!removed) {
      removed = true;
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const hub: HubProcess = {
    pid,
    port,
    url: `http://127.0.0.1:${port}`,
    dir,
    readySeconds: NaN,
    tail,
    printed: () => printed,
    alive: () => exited === null,
    async stop(graceMs = 5000) {
      if (exited === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exitPromise;
        clearTimeout(timer);
      }
      removeDir();
    },
    killNow() {
      if (exited === null) child.kill('SIGKILL');
      removeDir();
    },
  };

  // Wait for /healthz: 503 while the model trains and migrations run, 200 when ready.
  const deadline = started + opts.readyTimeoutMs;
  for (;;) {
    if (exited !== null) {
      removeDir();
      throw new Error(`the hub exited (${exited}) before it was ready:\n${tail()}`);
    }
    if (performance.now() > deadline) {
      await hub.stop();
      throw new Error(`the hub was not ready after ${opts.readyTimeoutMs / 1000} s:\n${tail()}`);
    }
    try {
      const res = await fetch(`${hub.url}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  hub.readySeconds = (performance.now() - started) / 1000;
  return hub;
}
