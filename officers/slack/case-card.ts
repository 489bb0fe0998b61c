import type { Button, KnownBlock } from '@slack/types';
import type { Details } from '../../src/domain.js';
import { redact } from '../../src/cases/redaction.js';
import { canApply, type OfficerAction } from '../../src/cases/status-machine.js';
import type { RoutingReasons } from '../../src/cases/routing-reasons.js';
import { escapeMrkdwn, splitText } from '../../src/slack/mrkdwn.js';

/** What a card shows: no names, phone or ID numbers; those stay in the hub behind the case link. */
export interface CardCase {
  trackingNumber: string;
  status: string;
  category: string;
  categoryLabel: string;
  departmentLabel: string;
  urgency: string;
  needsTriage: boolean;
  assignee: string | null;
  summary: string;
  details: Details;
  acceptanceDueAt: Date;
  resolutionDueAt: Date;
  /** The answer period was extended (it can be, once). */
  resolutionExtended: boolean;
  /** Why it was routed here, when the hub kept it (words already free of personal data). */
  routing?: RoutingReasons | null;
  /** An emergency: who acknowledged it (null while nobody has). */
  emergencyAckBy?: string | null;
}

// Slack's limits: 3,000 characters in a section's text, 50 blocks in a message.
const SECTION_MAX = 3000;
const SUMMARY_SECTIONS_MAX = 40;

const URGENCY: Record<string, string> = { normal: 'normal', high: ':warning: high', emergency: ':rotating_light: EMERGENCY' };

/** Button order on the card; each appears only when the status table allows it. */
const BUTTONS: { action: OfficerAction | 'view'; label: string; style?: 'primary' | 'danger' }[] = [
  { action: 'view', label: 'Open full case' },
  { action: 'acknowledge', label: 'Take the emergency', style: 'danger' },
  { action: 'claim', label: 'Claim' },
  { action: 'accept', label: 'Accept', style: 'primary' },
  { action: 'reject', label: 'Reject', style: 'danger' },
  { action: 'start', label: 'Start work' },
  { action: 'reply', label: 'Reply to petitioner' },
  { action: 'request_info', label: 'Request info' },
  { action: 'transfer', label: 'Transfer' },
  { action: 'categorise', label: 'Change category' },
  { action: 'resolve', label: 'Resolve', style: 'primary' },
  { action: 'extend', label: 'Extend deadline' },
  { action: 'reopen', label: 'Reopen' },
];

/** Slack officers are mentioned (no ping: it is an edit); anyone else (the admin API) is named as text. */
function assigneeText(assignee: string | null): string {
  if (!assignee) return '—';
  const slack = /^slack:(U[A-Z0-9]+)$/.exec(assignee);
  return slack ? `<@${slack[1]}>` : escapeMrkdwn(assignee);
}

function urgencyText(c: CardCase): string {
  const label = URGENCY[c.urgency] ?? c.urgency;
  if (c.urgency !== 'emergency') return label;
  return `${label}${c.emergencyAckBy ? ` (taken by ${assigneeText(c.emergencyAckBy)})` : ' (not acknowledged yet)'}`;
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function caseCard(c: CardCase, caseUrl: string | null): { text: string; blocks: KnownBlock[] } {
  const summary = escapeMrkdwn(redact(c.summary, c.details));
  const pieces = splitText(summary || '(no description)', SECTION_MAX);
  const shown = pieces.slice(0, SUMMARY_SECTIONS_MAX);
  if (pieces.length > shown.length) shown[shown.length - 1] += '\n… (continued on the case page)';
  const buttons = BUTTONS.filter((b) => {
    if (b.action === 'view') return true;
    if (b.action === 'claim') return !c.assignee && canApply('claim', c.status);
    if (b.action === 'acknowledge') return c.urgency === 'emergency' && !c.emergencyAckBy && canApply('acknowledge', c.status);
    if (b.action === 'extend') return !c.resolutionExtended && canApply('extend', c.status);
    return canApply(b.action, c.status);
  });
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `${c.trackingNumber} · ${c.categoryLabel}`.slice(0, 150) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Status*\n${c.status}` },
        { type: 'mrkdwn', text: `*Urgency*\n${urgencyText(c)}` },
        { type: 'mrkdwn', text: `*Department*\n${escapeMrkdwn(c.departmentLabel)}${c.needsTriage ? ' (needs triage)' : ''}` },
        { type: 'mrkdwn', text: `*Assignee*\n${assigneeText(c.assignee)}` },
        { type: 'mrkdwn', text: `*Accept by*\n${day(c.acceptanceDueAt)}` },
        { type: 'mrkdwn', text: `*Answer by*\n${day(c.resolutionDueAt)}${c.resolutionExtended ? ' (extended)' : ''}` },
      ],
    },
    ...shown.map((text): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } })),
  ];
  const why = c.routing ? routingLine(c.routing) : null;
  if (why) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: why }] });
  const notes = ['Replies in this thread reach the petitioner; start one with // to keep it internal.'];
  if (caseUrl) notes.unshift(`Case page: ${caseUrl} (opens with the one-time link from "Open full case")`);
  blocks.push({ type: 'context', elements: notes.map((text) => ({ type: 'mrkdwn' as const, text })) });
  if (buttons.length) {
    blocks.push({
      type: 'actions',
      block_id: 'case_actions',
      elements: buttons.map((b): Button => ({
        type: 'button',
        action_id: `case:${b.action}`,
        value: c.trackingNumber,
        text: { type: 'plain_text', text: b.label },
        ...(b.style ? { style: b.style } : {}),
      })),
    });
  }
  return { text: `${c.trackingNumber} (${c.status}): ${c.categoryLabel}`, blocks };
}

/** "Routing: Labour 82 % · Education 11 %. Also about: Education. Words: 拖欠 · 工资" — a wrong routing is quick to see. */
function routingLine(r: RoutingReasons): string {
  const top = r.top.filter((x) => x.percent >= 1).map((x) => `${escapeMrkdwn(x.label)} ${x.percent} %`);
  const parts = [`*Routing:* ${top.join(' · ')}`];
  if (r.secondary) parts.push(`*Also about:* ${escapeMrkdwn(r.secondary.label)}`);
  if (r.words.length) parts.push(`*Words that weighed most:* ${r.words.map(escapeMrkdwn).join(' · ')}`);
  return parts.join('. ').slice(0, 2900);
}
