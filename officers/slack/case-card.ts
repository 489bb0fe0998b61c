import type { Button, KnownBlock } from '@slack/types';
import type { Details } from '../../src/domain.js';
import { redact } from '../../src/cases/redaction.js';
import { canApply, type OfficerAction } from '../../src/cases/status-machine.js';
import type { RoutingReasons } from '../../src/cases/routing-reasons.js';
import { escapeMrkdwn, splitText } from '../../src/slack/mrkdwn.js';
import type { OfficeTexts } from './office-texts.js';
import type { TextKey } from './texts.js';

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
  /** The line listing what the petitioner sent, as links to the console (material.ts), when there is any. */
  material?: string | null;
}

// Slack's limits: 3,000 characters in a section's text, 50 blocks in a message.
const SECTION_MAX = 3000;
const SUMMARY_SECTIONS_MAX = 40;

/** Button order on the card; each appears only when the status table allows it. */
const BUTTONS: { action: OfficerAction | 'view'; style?: 'primary' | 'danger' }[] = [
  { action: 'view' },
  { action: 'acknowledge', style: 'danger' },
  { action: 'claim' },
  { action: 'accept', style: 'primary' },
  { action: 'reject', style: 'danger' },
  { action: 'start' },
  { action: 'reply' },
  { action: 'request_info' },
  { action: 'transfer' },
  { action: 'categorise' },
  { action: 'resolve', style: 'primary' },
  { action: 'extend' },
  { action: 'reopen' },
];

/** Slack officers are mentioned (no ping: it is an edit); anyone else (the admin API) is named as text. */
function assigneeText(assignee: string | null): string {
  if (!assignee) return '—';
  const slack = /^slack:(U[A-Z0-9]+)$/.exec(assignee);
  return slack ? `<@${slack[1]}>` : escapeMrkdwn(assignee);
}

function urgencyText(c: CardCase, tx: OfficeTexts): string {
  const label = tx.of('urgency', c.urgency);
  if (c.urgency !== 'emergency') return label;
  return `${label}${c.emergencyAckBy ? tx.t('card.takenBy', { who: assigneeText(c.emergencyAckBy) }) : tx.t('card.notTaken')}`;
}

/** The card in the office's language, its due dates on the office's calendar (TIME_ZONE). */
export function caseCard(c: CardCase, caseUrl: string | null, tx: OfficeTexts): { text: string; blocks: KnownBlock[] } {
  const summary = escapeMrkdwn(redact(c.summary, c.details));
  const pieces = splitText(summary || tx.t('card.noDescription'), SECTION_MAX);
  const shown = pieces.slice(0, SUMMARY_SECTIONS_MAX);
  if (pieces.length > shown.length) shown[shown.length - 1] += tx.t('card.continued');
  const buttons = BUTTONS.filter((b) => {
    if (b.action === 'view') return true;
    if (b.action === 'claim') return !c.assignee && canApply('claim', c.status);
    if (b.action === 'acknowledge') return c.urgency === 'emergency' && !c.emergencyAckBy && canApply('acknowledge', c.status);
    if (b.action === 'extend') return !c.resolutionExtended && canApply('extend', c.status);
    return canApply(b.action, c.status);
  });
  const field = (label: TextKey, value: string) => ({ type: 'mrkdwn' as const, text: `*${tx.t(label)}*\n${value}` });
  const status = tx.of('status', c.status);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `${c.trackingNumber} · ${c.categoryLabel}`.slice(0, 150) } },
    {
      type: 'section',
      fields: [
        field('card.status', status),
        field('card.urgency', urgencyText(c, tx)),
        field('card.department', `${escapeMrkdwn(c.departmentLabel)}${c.needsTriage ? tx.t('card.needsTriage') : ''}`),
        field('card.assignee', assigneeText(c.assignee)),
        field('card.acceptBy', tx.date(c.acceptanceDueAt)),
        field('card.answerBy', `${tx.date(c.resolutionDueAt)}${c.resolutionExtended ? tx.t('card.extended') : ''}`),
      ],
    },
    ...shown.map((text): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } })),
  ];
  if (c.material) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: c.material.slice(0, 2900) }] });
  const why = c.routing ? routingLine(c.routing, tx) : null;
  if (why) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: why }] });
  const notes = [tx.t('card.threadNote')];
  if (caseUrl) notes.unshift(tx.t('card.casePage', { url: caseUrl }));
  blocks.push({ type: 'context', elements: notes.map((text) => ({ type: 'mrkdwn' as const, text })) });
  if (buttons.length) {
    blocks.push({
      type: 'actions',
      block_id: 'case_actions',
      elements: buttons.map((b): Button => ({
        type: 'button',
        action_id: `case:${b.action}`,
        value: c.trackingNumber,
        text: { type: 'plain_text', text: tx.of('button', b.action) },
        ...(b.style ? { style: b.style } : {}),
      })),
    });
  }
  return { text: tx.t('card.fallback', { ref: c.trackingNumber, status, category: c.categoryLabel }), blocks };
}

/** "Routing: Labour 82 % · Education 11 %. Also about: Education. Words: 拖欠 · 工资" — a wrong routing is quick to see. */
function routingLine(r: RoutingReasons, tx: OfficeTexts): string {
  const top = r.top.filter((x) => x.percent >= 1).map((x) => `${escapeMrkdwn(x.label)} ${x.percent} %`);
  const parts = [tx.t('card.routing', { top: top.join(' · ') })];
  if (r.secondary) parts.push(tx.t('card.alsoAbout', { label: escapeMrkdwn(r.secondary.label) }));
  if (r.words.length) parts.push(tx.t('card.words', { words: r.words.map(escapeMrkdwn).join(' · ') }));
  return parts.join(tx.t('card.routingJoin')).slice(0, 2900);
}
