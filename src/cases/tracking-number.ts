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

export const TRACKING_NUMBER = /\bXF-\d{6}-[2-9A-HJKMNP-Z]{5}\b/i;

/** Finds a tracking number in free text, tolerant of lower case and spaces petitioners add. */
export function findTrackingNumber(text: string): string | null {
  const m = text.replace(/\s+/g, '').match(TRACKING_NUMBER);
  return m ? m[0].toUpperCase() : null;
}
