import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The arguments `npm start` gives node (package.json's "start": `node <args>`), so that the
 * benchmark and the process tests run the hub exactly as a user does, V8 options included.
 */
export function startArgs(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const [command, ...args] = (pkg.scripts?.start ?? '').trim().split(/\s+/);
  if (command !== 'node' || args.at(-1) !== 'src/main.ts') {
    throw new Error(`package.json's start script should be "node <options> src/main.ts", not "${pkg.scripts?.start ?? ''}"`);
  }
  return args;
}
