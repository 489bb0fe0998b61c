import type { App, BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { KnownBlock, View } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Db } from '../../src/db/client.js';
import type { Details } from '../../src/domain.js';
import { HubError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { CaseService } from '../../src/cases/case-service.js';
import type { Router } from '../../src/cases/routing.js';
import { OFFICER_ACTIONS, TRANSITIONS, type OfficerAction } from '../../src/cases/status-machine.js';
import type { MembershipCheck } from './membership.js';
import { issueCaseLink } from '../case-link/case-page.js';
import { OfficerNames } from './officer-names.js';
import type { OfficeTexts } from './office-texts.js';

export interface OfficerDeps {
  members: MembershipCheck;
  /** Base of the links to case pages (PUBLIC_URL). */
  publicUrl: string;
  db: Db;
  cases: CaseService;
  router: Router;
  logger: Logger;
  /** The most days the one extension may add (EXTENSION_MAX_DAYS). */
  extensionMaxDays: number;
  texts: OfficeTexts;
}

const option = (value: string, text: string) => ({ text: { type: 'plain_text' as const, text: text.slice(0, 75) }, value });

function isAction(value: string): value is OfficerAction {
  return (OFFICER_ACTIONS as readonly string[]).includes(value);
}

/**
 * Officers act on case cards: buttons that need no words act at once; the others open a modal.
 * Only members of the channel the card is in may act (a complaint never reaches other departments).
 */
export function registerOfficerActions(app: App, deps: OfficerDeps): void {
  const { members, texts: tx } = deps;
  const names = new OfficerNames(deps.logger);

  async function tellOfficer(client: WebClient, channel: string | undefined, user: string, text: string) {
    if (channel) await client.chat.postEphemeral({ channel, user, text }).catch(() => undefined);
  }

  /** The case and whether this user may act on it; answers the officer when they may not. */
  async function authorise(client: WebClient, ref: string, user: string, channel?: string) {
    const card = (await deps.db.case.findUnique({ where: { trackingNumber: ref }, select: { slackCard: { select: { channel: true } } } }))?.slackCard;
    if (!card) {
      await tellOfficer(client, channel, user, tx.t('refuse.noCard', { ref }));
      return false;
    }
    if (!(await members.isMember(client, card.channel, user))) {
      await tellOfficer(client, channel ?? card.channel, user, tx.t('refuse.notMember', { channel: card.channel, ref }));
      return false;
    }
    if (!(await deps.cases.mayWork(ref, `slack:${user}`, await names.of(client, user)))) {
      await tellOfficer(client, channel ?? card.channel, user, tx.t('refuse.named', { ref }));
      return false;
    }
    return true;
  }

  async function act(client: WebClient, ref: string, user: string, action: OfficerAction, extra: { text?: string; department?: string; category?: string; days?: number }, channel?: string) {
    try {
      await deps.cases.act(ref, { action, actor: `slack:${user}`, ...extra });
    } catch (err) {
      if (!(err instanceof HubError)) throw err;
      // Someone else moved the case first, or the status no longer allows this.
      await tellOfficer(client, channel, user, tx.t('refuse.failed', { action: tx.of('verb', action), ref, message: tx.refusal(err) }));
    }
  }

  app.action<BlockAction<ButtonAction>>(/^case:/, async ({ ack, body, action, client }) => {
    await ack();
    const name = action.action_id.slice('case:'.length);
    const ref = action.value ?? '';
    const channel = body.channel?.id;
    if ((name !== 'view' && !isAction(name)) || !(await authorise(client, ref, body.user.id, channel))) return;
    if (name === 'view') {
      // Personal data stays in the hub: the officer gets a one-time link, visible only to them.
      const c = await deps.db.case.findUnique({ where: { trackingNumber: ref }, select: { id: true, trackingNumber: true } });
      if (!c) return;
      const url = await issueCaseLink(deps.db, c, `slack:${body.user.id}`, deps.publicUrl);
      await tellOfficer(client, channel, body.user.id, tx.t('view.link', { url, ref }));
      return;
    }
    if (name === 'transfer' || name === 'categorise') {
      const c = await deps.db.case.findUnique({ where: { trackingNumber: ref }, select: { department: true, category: true, details: true } });
      if (!c) return;
      // Never offered: the current department, and any department the complaint is about.
      const excluded = new Set([c.department, ...deps.router.complainedAbout(JSON.parse(c.details) as Details)]);
      const departments = Object.entries(deps.router.table.departments)
        .filter(([id]) => !excluded.has(id))
        .slice(0, 100)
        .map(([id, d]) => option(id, tx.t('modal.option', { en: d.en, zh: d.zh })));
      // Each category whose department may take the case; on a transfer, naming it is optional but
      // makes the case a labelled example for retraining.
      const categories = Object.entries(deps.router.table.categories)
        .filter(([code, k]) => code !== c.category && !excluded.has(k.department) || (name === 'transfer' && code === c.category))
        .map(([code, k]) => option(code, tx.t('modal.option', { en: k.en, zh: k.zh })));
      const categoryBlock = (optional: boolean): KnownBlock => ({
        type: 'input',
        block_id: 'category',
        optional,
        label: { type: 'plain_text', text: tx.t(optional ? 'modal.categoryOptional' : 'modal.category') },
        element: { type: 'static_select', action_id: 'value', options: categories },
      });
      const blocks: KnownBlock[] =
        name === 'transfer'
          ? [{ type: 'input', block_id: 'department', label: { type: 'plain_text', text: tx.t('modal.toDepartment') }, element: { type: 'static_select', action_id: 'value', options: departments } }, categoryBlock(true)]
          : [categoryBlock(false)];
      await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          callback_id: `case-${name}`,
          private_metadata: JSON.stringify({ ref, channel }),
          title: { type: 'plain_text', text: tx.of('modal.title', name) },
          submit: { type: 'plain_text', text: tx.t(name === 'transfer' ? 'modal.transfer' : 'modal.change') },
          blocks,
        },
      });
      return;
    }
    if (name === 'extend') {
      await client.views.open({ trigger_id: body.trigger_id, view: extendModal(ref, channel, deps.extensionMaxDays, tx) });
      return;
    }
    if (!TRANSITIONS[name].needsText) return act(client, ref, body.user.id, name, {}, channel);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: 'modal',
        callback_id: `case-text:${name}`,
        private_metadata: JSON.stringify({ ref, channel }),
        title: { type: 'plain_text', text: tx.of('modal.title', name, tx.t('modal.title.other')) },
        submit: { type: 'plain_text', text: tx.t('modal.send') },
        blocks: [
          {
            type: 'input',
            block_id: 'text',
            label: { type: 'plain_text', text: tx.of('modal.prompt', name, tx.t('modal.prompt.other')) },
            element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 3000 },
          },
        ],
      },
    });
  });

  app.view<ViewSubmitAction>(/^case-(text:|transfer|categorise|extend)/, async ({ ack, body, view, client }) => {
    const { ref, channel } = JSON.parse(view.private_metadata) as { ref: string; channel?: string };
    const name = view.callback_id.startsWith('case-text:') ? view.callback_id.slice('case-text:'.length) : view.callback_id.slice('case-'.length);
    if (!isAction(name)) return ack();
    const text = view.state.values.text?.value?.value?.trim() ?? undefined;
    const department = view.state.values.department?.value?.selected_option?.value ?? undefined;
    const category = view.state.values.category?.value?.selected_option?.value ?? undefined;
    const rawDays = view.state.values.days?.value?.value;
    const days = rawDays ? Number(rawDays) : undefined;
    if (name === 'extend' && (days === undefined || !Number.isInteger(days) || days < 1 || days > deps.extensionMaxDays)) {
      await ack({ response_action: 'errors', errors: { days: tx.t('modal.daysError', { max: deps.extensionMaxDays }) } });
      return;
    }
    if (TRANSITIONS[name].needsText && !text) {
      await ack({ response_action: 'errors', errors: { text: tx.t('modal.textError') } });
      return;
    }
    await ack();
    if (!(await authorise(client, ref, body.user.id, channel))) return;
    await act(client, ref, body.user.id, name, { text, department, category, days }, channel);
  });
}

/** The form for the one extension: how many days, and the reason the petitioner is told. */
function extendModal(ref: string, channel: string | undefined, maxDays: number, tx: OfficeTexts): View {
  return {
    type: 'modal',
    callback_id: 'case-extend',
    private_metadata: JSON.stringify({ ref, channel }),
    title: { type: 'plain_text', text: tx.t('modal.title.extend') },
    submit: { type: 'plain_text', text: tx.t('modal.extend') },
    blocks: [
      {
        type: 'input',
        block_id: 'days',
        label: { type: 'plain_text', text: tx.t('modal.days', { max: maxDays }) },
        element: { type: 'number_input', action_id: 'value', is_decimal_allowed: false, min_value: '1', max_value: String(maxDays) },
      },
      {
        type: 'input',
        block_id: 'text',
        label: { type: 'plain_text', text: tx.t('modal.extendReason') },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 3000 },
      },
    ],
  };
}
