import type { AlertDeps } from './deadline-alerts.js';
import { localDateTime } from '../../src/util/local-date.js';
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
    const category = escapeMrkdwn(deps.router.table.categories[group.category]?.en ?? group.category);
    const departments = [...new Set(cases.map((c) => deps.router.departmentLabel(c.department).en))].map(escapeMrkdwn).join(', ');
    const petitioners = new Set(cases.map((c) => c.petitionerId)).size;
    const from = localDateTime(cases[0].createdAt, deps.timeZone);
    const to = localDateTime(cases[cases.length - 1].createdAt, deps.timeZone);
    const lines = [
      `:busts_in_silhouette: *Possible collective petition* (${groupId}): ${cases.length} similar petitions from ${petitioners} petitioners · ${category} · ${departments}`,
      `Filed from ${from} to ${to}: ${cases.map((c) => c.trackingNumber).join(', ')}`,
    ];
    if (deps.publicUrl) lines.push(`Case page: ${new URL(`/cases/${cases[0].trackingNumber}`, deps.publicUrl).toString()}`);
    try {
      // Never link_names: an alert must not ping a whole channel.
      await deps.client.chat.postMessage({ channel: deps.supervisorChannel, text: lines.join('\n'), unfurl_links: false, unfurl_media: false });
    } catch (err) {
      throw retryable(err);
    }
  };
}
