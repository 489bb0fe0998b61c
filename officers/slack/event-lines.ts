import type { Details } from '../../src/domain.js';
import { redact } from '../../src/cases/redaction.js';
import { escapeMrkdwn } from '../../src/slack/mrkdwn.js';
import type { OfficeTexts } from './office-texts.js';
import { linkMarks } from './material.js';

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

function feedbackLine(e: ThreadEvent, details: Details, tx: OfficeTexts): string {
  const f = JSON.parse(e.data ?? '{}') as FeedbackData;
  const solved = tx.t(f.solved === true ? 'event.solved' : f.solved === false ? 'event.notSolved' : 'event.solvedUnknown');
  const rating = typeof f.rating === 'number' ? tx.t('event.rated', { n: f.rating }) : tx.t('event.noRating');
  const lines = [tx.t('event.feedback', { solved, rating })];
  if (e.text) lines.push(tx.t('event.suggestion', { text: said(e.text, details) }));
  return lines.join('\n');
}

function reviewLine(e: ThreadEvent, tx: OfficeTexts): string {
  const due = (JSON.parse(e.data ?? '{}') as { resolutionDueAt?: string }).resolutionDueAt;
  return tx.t('event.review', { due: due ? tx.t('event.reviewDue', { when: tx.dateTime(new Date(due)) }) : '' });
}

/** Which details the petitioner added after filing; their values stay on the case page. */
function detailsLine(e: ThreadEvent, tx: OfficeTexts): string {
  const added = (JSON.parse(e.data ?? '{}') as { details?: string[] }).details ?? [];
  const list = tx.list(added.map((slot) => tx.of('event.detail', slot)));
  return tx.t('event.added', { list: list || tx.t('event.details') });
}

/** Officers' actions the thread tells of when they were taken elsewhere (each has a "done.<type>" text). */
const DONE = new Set(['claim', 'accept', 'reject', 'reply', 'request_info', 'start', 'transfer', 'categorise', 'resolve', 'reopen', 'extend', 'acknowledge', 'note']);

/** What an officer did outside Slack (the hub's console, the admin API), so the thread stays in step. */
function officerLine(e: ThreadEvent, details: Details, tx: OfficeTexts): string {
  const who = escapeMrkdwn(e.actor.replace(/^console:/, ''));
  const body = e.text ? `\n>${said(e.text, details).slice(0, 2900).replace(/\n/g, '\n>')}` : '';
  return tx.t('event.officer', { who, done: tx.of('done', e.type), body });
}

/** Which case a thread line is about, and where its material opens (PUBLIC_URL; unset: not linked). */
export interface ThreadCase {
  trackingNumber: string;
  publicUrl?: string;
}

/**
 * A case event as a line in the case's thread, or null for events the thread does not show. What
 * the petitioner wrote goes through the same redaction as the card (names, phone and ID numbers);
 * the photos, voice messages and files they sent become links to the hub's console.
 */
export function threadLine(e: ThreadEvent, details: Details, tx: OfficeTexts, about?: ThreadCase): string | null {
  if (e.type === 'feedback') return feedbackLine(e, details, tx);
  if (e.type === 'reopen' && e.actor === 'petitioner') return reviewLine(e, tx);
  if (e.type === 'details_added') return detailsLine(e, tx);
  if (DONE.has(e.type) && e.actor !== 'petitioner') return officerLine(e, details, tx);
  if (!e.text) return null;
  const text = about ? linkMarks(e.text, about.trackingNumber, about.publicUrl, (words) => said(words, details), tx) : said(e.text, details);
  return tx.t('petitioner.said', { text });
}
