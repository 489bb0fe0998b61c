import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L: petitioners read these out over the phone and type them on a phone.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** XF-YYMMDD-XXXXX: readable, dated, 28 million per day before a collision is even likely. */
export function newTrackingNumber(now: Date): string {
  const d = now.toISOString().slice(2, 10).replace(/-/g, '');
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return `XF-${d}-${suffix}`;
}
