import type { DayKind, Details, EmergencyKind, Locale, Slot, Urgency } from '../domain.js';
import type { Understanding } from '../nlu/understanding.js';

/** What a channel carries besides words: photos, voice, video and files; photos only; nothing. */
export type AttachmentKinds = 'any' | 'photos' | 'none';

export type { Understanding };

export type Phase = 'intake' | 'confirm' | 'choose_correction' | 'filed' | 'emergency';

/** Dialogue state: JSON in the conversation row, loaded before and saved after every turn. */
export interface DialogueState {
  phase: Phase;
  locale: Locale;
  details: Details;
  /** Details the petitioner chose not to give; never asked again. */
  declined: Slot[];
  /** The detail the last bot question asked for. */
  asking: Slot | null;
  /** How many times each detail has been asked (a detail is asked at most twice). */
  asked: Partial<Record<Slot, number>>;
  /** After a correction the bot goes back to the summary instead of asking on. */
  returnToConfirm: boolean;
  turn: number;
  /** Turn on which feelings were last acknowledged, so empathy is not repeated every message. */
  lastEmpathyTurn: number;
  /** Consecutive messages the bot could not make sense of. */
  misunderstood: number;
  humanRequested: boolean;
  emergency: EmergencyKind | null;
  /** Strongest distress or anger seen during intake (0..1); raises the case's urgency. */
  distress: number;
  /** The case this conversation filed (phase 'filed' / 'emergency'). */
  trackingNumber: string | null;
  /** Where the petitioner is in the follow-up (回访) of a resolved case. */
  followUp: FollowUpState | null;
  /** When status queries by tracking number failed lately (ISO times, newest last): throttles guessing codes. */
  queryFailures: string[];
  /** Invitations to tell the story so far in this intake (filler and greetings get one each, up to a limit). */
  storyAsks: number;
  /**
   * Details taken from the account in passing ("at the electronics factory where I work") rather than
   * given as an answer: a later reply that gives the detail as such replaces them.
   */
  mined: Slot[];
  /** Open invitations to go on ("您接着说") in this intake, which ask for no detail in particular. */
  listens: number;
  /** Times the summary has been read back in this intake; a yes, or enough of them, files it. */
  summaries: number;
  /** Questions the petitioner asked that the bot cannot answer itself: passed on to officers with the case. */
  openQuestions: string[];
  /** Acknowledgements of feelings already said in this conversation, so none is said twice. */
  empathyUsed: string[];
  /** Turns in a row in this intake that added nothing (see intakeStep's MAX_STALLS). */
  stalls: number;
  /** Times "do you want to stop?" was asked in this intake (after two, leaving is taken as leaving). */
  cancelAsks: number;
  /** A yes/no question about the conversation itself is waiting for its answer. */
  pending: Pending | null;
  /** When the petitioner last wrote (ISO): someone who writes again after a while is greeted back. */
  lastMessageAt: string | null;
}

/**
 * What a question about the conversation itself waits to decide: whether to drop the intake
 * ("您是要先不登记了吗?"), or whether a message after filing is a new matter ("这是一件新的事情吗?",
 * with the message kept until the answer).
 */
export type Pending =
  | { kind: 'cancel' }
  /** The message that may be a new matter, and the draft it would start. */
  | { kind: 'new_matter'; text: string; draft: Details };

export type FollowUpStage = 'solved' | 'rating' | 'comment' | 'review' | 'done';

export interface FollowUpState {
  trackingNumber: string;
  /** The answer this follow-up is about (a case resolved again after a review gets a new one). */
  answeredAt: string;
  stage: FollowUpStage;
  solved: boolean | null;
  rating: number | null;
  /** Times the current question was asked again after an answer that did not fit. */
  retries: number;
}

export interface Expects {
  type: 'text' | 'confirm' | 'rating' | 'choice';
  slot?: Slot;
  options?: { value: string; label: string }[];
}

export interface Reply {
  text: string;
  expects?: Expects;
  caseRef?: string;
}

export interface RoutingDecision {
  category: string;
  categoryScore: number;
  department: string;
  departmentLabel: Record<Locale, string>;
  needsTriage: boolean;
  /** Why: the likeliest categories, a second one the petition is also about, and the words that weighed most. */
  explanation?: RoutingExplanation;
}

export interface RoutingExplanation {
  ranking: { code: string; score: number }[];
  secondary?: { code: string; score: number };
  evidence: { term: string; weight: number }[];
}

