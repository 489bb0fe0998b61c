/**
 * An earlier commit of the hub, checked out beside this one to be measured in the same run: its files
 * from `git archive`, this checkout's node_modules (linked), its own generated database clients.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Baseline {
  ref: string;
  /** The full commit id the ref named. */
  commit: string;
  dir: string;
  remove(): void;
}

export function checkoutBaseline(root: string, ref: string): Baseline {
  const commit = execFileSync('git', ['-C', root, 'rev-parse', '--verify', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'hub-baseline-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    execFileSync('sh', ['-c', 'git -C "$0" archive "$1" | tar -x -C "$2"', root, commit, dir]);
    // The baseline runs on this checkout's packages: a baseline whose package-lock differs in what
    // the hub loads at run time is refused by its own start (a missing module), not measured wrongly.
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    execFileSync(process.execPath, ['scripts/prisma-generate.mjs'], { cwd: dir, stdio: 'ignore' });
  } catch (err) {
    remove();
    throw err;
  }
  return { ref, commit, dir, remove };
}
