import { t } from '../../i18n.js';
import type { Slot } from '../../domain.js';
import { MAX_ASKS, nextMissingSlot, result } from '../state.js';
import { askFor, say, summaryReplies } from '../prompts.js';
import { is } from '../intents.js';
import { acknowledge } from '../empathy.js';
import { answerQuestionsBack } from '../questions-back.js';
import { isBareReply, take } from '../listen.js';
import type { DialogueState, Effect, Reply, Step, TurnContext, TurnResult, Understanding } from '../types.js';

/** Something of a petition has been told: leaving would lose it, so it is asked first. */
export function hasDraft(state: DialogueState): boolean {
  return Boolean(state.details.issue);
}

function choice(text: string, options: [string, string][]): Reply {
  return { text, expects: { type: 'choice', options: options.map(([value, label]) => ({ value, label })) } };
}

/** Times the petitioner is asked whether to stop before their leaving is taken as leaving (the draft is kept). */
const MAX_CANCEL_ASKS = 2;

/**
 * "您是要先不登记了吗?": only a confirmed cancel ends an intake. Asked twice and answered "go on"
 * each time, a third goodbye is taken as leaving for now: what was told is kept for their return.
 */
export function askToCancel(state: DialogueState): TurnResult {
  const l = state.locale;
  if (state.cancelAsks >= MAX_CANCEL_ASKS) return result({ ...state, pending: null }, [{ text: t(l, 'cancel.left') }]);
  return result({ ...state, pending: { kind: 'cancel' }, cancelAsks: state.cancelAsks + 1 }, [
    choice(t(l, 'cancel.confirm'), [
      ['cancel', t(l, 'option.cancel')],
      ['continue', t(l, 'option.keepGoing')],
    ]),
  ]);
}

/** Distress this strong (the conversation's, 0..1) earns a word for the worry before an answer to a question. */
const REASSURE_AT = 0.4;

/** Invitations to tell the story before a person is offered instead. */
export const MAX_STORY_ASKS = 4;

/** An account this short ("俺被骗了", "bad landlord") is invited to go on before details are asked for. */
function thin(issue: string | undefined): boolean {
  if (!issue) return true;
  const han = issue.match(/[\u4e00-\u9fff]/g)?.length ?? 0;
  const words = issue.match(/[A-Za-z]+/g)?.length ?? 0;
  return han + words * 2 < 8;
}

/** Open invitations to go on per intake, and how many details of the account must be missing for one. */
export const MAX_LISTENS = 2;
const LISTEN_WHEN_MISSING = 3;
const ACCOUNT: readonly Slot[] = ['location', 'time', 'parties', 'desiredOutcome', 'priorAttempts'];

/**
 * Listening before asking: once the story is told and much of it is still missing, the bot invites
 * the petitioner to go on in their own words ("您接着说") instead of asking for one detail; what
 * they add is taken for whatever detail it gives. Twice at most, and not again after one that
 * brought nothing.
 */
function shouldListen(state: DialogueState, ctx: TurnContext, broughtSomething: boolean): boolean {
  if (state.listens >= MAX_LISTENS || state.returnToConfirm || !broughtSomething) return false;
  const missing = ACCOUNT.filter((slot) => ctx.askFor.includes(slot) && !state.details[slot] && !state.declined.includes(slot));
  return missing.length >= LISTEN_WHEN_MISSING;
}

/** The next question: more of the story while it is thin, then each missing detail, then the summary. */
export function askNext(state: DialogueState, ctx: TurnContext, prefix: string, effects: Effect[], broughtSomething = true): TurnResult {
  const story = state.details.issue;
  if (!state.returnToConfirm && (!story || (thin(story) && state.storyAsks < MAX_STORY_ASKS))) return inviteStory(state, prefix, effects);
  if (shouldListen(state, ctx, broughtSomething)) {
    const key = state.listens === 0 ? 'listen.more' : 'listen.again';
    return result({ ...state, asking: null, listens: state.listens + 1 }, [{ text: say(prefix, t(state.locale, key, {}, state.turn)) }], effects);
  }
  const slot = state.returnToConfirm ? null : nextMissingSlot(state, ctx.askFor);
  if (!slot) {
    const confirming: DialogueState = { ...state, phase: 'confirm', asking: null, returnToConfirm: false, misunderstood: 0, summaries: state.summaries + 1 };
    return result(confirming, summaryReplies(confirming, prefix || undefined), effects);
  }
  const asked = askFor(state, slot, prefix || undefined);
  return result(asked.state, [asked.reply], effects);
}

/**
 * "在吗" / "我想反映个事" / a first fragment: an open invitation to tell it, in varying words. After
 * a few with nothing told, a person is offered; after that the petitioner is handed to one.
 */
function inviteStory(state: DialogueState, prefix: string, effects: Effect[]): TurnResult {
  const l = state.locale;
  const storyAsks = state.storyAsks + 1;
  const next: DialogueState = { ...state, asking: 'issue', storyAsks };
  if (state.details.issue || storyAsks < MAX_STORY_ASKS) {
    const key = state.details.issue ? 'ask.issue.more' : 'ask.issue.again';
    return result(next, [{ text: say(prefix, t(l, key, {}, storyAsks)), expects: { type: 'text', slot: 'issue' } }], effects);
  }
  // Nothing told after several invitations: a person rather than another question.
  if (state.humanRequested) return result(next, [{ text: say(prefix, t(l, 'human.waiting')) }], effects);
  const offer: Reply = {
    text: say(prefix, t(l, 'abstain.offerHuman')),
    expects: { type: 'choice', options: [{ value: 'human', label: t(l, 'option.human') }, { value: 'continue', label: t(l, 'option.continue') }] },
  };
  if (state.misunderstood < 1) return result({ ...next, misunderstood: 1 }, [offer], effects);
  return result({ ...next, humanRequested: true }, [{ text: say(prefix, t(l, 'human.handedOver')) }], [
    ...effects,
    { type: 'request_human', trackingNumber: null },
  ]);
}

