import type { Locale } from '../../src/domain.js';
import { DEFAULT_ASKED, initialState } from '../../src/engine/state.js';
import type { DialogueState, RoutingDecision, TurnContext, Understanding } from '../../src/engine/types.js';

/** A hand-made understanding, for testing one dialogue step without the classifiers. */
export function understood(text: string, over: Partial<Understanding> = {}): Understanding {
  return {
    text,
    normalized: text,
    language: 'zh-CN',
    intent: { name: 'None', score: 0 },
    confident: false,
    entities: [],
    details: {},
    affect: { distressed: false, angry: false, score: 0, concern: null },
    acts: { filler: false, nothingMore: false, questions: [], questionText: null, officeComplaint: false, cancel: false, content: text || null, written: text || null, story: text || null },
    emergency: null,
    decline: false,
    correction: null,
    correctionMarked: false,
    contentless: false,
    slotAnswer: null,
    unprompted: null,
    rating: null,
    solved: null,
    reviewRequest: false,
    caseQuery: null,
    ...over,
  };
}

export function intent(name: string, text = name, over: Partial<Understanding> = {}): Understanding {
  return understood(text, { intent: { name, score: 0.95 }, confident: true, contentless: true, ...over });
}

export const FIXED_NOW = new Date('2026-03-02T08:00:00Z');

export const ROUTED: RoutingDecision = {
  category: 'labour_social_security',
  categoryScore: 0.9,
  department: 'human_resources_social_security',
  departmentLabel: { 'zh-CN': '人力资源和社会保障局', en: 'Human Resources and Social Security Bureau' },
  needsTriage: false,
};

export function context(over: Partial<TurnContext> = {}): TurnContext {
  let n = 0;
  return {
    now: FIXED_NOW,
    acceptanceDays: 15,
    resolutionDays: 60,
    dayKind: 'calendar',
    timeZone: 'UTC',
    officeName: { 'zh-CN': '市民信访服务中心', en: 'Citizen Petition Service Centre' },
    emergencyContacts: { 'zh-CN': '报警 110', en: 'Police 110' },
    dutyOnCall: true,
    newTrackingNumber: () => `XF-260302-TEST${++n}`,
    route: () => ROUTED,
    urgency: () => 'normal',
    dueDates: (from) => ({
      acceptanceDueAt: new Date(from.getTime() + 15 * 86400_000),
      resolutionDueAt: new Date(from.getTime() + 60 * 86400_000),
    }),
    openCase: null,
    followUp: null,
    reviewWindowDays: 30,
    newQueryCode: () => '7KQ2MX',
    petitionerCases: [],
    similarity: () => 0,
    askFor: DEFAULT_ASKED,
    attachments: 'none',
    returning: null,
    ...over,
  };
}

export function stateWith(over: Partial<DialogueState> = {}, locale: Locale = 'zh-CN'): DialogueState {
  return { ...initialState(locale), ...over };
}