/** What the engine asks the case service to do; carried out in the same transaction as the turn. */
export type Effect =
  | {
      type: 'file_case';
      trackingNumber: string;
      details: Details;
      summary: string;
      urgency: Urgency;
      routing: RoutingDecision;
      emergency: EmergencyKind | null;
      humanRequested: boolean;
      acceptanceDueAt: Date;
      resolutionDueAt: Date;
      /** Given to the petitioner with the tracking number; only its hash is stored. */
      queryCode: string;
    }
  | { type: 'add_to_case'; trackingNumber: string; text: string }
  /** Details told after filing (a number to call back after an emergency): recorded where the case has none. */
  | { type: 'complete_details'; trackingNumber: string; details: Details }
  /** The follow-up answers: stored as a `feedback` case event (GET /api/stats reads it). */
  | { type: 'record_feedback'; trackingNumber: string; solved: boolean | null; rating: number | null; comment: string | null; unsatisfied: boolean }
  /** The petitioner is satisfied, or wants no review: the resolved case is closed. */
  | { type: 'close_case'; trackingNumber: string }
  /** The petitioner asks for a review (复查): the case is reopened with a new answer period. */
  | { type: 'request_review'; trackingNumber: string }
  | { type: 'request_human'; trackingNumber: string | null }
  /**
   * The petitioner exercised a right over the case's personal data: a copy was given, or its
   * deletion asked for (done at once for a finished case, else when it is finished).
   */
  | { type: 'data_request'; trackingNumber: string; kind: 'copy' | 'erase' }
  /** An emergency told after filing: the case becomes an emergency and the duty officer is paged. */
  | { type: 'escalate_emergency'; trackingNumber: string; kind: EmergencyKind };

/** A read-only view of the conversation's case, loaded by the service when the state names one. */
export interface CaseSnapshot {
  trackingNumber: string;
  status: string;
  department: string;
  departmentLabel: Record<Locale, string>;
  acceptanceDueAt: Date;
  resolutionDueAt: Date;
  /** When the petitioner was last given a final answer (resolved or rejected). */
  answeredAt?: Date | null;
  /** Until when a review may be requested (REVIEW_WINDOW_DAYS after the answer). */
  reviewDueAt?: Date | null;
  /** Resolved, and waiting for the petitioner's follow-up answers. */
  awaitingFeedback?: boolean;
}

/** A case's personal data as the office holds it, for a petitioner's copy (PIPL 查阅复制). */
export interface HeldRecord {
  trackingNumber: string;
  filedAt: Date;
  categoryLabel: Record<Locale, string>;
  details: Details;
  /** Already anonymised (retention, or a deletion asked for): nothing personal is left. */
  anonymised: boolean;
}

/** One of the petitioner's open cases, for telling a repeated petition from a new one. */
export interface OpenCaseSummary {
  trackingNumber: string;
  category: string;
  issue: string;
}

export interface TurnContext {
  now: Date;
  acceptanceDays: number;
  resolutionDays: number;
  /** What the time limits count: calendar days or working days. */
  dayKind: DayKind;
  /** Dates told to the petitioner are dates in this zone (the office's). */
  timeZone: string;
  officeName: Record<Locale, string>;
  emergencyContacts: Record<Locale, string>;
  /**
   * An emergency filed now pages a person (someone is on duty and a way to reach them is set up).
   * When false the bot gives the emergency numbers and never says that someone was alerted.
   */
  dutyOnCall: boolean;
  newTrackingNumber(): string;
  route(details: Details): RoutingDecision;
  /** How urgent the account sounds (nlu/urgency.ts), before what the conversation itself showed. */
  urgency(details: Details): Urgency;
  dueDates(from: Date): { acceptanceDueAt: Date; resolutionDueAt: Date };
  openCase: CaseSnapshot | null;
  /** The case of this conversation whose follow-up waits for the petitioner, if any. */
  followUp: CaseSnapshot | null;
  /**
   * The answer to a status query by tracking number (Understanding.caseQuery), looked up by the
   * service: the case when this petitioner filed it or gave its query code, else null — whether or
   * not such a case exists, so that the reply cannot tell. Undefined when nothing was looked up.
   */
  lookup?: CaseSnapshot | null;
  /**
   * The tracking number asked about, or the client's address, must wait this many minutes after too
   * many failed queries (from any conversation): the query was not looked up.
   */
  queryWaitMinutes?: number;
  /** What the office holds about the petitioner in the case looked up, when they asked for a copy. */
  heldRecord?: HeldRecord;
  /** A review may be requested within this many days of the answer (said when refusing one). */
  reviewWindowDays: number;
  newQueryCode(): string;
  /** The petitioner's open cases (loaded only on turns that may file a case). */
  petitionerCases: OpenCaseSummary[];
  /** How alike two issue texts of one category are, 0..1. */
  similarity(a: string, b: string, category: string): number;
  /** The details the bot asks for when they were not told (the others are taken only when told). */
  askFor: readonly Slot[];
  /** What this channel can take from the petitioner besides words (answers "can I send photos?"). */
  attachments: AttachmentKinds;
  /** The petitioner comes back after a while: their open cases, to greet them with. Null otherwise. */
  returning: ReturningPetitioner | null;
}

/** What the bot says first to someone who comes back: the state of their open cases. */
export interface ReturningPetitioner {
  openCases: CaseSnapshot[];
}

export interface TurnResult {
  state: DialogueState;
  replies: Reply[];
  effects: Effect[];
}

/** One dialogue step: returns a result when it handles the message, null to let the next step try. */
export type Step = (state: DialogueState, u: Understanding, ctx: TurnContext) => TurnResult | null;
