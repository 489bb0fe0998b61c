import { randomBytes } from 'node:crypto';

/** 128 random bits as hex: a storage key (and, for the folder, a file name). */
export function newStorageKey(): string {
  return randomBytes(16).toString('hex');
}

const KEY = /^[0-9a-f]{32}$/;

/** Every storage refuses a key it did not make: no path or bucket key is ever built from anything else. */
export function checkedKey(key: string): string {
  if (!KEY.test(key)) throw new Error('not an attachment storage key');
  return key;
}
