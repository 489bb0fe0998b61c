import type { Understanding } from './types.js';

export type IntentName =
  | 'greeting'
  | 'petition.new'
  | 'petition.details'
  | 'case.status'
  | 'case.add_info'
  | 'human.request'
  | 'thanks'
  | 'goodbye'
  | 'affirm'
  | 'deny'
  | 'correct'
  | 'smalltalk'
  | 'emergency';

export function is(u: Understanding, name: IntentName): boolean {
  return u.confident && u.intent.name === name;
}

// Quick-reply buttons send these values; typed answers go through the classifier.
export function isYes(u: Understanding): boolean {
  return u.text.toLowerCase() === 'yes' || is(u, 'affirm');
}

export function isNo(u: Understanding): boolean {
  return u.text.toLowerCase() === 'no' || is(u, 'deny');
}
