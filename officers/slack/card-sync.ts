import type { WebClient } from '@slack/web-api';
import type { Db } from '../../src/db/client.js';
import type { Details } from '../../src/domain.js';
import type { Router } from '../../src/cases/routing.js';
import type { Case } from '../../generated/sqlite/client.js';
import { caseCard } from './case-card.js';
import type { OfficeTexts } from './office-texts.js';
import { redact } from '../../src/cases/redaction.js';
import { parseRouting, routingReasons } from '../../src/cases/routing-reasons.js';
import { platformError, retryable } from '../../src/slack/slack-errors.js';
import { attachmentsOfCase, type CaseAttachment } from '../../src/attachments/attachment-rows.js';
import { materialLine } from './material.js';

export const CARD_JOB = 'slack.card';

export interface CardSyncDeps {
  db: Db;
  client: WebClient;
  router: Router;
  intakeChannel: string;
  publicUrl?: string;
  texts: OfficeTexts;
}

/** The department's channel; cases waiting for triage, and departments without one, go to general intake. */
export function targetChannel(deps: CardSyncDeps, c: { department: string; needsTriage: boolean }): string {
  if (c.needsTriage) return deps.intakeChannel;
  return deps.router.table.departments[c.department]?.slackChannel ?? deps.intakeChannel;
}

/** The card for a stored case, in the office's language, with the material the petitioner sent. */
export function cardForCase(c: Case, router: Router, tx: OfficeTexts, publicUrl?: string, attachments: readonly CaseAttachment[] = []) {
  const details = JSON.parse(c.details) as Details;
  const explanation = parseRouting(c.routing);
  const label = (code: string) => tx.category(router.table, code);
  // A word that redaction would change is (part of) personal data: it is not shown at all.
  const routing = explanation ? routingReasons(explanation, label, (l) => tx.t('card.vocabulary', { label: l }), (w) => redact(w, details) === w) : null;
  return caseCard(
    {
      trackingNumber: c.trackingNumber,
      status: c.status,
      category: c.category,
      categoryLabel: label(c.category),
      departmentLabel: tx.department(router.table, c.department),
      urgency: c.urgency,
      needsTriage: c.needsTriage,
      assignee: c.assignee,
      summary: c.summary,
      details,
      acceptanceDueAt: c.acceptanceDueAt,
      resolutionDueAt: c.resolutionDueAt,
      resolutionExtended: c.resolutionExtendedAt !== null,
      emergencyAckBy: c.emergencyAckBy,
      routing,
      material: materialLine(c.trackingNumber, attachments, publicUrl, tx),
    },
    publicUrl ? new URL(`/cases/${c.trackingNumber}`, publicUrl).toString() : null,
    tx,
  );
}

/**
 * Brings a case's Slack card up to date: posts it, edits it in place, or moves it (delete and
 * re-post) when the case went to another department's channel. Run by the outbox, so it is retried
 * until Slack accepts it.
 */
export function cardSync(deps: CardSyncDeps) {
  return async (caseId: string): Promise<void> => {
    const { db, client, router } = deps;
    const c = await db.case.findUnique({ where: { id: caseId }, include: { slackCard: true } });
    if (!c) return;
    const card = cardForCase(c, router, deps.texts, deps.publicUrl, await attachmentsOfCase(db, c.id));
    const target = targetChannel(deps, c);
    const was = c.slackCard;
    try {
      if (was?.ts && was.target === target) {
        await client.chat.update({ channel: was.channel, ts: was.ts, text: card.text, blocks: card.blocks });
        return;
      }
      if (was?.ts) {
        await client.chat.delete({ channel: was.channel, ts: was.ts }).catch((err: unknown) => {
          if (platformError(err) !== 'message_not_found') throw err;
        });
      }
      // Never link_names: nothing in a card may ping anyone.
      const posted = await client.chat.postMessage({ channel: target, text: card.text, blocks: card.blocks, unfurl_links: false, unfurl_media: false });
      const place = { target, channel: posted.channel ?? target, ts: posted.ts ?? null };
      await db.slackCard.upsert({ where: { caseId: c.id }, create: { caseId: c.id, ...place }, update: place });
    } catch (err) {
      throw retryable(err);
    }
  };
}
