// Compiles the hub's TypeScript to JavaScript in dist/, keeping the folder layout (dist/src/main.js):
// `npm start` runs it (this is its "prestart"), and so does the container image. Running compiled
// code rather than TypeScript through tsx spares the process tsx's loader-hook thread and the
// source maps of every transformed module, about 75 MiB when the hub is ready (docs/benchmarks.md).
// Only types are stripped (esbuild, the compiler tsx itself uses, with the same tsconfig), in well
// under a second; type checking stays with `npm run typecheck`. The operator's commands (scripts/)
// and the tests still run the TypeScript directly.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** What the hub runs: its code, the petitioner channels, the officer side and the Prisma clients. */
const SOURCES = ['src', 'channels', 'officers', 'generated'];
const OUT = join(root, 'dist');

function sources(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // public/ folders hold the browser's files, served as they are.
    if (entry.isDirectory()) found.push(...(entry.name === 'public' ? [] : sources(path)));
    else if (/\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) found.push(path);
  }
  return found;
}

function files(dir) {
  try {
    return readdirSync(dir, { recursive: true }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
  } catch {
    return [];
  }
}

export async function buildHub() {
  const entryPoints = SOURCES.flatMap((s) => sources(join(root, s)));
  const result = await build({
    entryPoints,
    outdir: OUT,
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: join(root, 'tsconfig.json'),
    metafile: true,
    logLevel: 'warning',
  });
  // A source deleted since the last build leaves no module behind for an import to find by mistake.
  const written = new Set(Object.keys(result.metafile.outputs).map((f) => join(root, f)));
  for (const f of files(OUT)) if (!written.has(f)) rmSync(f);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildHub();
}
