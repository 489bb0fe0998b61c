import type { Details } from '../domain.js';

const CJK = /[\u4e00-\u9fff]/;

/** A name worth looking for: two or more Chinese characters, or a Latin name of three letters or more. */
function usable(name: string): boolean {
  const n = name.trim();
  return CJK.test(n) ? [...n].length >= 2 : n.length >= 3;
}

function mentions(text: string, name: string): boolean {
  const n = name.trim();
  if (CJK.test(n)) return text.includes(n);
  return new RegExp(`\\b${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(text);
}

/**
 * Whether a petition names this officer (by any of their names: real name, display name): such a
 * petition is about them, and is never shown to them nor handled by them, as a complaint is never
 * sent to the department it is about.
 */
export function petitionNames(petition: { details: Details; summary: string }, officerNames: readonly string[]): boolean {
  const text = [petition.details.issue, petition.details.parties, petition.summary].filter(Boolean).join('\n');
  return officerNames.filter(usable).some((name) => mentions(text, name));
}
