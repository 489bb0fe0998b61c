import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes a file so that a reader sees the old content or the new, never part of it: the text goes
 * to a temporary file of this writer's own beside it, which then replaces the file in one rename.
 * Several hub instances starting at once on one data folder each train and save the same model;
 * with a shared temporary name two writers could still interleave.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
}
