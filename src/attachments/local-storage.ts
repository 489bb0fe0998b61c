import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AttachmentStorage } from './storage.js';
import { checkedKey } from './storage-keys.js';

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';

/**
 * Attachments as files in a folder (ATTACHMENTS_DIR), created on first use, readable by the hub's
 * user only. A file is named by its random key, in a sub-folder of the key's first two characters
 * (no folder grows to millions of entries). Written to a temporary name and renamed, so a crash never
 * leaves half a photo under a key.
 */
export class LocalStorage implements AttachmentStorage {
  readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  get describe(): string {
    return `folder ${this.root}`;
  }

  private path(key: string): string {
    return join(this.root, checkedKey(key).slice(0, 2), key);
  }

  /** The type is the row's to keep (Attachment.contentType); a file is only its bytes. */
  async put(key: string, bytes: Buffer, _contentType?: string): Promise<void> {
    const file = this.path(key);
    await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${randomBytes(6).toString('hex')}.part`;
    try {
      await writeFile(temporary, bytes, { mode: 0o600, flag: 'wx' });
      await rename(temporary, file);
    } catch (err) {
      await rm(temporary, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
