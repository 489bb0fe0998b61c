import { spawn, type ChildProcess } from 'node:child_process';
import { startArgs } from '../../scripts/start-command.js';
import { once } from 'node:events';
import { freePort } from '../../bench/lib-hub.js';

export interface HubProcess {
  url: string;
  process: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The hub as `npm start` runs it, in a child process (for what only a real process has: signals,
 * several processes on one port), ready when it returns.
 */
export async function spawnHub(env: Record<string, string>): Promise<HubProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, startArgs(process.cwd()), {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.on('data', (d: Buffer) => (printed += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (printed += d.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  for (let i = 0; i < 600; i++) {
    if (await fetch(`${url}/healthz`).then((r) => r.status === 200, () => false)) return { url, process: child, output: () => printed, stop };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`the hub did not start:\n${printed}`);
}
