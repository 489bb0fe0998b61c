import type { Details, EmergencyKind, Entity, Locale, Slot } from '../domain.js';
import type { CaseQuery } from './follow-up-cues.js';
import type { ReplyActs } from './reply-acts.js';
import type { Affect } from './affect.js';

export type { CaseQuery, ReplyActs };

/** Everything the hub understood of one petitioner message; the engine's only view of the text. */
export interface Understanding {
  /** As written (trimmed). Stored and quoted back; never interpreted as markup. */
  text: string;
  /** Simplified, NFKC-normalised text the classifiers saw. */
  normalized: string;
  language: Locale;
  /** The top intent; name 'None' when the classifier abstained. */
  intent: { name: string; score: number };
  /** intent.score reached the configured threshold. */
  confident: boolean;
  entities: Entity[];
  /** Details recognised in this message alone. */
  details: Details;
  affect: Affect;
  emergency: { kind: EmergencyKind; cue: string } | null;
  /** The petitioner declines to give what was asked (不方便说 / prefer not to say). */
  decline: boolean;
  correction: { slot: Slot; value: string | null } | null;
  /** The message says outright that something told before was wrong (不对 / 应该是 / actually …). */
  correctionMarked: boolean;
  /** A short message that carries no petition content (greeting, yes/no, thanks …). */
  contentless: boolean;
  /** What the message does besides telling details: filler, questions back, complaints about the office, calling it off. */
  acts: ReplyActs;
  /**
   * When the bot had asked for a detail: the value this message gives for it, judged by what an
   * answer to it can look like (answer-check.ts); null when it does not answer it.
   */
  slotAnswer: string | null;
  /**
   * When the bot had asked nothing in particular ("您接着说"): the detail the message gives as a
   * whole, judged by its shape alone (answer-check.ts), or null when it is more of the story;
   * `more` when the message tells more than that detail (it is story as well).
   */
  unprompted: { slot: Slot; value: string; more: boolean } | null;
  /** A rating from 1 to 5 the message gives (the follow-up asks for one), else null. */
  rating: number | null;
  /** The message says the problem was solved (true), was not (false), or neither (null). */
  solved: boolean | null;
  /** The petitioner asks for a review (复查) of an answer. */
  reviewRequest: boolean;
  /** A status query naming a tracking number (and the query code, if given). */
  caseQuery: CaseQuery | null;
}

export interface CategoryGuess {
  code: string;
  score: number;
  /** The model's own abstention threshold (chosen by cross-validation), when it has one. */
  threshold?: number;
  /** The most likely categories, most likely first (the first is `code`). */
  ranking?: { code: string; score: number }[];
  /** A second category the petition is also about, when the model gives it enough weight. */
  secondary?: { code: string; score: number };
  /** The words that weighed most toward `code`, strongest first (weights in log-odds). */
  evidence?: { term: string; weight: number }[];
}
