import type { Locale } from '../domain.js';
import { t } from '../i18n.js';
import { say } from './prompts.js';
import type { Reply } from './types.js';

/**
 * The questions of the follow-up visit (回访). The first goes out with the resolution notice (the
 * case service pushes it); the dialogue asks the rest. Each has quick-reply options for channels
 * with buttons and says in words how to answer for channels without.
 */
export function solvedQuestion(l: Locale, again = false): Reply {
  return {
    text: t(l, again ? 'followup.solved.again' : 'followup.ask.solved'),
    expects: {
      type: 'confirm',
      options: [
        { value: 'yes', label: t(l, 'option.solved.yes') },
        { value: 'no', label: t(l, 'option.solved.no') },
      ],
    },
  };
}

export function ratingQuestion(l: Locale, prefix?: string, again = false): Reply {
  return {
    text: say(prefix, t(l, again ? 'followup.rating.again' : 'followup.ask.rating')),
    expects: { type: 'rating', options: [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: t(l, `option.rating.${n}`) })) },
  };
}

export function commentQuestion(l: Locale): Reply {
  return { text: t(l, 'followup.ask.comment'), expects: { type: 'choice', options: [{ value: 'none', label: t(l, 'option.comment.none') }] } };
}

export function reviewOffer(l: Locale, reviewDue: string, again = false): Reply {
  return {
    text: t(l, again ? 'review.offer.again' : 'review.offer', { reviewDue }),
    expects: {
      type: 'confirm',
      options: [
        { value: 'yes', label: t(l, 'option.review.yes') },
        { value: 'no', label: t(l, 'option.review.no') },
      ],
    },
  };
}
