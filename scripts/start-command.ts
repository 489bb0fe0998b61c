import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What npm start runs: the compiled hub (scripts/build.mjs), or TypeScript through tsx in checkouts from before the build existed. */
const ENTRIES = ['dist/src/main.js', 'src/main.ts'];

function scripts(root: string): { start?: string; prestart?: string } {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: { start?: string; prestart?: string } }).scripts ?? {};
}

/**
 * The arguments `npm start` gives node (package.json's "start": `node <args>`), so that the
 * benchmark and the process tests run the hub exactly as a user does, V8 options included.
 */
export function startArgs(root: string): string[] {
  const start = scripts(root).start ?? '';
  const [command, ...args] = start.trim().split(/\s+/);
  if (command !== 'node' || !ENTRIES.includes(args.at(-1) ?? '')) {
    throw new Error(`package.json's start script should be "node <options> ${ENTRIES[0]}", not "${start}"`);
  }
  return args;
}

/** Runs what npm runs before "start" (the build), when the checkout has such a step. */
export function prepareStart(root: string): void {
  if (scripts(root).prestart) execFileSync('npm', ['run', '--silent', 'prestart'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}
