import type { AlertDeps } from './deadline-alerts.js';
import { escapeMrkdwn } from '../../src/slack/mrkdwn.js';
import { retryable } from '../../src/slack/slack-errors.js';

/** A possible collective petition, in the supervisors' channel (once per group). */
export const GROUP_JOB = 'slack.group';

/** The same needs as the deadline alerts to supervisors. */
export type GroupAlertDeps = AlertDeps;

/**
 * Outbox handler: tells supervisors that several petitioners raised a similar matter within a short
 * time. Counts, category, departments, dates and tracking numbers only: no petition text, place or
 * name, which stay in the hub.
 */
export function groupAlert(deps: GroupAlertDeps) {
  return async (groupId: string): Promise<void> => {
    if (!deps.supervisorChannel) return;
    const group = await deps.db.caseGroup.findUnique({ where: { id: groupId } });
    if (!group) return;
    const cases = await deps.db.case.findMany({
      where: { groupId },
      orderBy: { createdAt: 'asc' },
      select: { trackingNumber: true, department: true, petitionerId: true, createdAt: true },
    });
    if (!cases.length) return;
    const { texts: tx, router } = deps;
    const category = escapeMrkdwn(tx.category(router.table, group.category));
    const departments = tx.list([...new Set(cases.map((c) => tx.department(router.table, c.department)))].map(escapeMrkdwn));
    const petitioners = new Set(cases.map((c) => c.petitionerId)).size;
    const lines = [
      tx.t('group.headline', { group: groupId, count: cases.length, petitioners, category, departments }),
      tx.t('group.filed', {
        from: tx.dateTime(cases[0].createdAt),
        to: tx.dateTime(cases[cases.length - 1].createdAt),
        refs: tx.list(cases.map((c) => c.trackingNumber)),
      }),
    ];
    if (deps.publicUrl) lines.push(tx.t('casePage', { url: new URL(`/cases/${cases[0].trackingNumber}`, deps.publicUrl).toString() }));
    try {
      // Never link_names: an alert must not ping a whole channel.
      await deps.client.chat.postMessage({ channel: deps.supervisorChannel, text: lines.join('\n'), unfurl_links: false, unfurl_media: false });
    } catch (err) {
      throw retryable(err);
    }
  };
}