/** Turns in a row that add nothing before the intake is brought to its end (see intakeStep). */
export const MAX_STALLS = 8;

/** Enough going round: what was told is read back to be filed; with nothing told, a person takes over. */
function settle(state: DialogueState, prefix: string, effects: Effect[]): TurnResult {
  const l = state.locale;
  if (state.details.issue) {
    const confirming: DialogueState = { ...state, phase: 'confirm', asking: null, returnToConfirm: false, misunderstood: 0, stalls: 0, summaries: state.summaries + 1 };
    return result(confirming, summaryReplies(confirming, say(prefix, t(l, 'summary.now'))), effects);
  }
  if (state.humanRequested) return result(state, [{ text: say(prefix, t(l, 'human.waiting')) }], effects);
  return result({ ...state, humanRequested: true }, [{ text: say(prefix, t(l, 'human.handedOver')) }], [...effects, { type: 'request_human', trackingNumber: null }]);
}

/** The pending question was not answered: asked once more in other words, then let go. */
function unanswered(state: DialogueState, slot: Slot, u: Understanding): { state: DialogueState; again: boolean } {
  // "对" / "ok" to a question for a detail: they believe they told it; insisting would not help.
  if (!isBareReply(u) && (state.asked[slot] ?? 0) < MAX_ASKS) return { state, again: true };
  return { state: { ...state, declined: [...state.declined, slot] }, again: false };
}

/** "转人工" / the button: a person asked for. A longer message the classifier only leans that way on is not. */
function wantsPerson(u: Understanding): boolean {
  return u.text === 'human' || (is(u, 'human.request') && u.contentless);
}

/**
 * The heart of intake: takes what the message gives (the answer to the question asked, if it is
 * one, every other detail, more of the story), answers what it asks, acknowledges what it feels,
 * and asks one open question for what is still missing — or reads back the summary.
 */
export const intakeStep: Step = (state, u, ctx) => {
  const l = state.locale;
  if (u.acts.cancel || (is(u, 'goodbye') && !u.slotAnswer && u.contentless && !u.acts.nothingMore)) {
    if (hasDraft(state)) return askToCancel(state);
    return result(state, [{ text: t(l, 'goodbye') }]);
  }
  const taken = take(state, u);
  let s: DialogueState = { ...state, details: taken.details, mined: taken.mined };
  const effects: Effect[] = [];
  const feel = acknowledge(s, u);
  s = feel.state;
  const back = answerQuestionsBack(s, u, ctx);
  s = back.state;
  // A worried petitioner's question is answered with a word for the worry first (once).
  const reassure = !feel.text && back.text && state.distress >= REASSURE_AT && !s.empathyUsed.includes('reassure');
  if (reassure) s = { ...s, empathyUsed: [...s.empathyUsed, 'reassure'] };
  effects.push(...back.effects);
  let human: string | null = null;
  if (wantsPerson(u) && !back.effects.length) {
    human = t(l, state.humanRequested ? 'human.waiting' : 'human.requested');
    if (!state.humanRequested) effects.push({ type: 'request_human', trackingNumber: null });
    s = { ...s, humanRequested: true };
  }
  const office = u.acts.officeComplaint ? t(l, 'ack.office', {}, s.turn) : null;
  const spoken = Boolean(feel.text || back.text || human || office);
  let noted: string | null = null;
  if (taken.corrected || (state.returnToConfirm && taken.answered)) noted = t(l, 'correct.applied');
  else if (taken.declined) noted = t(l, 'ack.declined', {}, s.turn);
  else if (taken.answered && !spoken) noted = t(l, 'ack.got', {}, s.turn);
  // "I'll try again" after a person was offered: invite the story once more.
  if (u.text === 'continue') s = { ...s, misunderstood: 0, storyAsks: Math.min(s.storyAsks, MAX_STORY_ASKS - 1) };
  const prefix = say(feel.text, reassure ? t(l, 'reassure', {}, s.turn) : null, human, office, back.text, noted);

  const asking = state.asking;
  if (taken.declined && asking) s = { ...s, declined: [...s.declined, asking] };
  // Turns that add nothing (questions, filler, corrections of what was told, "continue") are counted:
  // a conversation that goes nowhere is brought to its summary, or to a person, instead of looping.
  const progress = taken.answered || taken.declined || taken.toldMore || taken.volunteered.length > 0;
  s = { ...s, stalls: progress ? 0 : state.stalls + 1 };
  if (s.stalls >= MAX_STALLS) return settle(s, prefix, effects);
  if (asking && asking !== 'issue' && !taken.answered && !taken.declined) {
    // Asked again in other words, once, whatever came instead of an answer (a question back, a
    // feeling, more of the story, a correction of something else): a question is never asked a third time.
    const left = unanswered(s, asking, u);
    s = left.state;
    if (left.again) {
      const reasked = askFor(s, asking, prefix || undefined);
      return result(reasked.state, [reasked.reply], effects);
    }
  }
  const brought = state.asking !== null || taken.toldMore || taken.volunteered.length > 0;
  return askNext(s, ctx, prefix, effects, brought);
};
