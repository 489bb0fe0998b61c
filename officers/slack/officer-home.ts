import type { App } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../src/db/client.js';
import type { Router } from '../../src/cases/routing.js';
import { STATUSES } from '../../src/cases/status-machine.js';
import type { Case } from '../../generated/sqlite/client.js';
import { cardForCase } from './card-sync.js';
import { attachmentsOfCase } from '../../src/attachments/attachment-rows.js';
import type { MembershipCheck } from './membership.js';
import type { OfficeTexts } from './office-texts.js';
import { escapeMrkdwn } from '../../src/slack/mrkdwn.js';

const OPEN = STATUSES.filter((s) => !['resolved', 'closed', 'rejected'].includes(s));

/** The next date that matters: acceptance until accepted, then the answer. */
function nextDue(c: Case): Date {
  return c.status === 'submitted' ? c.acceptanceDueAt : c.resolutionDueAt;
}

function line(c: Case, router: Router, tx: OfficeTexts): string {
  return tx.t('home.line', {
    ref: c.trackingNumber,
    category: tx.category(router.table, c.category),
    status: tx.of('status', c.status),
    date: tx.date(nextDue(c)),
    urgency: c.urgency !== 'normal' ? ` · ${tx.of('urgencyName', c.urgency)}` : '',
  });
}

/** Cases whose card is in a channel this officer belongs to: nobody sees another department's cases. */
async function visibleCases(db: Db, client: WebClient, members: MembershipCheck, user: string): Promise<Case[]> {
  const open = await db.case.findMany({ where: { status: { in: OPEN }, slackCard: { isNot: null } }, include: { slackCard: { select: { channel: true } } }, take: 2000 });
  const channels = [...new Set(open.map((c) => c.slackCard?.channel ?? ''))];
  const allowed = new Set<string>();
  for (const ch of channels) if (ch && (await members.isMember(client, ch, user))) allowed.add(ch);
  return open.filter((c) => allowed.has(c.slackCard?.channel ?? ''));
}

/** App Home (the officer's own open cases and what is due soonest) and the /case command. */
export function registerOfficerHome(app: App, deps: { db: Db; router: Router; members: MembershipCheck; texts: OfficeTexts; publicUrl?: string }): void {
  const { db, router, members, texts: tx } = deps;

  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const cases = await visibleCases(db, client, members, event.user);
    const mine = cases.filter((c) => c.assignee === `slack:${event.user}`);
    const soonest = [...cases].sort((a, b) => nextDue(a).getTime() - nextDue(b).getTime()).slice(0, 10);
    const list = (items: Case[], empty: string): KnownBlock => ({
      type: 'section',
      text: { type: 'mrkdwn', text: items.length ? items.slice(0, 20).map((c) => line(c, router, tx)).join('\n') : empty },
    });
    await client.views.publish({
      user_id: event.user,
      view: {
        type: 'home',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: tx.t('home.mine') } },
          list(mine, tx.t('home.mineEmpty')),
          { type: 'header', text: { type: 'plain_text', text: tx.t('home.soonest') } },
          list(soonest, tx.t('home.soonestEmpty')),
          { type: 'context', elements: [{ type: 'mrkdwn', text: tx.t('home.hint') }] },
        ],
      },
    });
  });

  app.command('/case', async ({ ack, command, client, respond }) => {
    await ack();
    const ref = command.text.trim().toUpperCase();
    const c = ref ? await db.case.findUnique({ where: { trackingNumber: ref }, include: { slackCard: { select: { channel: true } } } }) : null;
    // Same answer for "no such case" and "not yours to see": the command must not reveal which exists.
    if (!c?.slackCard || !(await members.isMember(client, c.slackCard.channel, command.user_id))) {
      await respond({ response_type: 'ephemeral', text: ref ? tx.t('command.none', { ref: escapeMrkdwn(ref) }) : tx.t('command.noRef') });
      return;
    }
    const card = cardForCase(c, router, tx, deps.publicUrl, await attachmentsOfCase(db, c.id));
    await respond({ response_type: 'ephemeral', text: card.text, blocks: card.blocks });
  });
}
