import type { DayKind } from '../cases/deadlines.js';
import type { Details, EmergencyKind, Locale, Slot, Urgency } from '../domain.js';
import type { Understanding } from '../nlu/understanding.js';

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
    }
  | { type: 'add_to_case'; trackingNumber: string; text: string }
  | { type: 'request_human'; trackingNumber: string | null };

/** A read-only view of the conversation's case, loaded by the service when the state names one. */
export interface CaseSnapshot {
  trackingNumber: string;
  status: string;
  department: string;
  departmentLabel: Record<Locale, string>;
  acceptanceDueAt: Date;
  resolutionDueAt: Date;
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
  newTrackingNumber(): string;
  route(details: Details): RoutingDecision;
  dueDates(from: Date): { acceptanceDueAt: Date; resolutionDueAt: Date };
  openCase: CaseSnapshot | null;
}

export interface TurnResult {
  state: DialogueState;
  replies: Reply[];
  effects: Effect[];
}

/** One dialogue step: returns a result when it handles the message, null to let the next step try. */
export type Step = (state: DialogueState, u: Understanding, ctx: TurnContext) => TurnResult | null;
