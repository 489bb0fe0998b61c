import { t } from '../../i18n.js';
import { result } from '../state.js';
import { askFor, say } from '../prompts.js';
import { is } from '../intents.js';
import type { DialogueState, Reply, Step, Understanding } from '../types.js';

/** Re-asks whatever the bot was waiting for, so a social aside never loses the thread. */
function resume(state: DialogueState, prefix: string): { state: DialogueState; replies: Reply[] } {
  const slot = state.asking ?? 'issue';
  const asked = askFor({ ...state, asked: { ...state.asked, [slot]: (state.asked[slot] ?? 1) - 1 } }, slot, prefix);
  return { state: asked.state, replies: [asked.reply] };
}

function socialKey(u: Understanding): string | null {
  for (const name of ['greeting', 'thanks', 'smalltalk'] as const) if (is(u, name)) return name === 'greeting' ? 'greeting.again' : name;
  return null;
}

/**
 * Messages with no petition content during intake: greetings, thanks, chit-chat, a wish to talk to
 * a person, "I want to complain" with nothing yet said. Each gets a human answer and the open
 * question again. Anything with content falls through to the collect step.
 */
export const socialStep: Step = (state, u) => {
  if (!u.contentless) return null;
  const l = state.locale;
  if (is(u, 'goodbye')) return result({ ...state, misunderstood: 0 }, [{ text: t(l, 'goodbye') }]);
  if (is(u, 'human.request') || u.text === 'human') {
    const r = resume({ ...state, humanRequested: true, misunderstood: 0 }, t(l, 'human.requested'));
    const effects = state.humanRequested ? [] : [{ type: 'request_human' as const, trackingNumber: null }];
    return result(r.state, r.replies, effects);
  }
  if ((is(u, 'petition.new') || u.text === 'continue') && !state.details.issue) {
    const asked = askFor({ ...state, misunderstood: 0 }, 'issue');
    return result(asked.state, [{ ...asked.reply, text: t(l, 'ask.issue.more', {}, state.turn) }]);
  }
  const key = socialKey(u);
  if (key) {
    const r = resume({ ...state, misunderstood: 0 }, t(l, key, {}, state.turn));
    return result(r.state, r.replies);
  }
  // A bare yes/no or something unclear while the bot waits for the story: abstain, never guess.
  if (state.asking === 'issue' && !state.details.issue) return abstain(state);
  return null;
};

/** Asks again in other words; the second time in a row it offers a person as well. */
export function abstain(state: DialogueState) {
  const l = state.locale;
  const misunderstood = state.misunderstood + 1;
  if (misunderstood < 2) {
    return result({ ...state, misunderstood }, [{ text: t(l, 'abstain'), expects: { type: 'text', slot: state.asking ?? 'issue' } }]);
  }
  return result({ ...state, misunderstood }, [
    {
      text: say(t(l, 'abstain.offerHuman')),
      expects: {
        type: 'choice',
        options: [
          { value: 'human', label: t(l, 'option.human') },
          { value: 'continue', label: t(l, 'option.continue') },
        ],
      },
    },
  ]);
}
