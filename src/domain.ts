// Vocabulary shared by every layer. Kept free of imports so channels, engine and services agree on it.

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Details of a case, in the order the bot asks for what is missing (the slot names of docs/api.md, web chat API: message shapes). */
export const SLOTS = [
  'issue',
  'location',
  'time',
  'parties',
  'desiredOutcome',
  'priorAttempts',
  'contactName',
  'contactPhone',
] as const;
export type Slot = (typeof SLOTS)[number];
export type Details = Partial<Record<Slot, string>>;

export interface Entity {
  type: string;
  value: string;
  /** Offsets into the text the entity was found in (after normalisation). */
  start?: number;
  end?: number;
}

/** Case statuses after which nothing more is done on the case: its personal data is no longer needed to work it. */
export const FINISHED_STATUSES: readonly string[] = ['closed', 'rejected'];

export type Urgency = 'normal' | 'high' | 'emergency';
/** What time limits count: every day, or Monday to Friday less holidays (DEADLINE_DAY_KIND). */
export type DayKind = 'calendar' | 'working';
/** danger: a life at risk right now that is not self-harm or violence (fire, drowning, a trapped lift). */
export type EmergencyKind = 'self_harm' | 'violence' | 'mass_gathering' | 'danger';

export const CHANNELS = ['webchat', 'wechat', 'wechat-oa', 'wecom', 'slack'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/**
 * Values the quick-reply buttons send (the engine's expects.options) that nobody types as an answer:
 * a choice, never a detail, never part of the story, never a change of language. ("none", the
 * follow-up's "no suggestions" button, is left out: typed, it answers "what have you tried?".)
 */
export const QUICK_REPLY_VALUES: ReadonlySet<string> = new Set(['yes', 'no', 'human', 'continue', 'cancel', 'new', 'same', ...SLOTS]);

export function isSlot(value: unknown): value is Slot {
  return typeof value === 'string' && (SLOTS as readonly string[]).includes(value);
}
