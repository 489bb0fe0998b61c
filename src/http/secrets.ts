import { timingSafeEqual } from 'node:crypto';

/** Compares a presented secret with the expected one in constant time (tokens, signatures). */
export function sameSecret(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
