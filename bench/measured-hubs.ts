/**
 * The hubs a quality benchmark measures: this checkout, and first, with a baseline ref, the hub as it
 * was at that commit, each started as a user starts it (`npm start`'s node command, a fresh SQLite
 * file, a free loopback port) one after the other, never both at once.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHubProcess, type HubProcess } from './lib-hub.js';
import { checkoutBaseline, type Baseline } from './baseline-checkout.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface MeasuredHub {
  label: string;
  url: string;
  adminToken: string;
  /** The process, when this run started it (not with a given URL). */
  process: HubProcess | null;
}

let running: HubProcess | null = null;
let checkout: Baseline | null = null;

/** For signal and exit handlers: stop whatever is running and remove the baseline checkout. */
export function abandonHubs(): void {
  running?.killNow();
  running = null;
  checkout?.remove();
  checkout = null;
}

/** "commit 2544853", or "main~3 (commit 2544853)" when the ref was a name. */
export function refName(ref: string, commit: string): string {
  const short = commit.slice(0, 7);
  return commit.startsWith(ref) ? `commit ${short}` : `${ref} (commit ${short})`;
}

async function start(root: string, label: string, log: (line: string) => void): Promise<MeasuredHub> {
  const adminToken = randomBytes(16).toString('hex');
  // Models are cached by a hash of their corpus, so hubs of different commits can share the folder.
  const modelDir = join(ROOT, 'data', 'models');
  if (!existsSync(modelDir)) log(`note: ${modelDir} does not exist yet; the hub will train its models first`);
  log(`starting ${label}…`);
  running = await startHubProcess({
    root,
    modelDir,
    rateLimit: 100_000,
    readyTimeoutMs: 300_000,
    env: { ADMIN_TOKEN: adminToken, WEBCHAT_SESSION_RATE_LIMIT: '100000' },
  });
  log(`${label} ready in ${running.readySeconds.toFixed(1)} s (pid ${running.pid}, ${running.url})`);
  return { label, url: running.url, adminToken, process: running };
}

/**
 * Runs `measure` against the baseline hub (when a ref is given) and then against this one, or
 * against the hub at `given.url`. Returns what each run returned, baseline first.
 */
export async function measureHubs<T>(
  options: { baseline?: string; given?: { url: string; adminToken: string } },
  log: (line: string) => void,
  measure: (hub: MeasuredHub) => Promise<T>,
): Promise<{ baseline: (T & { ref: string; commit: string }) | null; current: T }> {
  let before: (T & { ref: string; commit: string }) | null = null;
  if (options.baseline) {
    checkout = checkoutBaseline(ROOT, options.baseline);
    const label = `the baseline hub (${refName(options.baseline, checkout.commit)})`;
    const hub = await start(checkout.dir, label, log);
    before = { ...(await measure(hub)), ref: options.baseline, commit: checkout.commit };
    await running?.stop();
    running = null;
    checkout.remove();
    checkout = null;
  }
  const hub = options.given ? { label: 'the hub', ...options.given, process: null } : await start(ROOT, 'this hub', log);
  const current = await measure(hub);
  await running?.stop();
  running = null;
  return { baseline: before, current };
}
