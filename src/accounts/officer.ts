import type { Details, Locale } from '../domain.js';

export const ROLES = ['officer', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A signed-in person as the console and the admin API see them. */
export interface Officer {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** The departments an officer works for; supervisors and admins see every department. */
  departments: readonly string[];
  locale: Locale;
}

/** How an officer is named on a case's record (events, messages' authors). */
export const actorOf = (o: Pick<Officer, 'username'>): string => `console:${o.username}`;

/** Names the petition might use for this officer (the named-officer rule). */
export const namesOf = (o: Officer): string[] => [o.displayName, o.username];

export const seesEveryDepartment = (o: Officer): boolean => o.role !== 'officer';

interface CaseForScope {
  department: string;
  details: Details;
}

/**
 * Whether the case is one of this officer's: an officer sees their departments' cases, never a case
 * that is about one of their departments (a complaint is never shown to the department it is about).
 */
export function inScope(o: Officer, c: CaseForScope, complainedAbout: (d: Details) => string[]): boolean {
  if (seesEveryDepartment(o)) return true;
  if (!o.departments.includes(c.department)) return false;
  return !complainedAbout(c.details).some((d) => o.departments.includes(d));
}
