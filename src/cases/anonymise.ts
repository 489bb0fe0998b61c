import type { Details } from '../domain.js';
import { hideNames, removePersonalData } from '../nlu/entities.js';
import { execute, query, sql, type TxBody } from '../db/sql.js';
import { insertEvent } from './case-rows.js';
import { seal } from '../db/personal-data.js';
import { removeCaseAttachments } from '../attachments/attachment-rows.js';

/** Details that are nothing but personal data: dropped, not scrubbed. */
const CONTACT: readonly (keyof Details)[] = ['contactName', 'contactPhone'];

/**
 * A text without the person in it: the names known to be theirs and any name the text introduces
 * (我叫…, 姓…), phone and ID numbers and e-mail addresses.
 */
export function scrub(text: string, names: readonly string[]): string {
  return removePersonalData(hideNames(text, names));
}

export function anonymisedDetails(details: Details, names: readonly string[]): Details {
  const out: Details = {};
  for (const [slot, value] of Object.entries(details) as [keyof Details, string | undefined][]) {
    if (!value || CONTACT.includes(slot)) continue;
    out[slot] = scrub(value, names);
  }
  return out;
}

interface CaseRow {
  id: string;
  status: string;
  details: string;
  summary: string;
  petitionerId: string;
  anonymisedAt: Date | string | null;
}

/**
 * Removes a case's personal data and keeps what statistics need (category, department, dates,
 * statuses, urgency, the events' types): the details lose the contact fields and every name, number
 * and address in the rest; the summary, the case's messages and its events' texts are scrubbed the
 * same way; its attachments are marked for deletion; the petitioner's name and phone go once none of
 * their cases still needs them. Once per case (anonymisedAt). Returns whether it did anything.
 */
export function* anonymiseCase(caseId: string, at: Date, actor: string, reason: string): TxBody<boolean> {
  const [c] = yield* query<CaseRow>(sql`SELECT "id", "status", "details", "summary", "petitionerId", "anonymisedAt" FROM "Case" WHERE "id" = ${caseId}`);
  if (!c || c.anonymisedAt) return false;
  const [p] = yield* query<{ name: string | null }>(sql`SELECT "name" FROM "Petitioner" WHERE "id" = ${c.petitionerId}`);
  const details = JSON.parse(c.details) as Details;
  const names = [details.contactName, p?.name].filter((n): n is string => Boolean(n));
  const claimed = yield* execute(sql`UPDATE "Case" SET "details" = ${seal(JSON.stringify(anonymisedDetails(details, names)))}, "summary" = ${seal(scrub(c.summary, names))},
    "anonymisedAt" = ${at}, "updatedAt" = ${at} WHERE "id" = ${caseId} AND "anonymisedAt" IS NULL`);
  if (claimed !== 1) return false;
  yield* execute(sql`DELETE FROM "CaseSearchTerm" WHERE "caseId" = ${caseId}`); // out of search at once (case-search.ts)
  let messages = 0;
  for (const m of yield* query<{ id: string; text: string }>(sql`SELECT "id", "text" FROM "Message" WHERE "caseId" = ${caseId}`)) {
    const clean = scrub(m.text, names);
    if (clean === m.text) continue;
    yield* execute(sql`UPDATE "Message" SET "text" = ${seal(clean)} WHERE "id" = ${m.id}`);
    messages++;
  }
  const events = yield* scrubEvents(caseId, names);
  // Photos, voice messages and files are the person too: no longer served from now on, their
  // content deleted from storage by the next purge (Retention), their rows with it.
  const attachments = yield* removeCaseAttachments(caseId, at);
  // The petitioner's own record goes with their last case that still needed it.
  const [kept] = yield* query<{ id: string }>(sql`SELECT "id" FROM "Case" WHERE "petitionerId" = ${c.petitionerId} AND "anonymisedAt" IS NULL LIMIT 1`);
  if (!kept) yield* execute(sql`UPDATE "Petitioner" SET "name" = ${null}, "phone" = ${null} WHERE "id" = ${c.petitionerId}`);
  yield* insertEvent({ caseId, type: 'anonymised', fromStatus: c.status, toStatus: c.status, actor, data: JSON.stringify({ reason, messages, events, attachments }), at });
  return true;
}

function* scrubEvents(caseId: string, names: readonly string[]): TxBody<number> {
  let changed = 0;
  for (const e of yield* query<{ id: string; text: string | null }>(sql`SELECT "id", "text" FROM "CaseEvent" WHERE "caseId" = ${caseId} AND "text" IS NOT NULL`)) {
    const clean = scrub(e.text as string, names);
    if (clean === e.text) continue;
    yield* execute(sql`UPDATE "CaseEvent" SET "text" = ${seal(clean)} WHERE "id" = ${e.id}`);
    changed++;
  }
  return changed;
}
