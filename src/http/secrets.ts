import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Compares a presented secret with the expected one in constant time (tokens, signatures): both are
 * hashed first, so the comparison takes as long whatever the presented length, and never returns
 * early on a length mismatch.
 */
export function sameSecret(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}
