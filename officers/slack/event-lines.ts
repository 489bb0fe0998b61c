import type { Details } from '../../src/domain.js';
import { localDateTime } from '../../src/util/local-date.js';
import { redact } from '../../src/cases/redaction.js';
import { escapeMrkdwn } from '../../src/slack/mrkdwn.js';

export interface ThreadEvent {
  type: string;
  actor: string;
  text: string | null;
  data: string | null;
}

interface FeedbackData {
  rating?: number | null;
  solved?: boolean | null;
}

const said = (text: string, details: Details) => escapeMrkdwn(redact(text, details));

function feedbackLine(e: ThreadEvent, details: Details): string {
  const f = JSON.parse(e.data ?? '{}') as FeedbackData;
  const solved = f.solved === true ? 'solved' : f.solved === false ? 'not solved' : 'no answer on whether it was solved';
  const rating = typeof f.rating === 'number' ? `rated ${f.rating}/5` : 'no rating';
  const lines = [`:speech_balloon: *Follow-up:* the petitioner says ${solved}, ${rating}.`];
  if (e.text) lines.push(`*Suggestion:* ${said(e.text, details)}`);
  return lines.join('\n');
}

function reviewLine(e: ThreadEvent, timeZone: string): string {
  const due = (JSON.parse(e.data ?? '{}') as { resolutionDueAt?: string }).resolutionDueAt;
  const when = due ? ` The new answer is due by ${localDateTime(new Date(due), timeZone)}.` : '';
  return `:leftwards_arrow_with_hook: *The petitioner requested a review (复查);* the case is reopened.${when}`;
}

/** Which details the petitioner added after filing; their values stay on the case page. */
function detailsLine(e: ThreadEvent): string {
  const added = (JSON.parse(e.data ?? '{}') as { details?: string[] }).details ?? [];
  const names: Record<string, string> = { contactPhone: 'a phone number', contactName: 'a name', location: 'where they are' };
  const list = added.map((slot) => names[slot] ?? slot).join(', ');
  return `:telephone_receiver: *The petitioner added ${list || 'details'}* (on the case page).`;
}

const DONE: Partial<Record<string, string>> = {
  claim: 'took the case on', accept: 'accepted the case', reject: 'rejected the case', reply: 'replied to the petitioner',
  request_info: 'asked the petitioner for information', start: 'started work', transfer: 'transferred the case',
  categorise: 'changed the category', resolve: 'resolved the case', reopen: 'reopened the case', extend: 'extended the answer period',
  acknowledge: 'acknowledged the emergency', note: 'added an internal note',
};

/** What an officer did outside Slack (the hub's console, the admin API), so the thread stays in step. */
function officerLine(e: ThreadEvent, details: Details): string {
  const who = escapeMrkdwn(e.actor.replace(/^console:/, ''));
  const body = e.text ? `\n>${said(e.text, details).slice(0, 2900).replace(/\n/g, '\n>')}` : '';
  return `:bust_in_silhouette: *${who}* ${DONE[e.type] ?? e.type} (in the hub).${body}`;
}

/**
 * A case event as a line in the case's thread, or null for events the thread does not show. What
 * the petitioner wrote goes through the same redaction as the card (names, phone and ID numbers).
 */
export function threadLine(e: ThreadEvent, details: Details, timeZone: string): string | null {
  if (e.type === 'feedback') return feedbackLine(e, details);
  if (e.type === 'reopen' && e.actor === 'petitioner') return reviewLine(e, timeZone);
  if (e.type === 'details_added') return detailsLine(e);
  if (DONE[e.type] && e.actor !== 'petitioner') return officerLine(e, details);
  return e.text ? `*Petitioner:* ${said(e.text, details)}` : null;
}
