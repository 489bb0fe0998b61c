// Listening: what one message adds to the petition. The answer to the question asked, if the reply
// answers it (judged by the NLU, never assumed from its position); every other detail it tells,
// where nothing was recorded yet; and the rest of what it says, which is more of the story.
import { SLOTS, type Details, type Slot } from '../domain.js';
import type { DialogueState, Understanding } from './types.js';

export interface Taken {
  details: Details;
  /** The reply answered the question asked. */
  answered: boolean;
  /** The petitioner declined or does not know what was asked. */
  declined: boolean;
  /** A detail already recorded was corrected ("不对，电话是…", "actually it was last March"). */
  corrected: Slot | null;
  /** More of the story was added to the account. */
  toldMore: boolean;
  /** Details recorded from this message that were not asked for. */
  volunteered: Slot[];
  /** Details that came from the account in passing, to be replaced by an answer given as such. */
  mined: Slot[];
}

/** Replies that carry nothing to record: yes, no, ok, thanks. */
const BARE = /^(?:对|对的|是|是的|嗯+|好|好的|行|可以|没错|没问题|对的没问题|不是|不对|没有|ok|okay|yes|yeah|yep|no|nope|sure|right|correct|thanks|thank you|谢谢)(?:[\s,，。.!！~]*(?:没问题|是的|对的|that is right|that's right|thanks|thank you|谢谢))*[\s,，。.!！~]*$/i;

export function isBareReply(u: Understanding): boolean {
  return BARE.test(u.normalized.trim());
}

/** Joins a new piece of the story to the account told so far, one piece per line. */
export function joinStory(issue: string | undefined, piece: string): string {
  return issue ? `${issue}\n${piece}` : piece;
}

/** A correction of something already recorded, made explicitly and with the new value. */
function correctionOf(state: DialogueState, u: Understanding): { slot: Slot; value: string } | null {
  const c = u.correction;
  if (!c?.value || c.slot === 'issue' || !u.correctionMarked) return null;
  if (!state.details[c.slot] || state.details[c.slot] === c.value) return null;
  return { slot: c.slot, value: c.value };
}

/**
 * Asked for their name, a worry about being known ("is this anonymous?") is an answer: not to give
 * it. A number is asked once more after the reassurance: without it nobody can call them back.
 */
function anonymityWorry(asking: Slot | null, u: Understanding): boolean {
  return asking === 'contactName' && u.acts.questions.includes('confidential');
}

/** Everything this message gives, applied to the state's details; nothing told before is overwritten unless corrected. */
export function take(state: DialogueState, u: Understanding): Taken {
  const asking = state.asking;
  let details: Details = { ...state.details };
  const fix = correctionOf(state, u);
  let answered = false;
  let declined = false;
  let whole = false;
  if (fix) details[fix.slot] = fix.value;
  else if (asking && asking !== 'issue') {
    if (u.decline || anonymityWorry(asking, u)) declined = true;
    else if (u.slotAnswer) {
      details[asking] = u.slotAnswer;
      answered = true;
      // The reply was nothing but the answer (a name, a number): it holds no other detail.
      whole = u.slotAnswer.length >= 0.8 * (u.acts.written ?? u.text).length;
    }
  }
  const volunteered: Slot[] = [];
  let mined = state.mined.filter((slot) => !(answered && slot === asking) && !(fix && slot === fix.slot));
  // A detail given as such ("石岭乡岩背村后山" after "您接着说") replaces one taken from the account in passing.
  const given = u.unprompted;
  const offered = !asking && given && (!details[given.slot] || mined.includes(given.slot)) ? given : null;
  if (offered) {
    details[offered.slot] = offered.value;
    volunteered.push(offered.slot);
    mined = mined.filter((slot) => slot !== offered.slot);
  }
  for (const slot of SLOTS) {
    const value = u.details[slot];
    if (!value || details[slot] || slot === 'issue') continue;
    // A greeting ("领导您好") tells nothing; a reply that was only its answer holds no other detail.
    if ((whole || u.acts.filler) && slot !== 'contactPhone' && slot !== 'contactName') continue;
    details[slot] = value;
    volunteered.push(slot);
    if (slot !== 'contactPhone' && slot !== 'contactName') mined = [...mined, slot];
  }
  // What did not answer the question is more of the story: a fragment, what it did to them, what else happened.
  const story = u.acts.story;
  const compact = offered !== null && !offered.more;
  const toldMore = Boolean(story) && !answered && !declined && !fix && !compact && !u.contentless && !isBareReply(u) && !u.acts.cancel;
  if (toldMore) details = { ...details, issue: joinStory(details.issue, story as string) };
  // An account that names the thing asked ("my daughter fell in it yesterday …") answers it too.
  if (asking && asking !== 'issue' && volunteered.includes(asking)) answered = true;
  return { details, answered, declined, corrected: fix?.slot ?? null, toldMore, volunteered, mined };
}
