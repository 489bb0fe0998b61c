import type { Locale } from '../../src/domain.js';
import { openConversation, runTurn } from '../../src/engine/engine.js';
import { DEFAULT_ASKED } from '../../src/engine/state.js';
import type { DialogueState, Effect, Reply, TurnContext } from '../../src/engine/types.js';
import { Router } from '../../src/cases/routing.js';
import { DEFAULT_ROUTING } from '../../src/cases/routing-defaults.js';
import { DeadlinePolicy } from '../../src/cases/deadlines.js';
import { Nlu } from '../../src/nlu/nlu.js';
import { TEST_MODEL_DIR } from './hub.js';

let shared: Promise<Nlu> | undefined;
export function sharedNlu(): Promise<Nlu> {
  shared ??= Nlu.load({ intentThreshold: 0.5, modelDir: TEST_MODEL_DIR });
  return shared;
}

export interface Turn {
  replies: Reply[];
  /** All reply texts joined, for matching. */
  text: string;
  effects: Effect[];
  state: DialogueState;
  asks: string | undefined;
}

const CALENDAR_DAYS = new DeadlinePolicy({ acceptanceDays: 15, resolutionDays: 60, extensionMaxDays: 30 }, { kind: 'calendar', timeZone: 'UTC' });

/**
 * A conversation with the real classifiers and the real dialogue engine, without transport or
 * database (botbuilder's TestAdapter idea): say(text) returns what the bot answers.
 */
export async function conversation(locale: Locale) {
  const nlu = await sharedNlu();
  const router = new Router(DEFAULT_ROUTING, (t) => nlu.classifyCategory(t), 0.35);
  let n = 0;
  const ctx: TurnContext = {
    now: new Date('2026-03-02T08:00:00Z'),
    acceptanceDays: 15,
    resolutionDays: 60,
    dayKind: 'calendar',
    timeZone: 'UTC',
    officeName: { 'zh-CN': '市民信访服务中心', en: 'Citizen Petition Service Centre' },
    emergencyContacts: { 'zh-CN': '报警 110 · 急救 120', en: 'Police 110 · Ambulance 120' },
    dutyOnCall: false,
    newTrackingNumber: () => `XF-260302-T${String(++n).padStart(4, '0')}`,
    route: (d) => router.route(d),
    urgency: (d) => nlu.urgency([d.issue, d.desiredOutcome].filter(Boolean).join('\n'), locale),
    dueDates: (from) => CALENDAR_DAYS.dueDates(from),
    openCase: null,
    followUp: null,
    reviewWindowDays: 30,
    newQueryCode: () => '7KQ2MX',
    petitionerCases: [],
    similarity: (a, b, category) => nlu.similarity(a, b, category),
    askFor: DEFAULT_ASKED,
    attachments: 'none',
    returning: null,
  };
  const opened = openConversation(locale, ctx);
  let state = opened.state;
  const effects: Effect[] = [];
  const asked: string[] = [];
  return {
    greeting: opened.replies,
    get state() {
      return state;
    },
    effects,
    asked,
    async say(text: string): Promise<Turn> {
      const u = await nlu.understand(text, state.locale, state.asking);
      const r = runTurn(state, u, ctx);
      state = r.state;
      effects.push(...r.effects);
      const asks = [...r.replies].reverse().find((x) => x.expects)?.expects;
      // An open invitation to go on ("您接着说") asks for nothing in particular: 'listen'.
      const slot = asks?.type === 'text' ? asks.slot : (asks?.type ?? (state.phase === 'intake' && state.asking === null ? 'listen' : undefined));
      if (asks) asked.push(slot as string);
      return { replies: r.replies, text: r.replies.map((x) => x.text).join('\n'), effects: r.effects, state, asks: slot };
    },
    filed() {
      const e = effects.find((x) => x.type === 'file_case');
      return e?.type === 'file_case' ? e : undefined;
    },
  };
}
