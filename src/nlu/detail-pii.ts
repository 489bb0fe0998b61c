// Personal identifiers: phone numbers, PRC resident ID numbers, e-mail addresses; and their masking.
import type { Entity } from '../domain.js';
import { scanText } from './detail-text.js';

// Mainland mobile: 1[3-9]x + 8 digits, single spaces/dashes allowed between digits, optional +86/0086.
// Never part of a longer digit run (ID numbers, order numbers, bank cards).
const MOBILE = /(?<![\d+])(?:(?:\+|00)?86[ -]?)?(1[3-9]\d(?:[ -]?\d){8})(?![\d])(?!-\d)/g;
// Landline: area code 0xx / 0xxx, separated by a dash/space or in brackets, then 7–8 digits.
const LANDLINE = /(?<![\d])(?:\((0\d{2,3})\)[ -]?|(0\d{2,3})[ -])(\d{7,8})(?![\d])/g;
const ID_SHAPE =
  /(?<![\dA-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])/g;
const EMAIL = /(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** ISO 7064 MOD 11-2 check of an 18-character PRC resident ID number. */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] === id[17]?.toUpperCase();
}

interface Found extends Entity {
  start: number;
  end: number;
  /** Canonical form (digits only for a mobile; upper-case X for an ID). */
  value: string;
}

function digitsOnly(s: string): string {
  return s.replace(/\D/g, '');
}

export function findPhones(text: string): Found[] {
  const s = scanText(text);
  const out: Found[] = [];
  for (const m of s.matchAll(MOBILE)) {
    const start = m.index ?? 0;
    out.push({ type: 'phone', value: digitsOnly(m[1] ?? ''), start, end: start + m[0].length });
  }
  for (const m of s.matchAll(LANDLINE)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (out.some((p) => p.start < end && start < p.end)) continue;
    out.push({ type: 'phone', value: `${m[1] ?? m[2] ?? ''}-${m[3] ?? ''}`, start, end });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** 18-character ID-number-shaped runs; `checksum` false keeps invalid ones too (for masking). */
function idShapes(text: string, checksum: boolean): Found[] {
  const out: Found[] = [];
  for (const m of scanText(text).matchAll(ID_SHAPE)) {
    const value = m[0].toUpperCase();
    if (checksum && !isValidIdNumber(value)) continue;
    const start = m.index ?? 0;
    out.push({ type: 'idNumber', value, start, end: start + m[0].length });
  }
  return out;
}

export function findIdNumbers(text: string): Found[] {
  return idShapes(text, true);
}

export function findEmails(text: string): Found[] {
  const out: Found[] = [];
  for (const m of scanText(text).matchAll(EMAIL)) {
    const start = m.index ?? 0;
    out.push({ type: 'email', value: text.slice(start, start + m[0].length), start, end: start + m[0].length });
  }
  return out;
}

function maskPhone(value: string): string {
  if (value.includes('-')) {
    const [area = '', local = ''] = value.split('-');
    return `${area}-${'*'.repeat(Math.max(0, local.length - 4))}${local.slice(-4)}`;
  }
  return `${value.slice(0, 3)}****${value.slice(-4)}`;
}

function maskEmail(value: string): string {
  const at = value.indexOf('@');
  return `${value.slice(0, 1)}***${value.slice(at)}`;
}

/**
 * Replaces phone numbers, ID numbers (anything ID-shaped, checksum or not: a mistyped ID is still
 * personal data) and e-mail addresses with masks: 138****5678, 1101**********123X, j***@example.com.
 */
export function maskPersonalData(text: string): string {
  return replacePersonalData(text, { email: maskEmail, id: (v) => `${v.slice(0, 4)}${'*'.repeat(10)}${v.slice(-4)}`, phone: maskPhone });
}

/**
 * Removes phone numbers, ID numbers and e-mail addresses altogether ([phone], [ID], [email]): what
 * is left of a record once its personal data is anonymised.
 */
export function removePersonalData(text: string): string {
  return replacePersonalData(text, { email: () => '[email]', id: () => '[ID]', phone: () => '[phone]' });
}

/** Each e-mail address, ID-shaped number and phone number, replaced by what `by` makes of it. */
function replacePersonalData(text: string, by: Record<'email' | 'id' | 'phone', (value: string) => string>): string {
  const found: { start: number; end: number; mask: string }[] = [];
  const add = (start: number, end: number, mask: string): void => {
    if (!found.some((f) => f.start < end && start < f.end)) found.push({ start, end, mask });
  };
  for (const e of findEmails(text)) add(e.start, e.end, by.email(e.value));
  for (const e of idShapes(text, false)) add(e.start, e.end, by.id(e.value));
  for (const e of findPhones(text)) add(e.start, e.end, by.phone(e.value));
  found.sort((a, b) => b.start - a.start);
  let out = text;
  for (const f of found) out = out.slice(0, f.start) + f.mask + out.slice(f.end);
  return out;
}
