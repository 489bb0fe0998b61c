import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder that holds the hub's package.json. The code runs either as TypeScript from src/ (tests,
 * the operator's commands) or compiled into dist/ (`npm start`, scripts/build.mjs), one level
 * deeper; what it reads beside the code (intents/, prisma/migrations/, the web pages, node_modules/)
 * stays at the top, so it is found from here rather than by a path relative to the module.
 */
export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, e.g. projectPath('intents', 'zh-CN.json'). */
export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}: the hub's code must stay inside its project folder`);
  }
}
