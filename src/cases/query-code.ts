import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

// The tracking numbers' alphabet: no 0/O or 1/I/L, since petitioners read codes out and type them on phones.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const QUERY_CODE_LENGTH = 6;

/**
 * The code given with a tracking number at filing, so that the petitioner (and only someone they
 * tell) can ask for the status from another channel. 31^6 ≈ 887 million codes; guessing is also
 * throttled per conversation (steps/case-query.ts).
 */
export function newQueryCode(): string {
  let code = '';
  for (let i = 0; i < QUERY_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** Salted with the tracking number, so equal codes on two cases do not show in the table. */
export function hashQueryCode(trackingNumber: string, code: string): string {
  return createHash('sha256').update(`${trackingNumber}:${code.toUpperCase()}`).digest('hex');
}

/** Constant-time comparison of a presented code with the stored hash. */
export function queryCodeMatches(trackingNumber: string, code: string | null, storedHash: string | null): boolean {
  if (!code || !storedHash) return false;
  const a = Buffer.from(hashQueryCode(trackingNumber, code), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
