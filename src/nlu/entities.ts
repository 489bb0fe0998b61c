// Entity recognition for petition messages (zh-CN and en): rules and small lexicons, no model.
//
// Values are the text as written (trimmed), except phone numbers (digits only, e.g. 13812345678;
// landlines as 010-12345678) and ID numbers (upper-case X), which are given in canonical half-width
// form. start/end are offsets into the input.
import type { Entity } from '../domain.js';
import { findMoney, findPeopleCounts } from './detail-amounts.js';
import { findPersonNames } from './detail-names.js';
import { findEmails, findIdNumbers, findPhones } from './detail-pii.js';
import { findLocations, findOrganizations } from './detail-places.js';
import { findTimes } from './detail-time.js';

export { maskPersonalData, removePersonalData, isValidIdNumber } from './detail-pii.js';

export type EntityType =
  | 'phone'
  | 'idNumber'
  | 'email'
  | 'money'
  | 'time'
  | 'location'
  | 'organization'
  | 'personName'
  | 'peopleCount';

/** An entity with offsets always present. */
export interface LocatedEntity extends Entity {
  type: EntityType;
  start: number;
  end: number;
}

/** When two entities overlap, the one whose type comes first here wins. */
const PRIORITY: EntityType[] = [
  'idNumber',
  'email',
  'phone',
  'money',
  'organization',
  'personName',
  'time',
  'peopleCount',
  'location',
];

// A place that opens an organisation's name (朝阳区人民医院) is kept as a location as well.
const NESTED_PLACE = /(?:区|县|镇|乡|村|街道|路|街|号|小区|大道|广场|Street|Road|Avenue)$/;

function overlaps(a: LocatedEntity, b: LocatedEntity): boolean {
  return a.start < b.end && b.start < a.end;
}

function allowedNesting(loc: LocatedEntity, other: LocatedEntity): boolean {
  return (
    loc.type === 'location' &&
    other.type === 'organization' &&
    loc.start === other.start &&
    loc.end < other.end &&
    NESTED_PLACE.test(loc.value)
  );
}

export function extractEntities(text: string): LocatedEntity[] {
  const found: LocatedEntity[] = [];
  const collect = (type: EntityType, list: Entity[]): void => {
    for (const e of list) {
      if (e.start === undefined || e.end === undefined || !e.value.trim()) continue;
      found.push({ type, value: e.value.trim(), start: e.start, end: e.end });
    }
  };
  collect('idNumber', findIdNumbers(text));
  collect('email', findEmails(text));
  collect('phone', findPhones(text));
  collect('money', findMoney(text));
  collect('organization', findOrganizations(text));
  collect('personName', findPersonNames(text));
  collect('time', findTimes(text));
  collect('peopleCount', findPeopleCounts(text));
  collect('location', findLocations(text));

  // A place named after a facility (水泥厂站, 医院路) is the place; the facility inside it is not a party.
  const places = found.filter((e) => e.type === 'location');
  const named = found.filter((e) => !(e.type === 'organization' && places.some((p) => p.start <= e.start && e.end < p.end)));
  found.length = 0;
  found.push(...named);
  const rank = (e: LocatedEntity): number => PRIORITY.indexOf(e.type);
  const ordered = [...found].sort((a, b) => rank(a) - rank(b) || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: LocatedEntity[] = [];
  for (const e of ordered) {
    const clash = kept.some((k) => overlaps(k, e) && !allowedNesting(e, k));
    if (!clash) kept.push(e);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The text with each known name, and every name it introduces by a cue (我叫…, 姓…), as [name]. */
export function hideNames(text: string, known: readonly (string | undefined | null)[]): string {
  let out = text;
  const found = extractEntities(text).filter((e) => e.type === 'personName').map((e) => e.value);
  for (const name of [...known, ...found]) if (name && [...name].length >= 2) out = out.split(name).join('[name]');
  return out;
}
