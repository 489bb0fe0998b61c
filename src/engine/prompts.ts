import { SLOTS, type Slot } from '../domain.js';
import { hasText, t } from '../i18n.js';
import type { DialogueState, Reply } from './types.js';

/**
 * Joins an acknowledgement and a question into one message, as a person would say them: Chinese
 * sentences run on after their full stop, English ones take a space.
 */
export function say(...parts: (string | null | undefined | false)[]): string {
  return (parts.filter(Boolean) as string[]).reduce((text, part) => {
    if (!text) return part;
    return /[\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]$/.test(text) ? text + part : `${text} ${part}`;
  }, '');
}

/** An open question for one detail; the second time it uses the more explicit wording if there is one. */
export function askFor(state: DialogueState, slot: Slot, prefix?: string): { state: DialogueState; reply: Reply } {
  const times = state.asked[slot] ?? 0;
  const key = times >= 1 && hasText(state.locale, `reask.${slot}`) ? `reask.${slot}` : `ask.${slot}`;
  return {
    state: { ...state, asking: slot, asked: { ...state.asked, [slot]: times + 1 } },
    reply: { text: say(prefix, t(state.locale, key, {}, state.turn)), expects: { type: 'text', slot } },
  };
}

export function slotLabel(state: DialogueState, slot: Slot): string {
  return t(state.locale, `slot.${slot}`);
}

/** The read-back of every detail, ending in a yes/no question. */
export function summaryReplies(state: DialogueState, prefix?: string): Reply[] {
  const l = state.locale;
  const lines = SLOTS.map((slot) => {
    const value = state.details[slot] ?? t(l, 'summary.notGiven');
    return `• ${slotLabel(state, slot)}${colon(l)}${value}`;
  });
  return [
    { text: [say(prefix, t(l, 'summary.intro')), ...lines].join('\n') },
    {
      text: t(l, 'summary.confirm'),
      expects: {
        type: 'confirm',
        options: [
          { value: 'yes', label: t(l, 'option.yes') },
          { value: 'no', label: t(l, 'option.no') },
        ],
      },
    },
  ];
}

/** The list of details offered when the petitioner says something in the summary is wrong. */
export function correctionChoices(state: DialogueState): Reply {
  return {
    text: t(state.locale, 'correct.which'),
    expects: { type: 'choice', options: SLOTS.map((slot) => ({ value: slot, label: slotLabel(state, slot) })) },
  };
}

const CONTACT: readonly Slot[] = ['contactName', 'contactPhone'];

/**
 * Plain-text case summary for officers, in the petitioner's language; contact details stay in
 * `details`. Questions the bot could not answer follow, and a note when the petitioner did not
 * confirm the read-back.
 */
export function caseSummary(state: DialogueState, opts: { confirmed?: boolean } = {}): string {
  const l = state.locale;
  const lines = SLOTS.filter((s) => state.details[s] && !CONTACT.includes(s)).map((slot) => `${slotLabel(state, slot)}${colon(l)}${state.details[slot]}`);
  if (state.openQuestions.length) lines.push(`${t(l, 'summary.openQuestions')}${colon(l)}${state.openQuestions.join(' ')}`);
  if (opts.confirmed === false) lines.push(t(l, 'summary.unconfirmed'));
  return lines.join('\n');
}

function colon(l: DialogueState['locale']): string {
  return l === 'zh-CN' ? '：' : ': ';
}
