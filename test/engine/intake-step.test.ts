import { describe, expect, it } from 'vitest';
import { intakeStep } from '../../src/engine/steps/intake.js';
import { pendingStep } from '../../src/engine/steps/pending.js';
import { runTurn } from '../../src/engine/engine.js';
import { nextMissingSlot } from '../../src/engine/state.js';
import type { ReplyActs } from '../../src/nlu/reply-acts.js';
import type { Understanding } from '../../src/engine/types.js';
import { context, intent, stateWith, understood } from '../helpers/engine-fixtures.js';

const ALL = { issue: '工资被拖欠三个月', location: '朝阳区', time: '去年十月', parties: '某某建筑公司', desiredOutcome: '结清工资', priorAttempts: '找过老板', contactName: '王女士', contactPhone: '13800138000' };

function acts(over: Partial<ReplyActs>): ReplyActs {
  return { filler: false, nothingMore: false, questions: [], questionText: null, officeComplaint: false, cancel: false, content: null, written: null, story: null, ...over };
}

/** A reply that is story and nothing else. */
function story(text: string, over: Partial<Understanding> = {}): Understanding {
  return understood(text, over);
}

describe('intake step: the answer to the question asked', () => {
  it('stores a judged answer and acknowledges it', () => {
    const s = stateWith({ asking: 'time', asked: { time: 1 }, details: { issue: ALL.issue, location: '朝阳区' } });
    const r = intakeStep(s, understood('去年十月', { slotAnswer: '去年十月' }), context())!;
    expect(r.state.details.time).toBe('去年十月');
    expect(r.replies[0].text).toMatch(/记下|明白/);
  });

  it('does not store a reply that does not answer: more of the story goes to the story, and the question is asked again in other words', () => {
    const s = stateWith({ asking: 'time', asked: { time: 1 }, details: { issue: '养猪场排污', location: '岩背村' } });
    const r = intakeStep(s, story('那个味道熏得人饭都吃不下'), context())!;
    expect(r.state.details.time).toBeUndefined();
    expect(r.state.details.issue).toBe('养猪场排污\n那个味道熏得人饭都吃不下');
    expect(r.state.asking).toBe('time');
    expect(r.replies[0].text).toContain('大概是什么时候发生或者开始的');
    // Asked twice without an answer: it is let go, never asked a third time.
    const again = intakeStep(r.state, story('晚上都要关窗'), context())!;
    expect(again.state.declined).toContain('time');
    expect(again.state.asking).not.toBe('time');
  });

  it('answers a question back, then asks again', () => {
    const s = stateWith({ asking: 'desiredOutcome', asked: { desiredOutcome: 1 }, details: { issue: '停水', location: '新屋村', time: '这个星期' } });
    const u = understood('这个要多久能处理啊？', { acts: acts({ questions: ['duration'], questionText: '这个要多久能处理啊?' }) });
    const r = intakeStep(s, u, context())!;
    expect(r.replies[0].text).toContain('15天内会告诉您是否受理');
    expect(r.replies[0].expects).toEqual({ type: 'text', slot: 'desiredOutcome' });
    expect(r.state.details.desiredOutcome).toBeUndefined();
    expect(r.state.details.issue).toBe('停水');
  });

  it('acknowledges a complaint about the office without storing it', () => {
    const s = stateWith({ asking: 'priorAttempts', asked: { priorAttempts: 1 }, details: { issue: '村账不公开' } });
    const r = intakeStep(s, understood('说了有什么用，上上下下都是一伙的', { acts: acts({ officeComplaint: true }) }), context())!;
    expect(r.state.details.priorAttempts).toBeUndefined();
    expect(r.state.details.issue).toBe('村账不公开');
    expect(r.replies[0].text).toMatch(/理解/);
    expect(r.replies[0].expects?.slot).toBe('priorAttempts');
  });

  it('respects a decline and never asks that detail again', () => {
    const s = stateWith({ asking: 'contactPhone', details: { ...ALL, contactPhone: undefined } });
    const r = intakeStep(s, understood('不方便留', { decline: true }), context())!;
    expect(r.state.declined).toContain('contactPhone');
    expect(nextMissingSlot(r.state)).toBeNull();
    expect(r.state.phase).toBe('confirm');
    expect(r.replies[0].text).toMatch(/没关系|不方便/);
  });

  it('takes a worry about being known, asked for a name, as not giving it, and says how it is kept', () => {
    const s = stateWith({ locale: 'en', asking: 'contactName', details: { ...ALL, contactName: undefined, contactPhone: undefined } }, 'en');
    const u = understood('is this anonymous?', { language: 'en', acts: acts({ questions: ['confidential'], questionText: 'is this anonymous?' }) });
    const r = intakeStep(s, u, context())!;
    expect(r.state.declined).toContain('contactName');
    expect(r.state.asking).toBe('contactPhone');
    expect(r.replies[0].text).toMatch(/never given to the person or organisation you complain about/);
  });

  it('does not insist after a bare "yes" to a question for a detail', () => {
    const s = stateWith({ asking: 'location', asked: { location: 1 }, details: { issue: ALL.issue } });
    const r = intakeStep(s, understood('对的，没问题', { intent: { name: 'affirm', score: 0.9 }, confident: true, contentless: true }), context())!;
    expect(r.state.details.location).toBeUndefined();
    expect(r.state.declined).toContain('location');
    expect(r.state.details.issue).toBe(ALL.issue);
  });

  it('a name that the intent model takes for goodbye is still a name', () => {
    const s = stateWith({ asking: 'contactName', details: { ...ALL, contactName: undefined, contactPhone: undefined } });
    const u = understood('张先生', { intent: { name: 'goodbye', score: 0.9 }, confident: true, slotAnswer: '张先生' });
    const r = intakeStep(s, u, context())!;
    expect(r.state.details.contactName).toBe('张先生');
    expect(r.state.asking).toBe('contactPhone');
  });

  it('applies a correction of something already told, at any point, and asks the pending question again', () => {
    const s = stateWith({ asking: 'desiredOutcome', asked: { desiredOutcome: 1 }, details: { issue: ALL.issue, contactPhone: '13800138000' } });
    const u = understood('不对，电话是13900001111', { correction: { slot: 'contactPhone', value: '13900001111' }, correctionMarked: true });
    const r = intakeStep(s, u, context())!;
    expect(r.state.details.contactPhone).toBe('13900001111');
    expect(r.replies[0].text).toContain('已经改好了');
    expect(r.state.asking).toBe('desiredOutcome');
    expect(r.state.asked.desiredOutcome).toBe(2);
  });
});

describe('intake step: listening', () => {
  it('takes a long first message as the story with every detail in it, then invites more in their own words', () => {
    const u = understood('公司拖欠我工资三个月了，老板一直躲着不见', { details: { parties: '公司' } });
    const r = intakeStep(stateWith(), u, context())!;
    expect(r.state.details).toMatchObject({ issue: '公司拖欠我工资三个月了，老板一直躲着不见', parties: '公司' });
    // Much is still missing: an open invitation, not a question for one detail.
    expect(r.replies[0].expects).toBeUndefined();
    expect(r.state.asking).toBeNull();
    expect(r.state.listens).toBe(1);
  });

  it('takes what comes after an invitation for the detail it gives', () => {
    const s = stateWith({ asking: null, listens: 1, details: { issue: '公司拖欠工资三个月' } });
    const r = intakeStep(s, understood('宁波市鄞州区工业园', { unprompted: { slot: 'location', value: '宁波市鄞州区工业园', more: false } }), context())!;
    expect(r.state.details.location).toBe('宁波市鄞州区工业园');
    expect(r.state.details.issue).toBe('公司拖欠工资三个月');
  });

  it('asks for one detail at a time once an invitation brought nothing', () => {
    const s = stateWith({ asking: null, listens: 1, details: { issue: '公司拖欠工资三个月' } });
    const r = intakeStep(s, understood('嗯', { acts: acts({ filler: true }), contentless: true }), context())!;
    expect(r.replies[0].expects).toEqual({ type: 'text', slot: 'location' });
  });

  it('invites the story on greetings and filler, and offers a person when nothing comes', () => {
    let state = stateWith();
    const filler = understood('在吗', { acts: acts({ filler: true }), contentless: true, intent: { name: 'greeting', score: 0.9 }, confident: true });
    const texts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = intakeStep(state, filler, context())!;
      texts.push(r.replies[0].text);
      state = r.state;
    }
    expect(new Set(texts.slice(0, 2)).size).toBe(2); // not the same words twice
    expect(texts.at(-1)).toMatch(/转接工作人员/);
    const handed = intakeStep(state, filler, context())!;
    expect(handed.effects).toEqual([{ type: 'request_human', trackingNumber: null }]);
    expect(handed.state.humanRequested).toBe(true);
  });

  it('asks a short account to go on before any detail is asked', () => {
    const r = intakeStep(stateWith(), story('俺被骗了'), context())!;
    expect(r.state.details.issue).toBe('俺被骗了');
    expect(r.replies[0].expects).toEqual({ type: 'text', slot: 'issue' });
  });
});

describe('intake step: feelings', () => {
  const sad = { affect: { distressed: true, angry: false, score: 0.8, concern: 'money' as const } };

  it('acknowledges distress in its terms, once every few turns, never in the same words twice', () => {
    const a = intakeStep(stateWith({ turn: 5 }), understood('孩子上学急着用钱，真的没办法了', sad), context())!;
    expect(a.replies[0].text).toMatch(/不容易|理解/);
    const b = intakeStep({ ...a.state, turn: 6, asking: 'location' }, understood('在朝阳区', { ...sad, slotAnswer: '在朝阳区' }), context())!;
    expect(b.replies[0].text).not.toBe(a.replies[0].text);
    expect(b.replies[0].text).not.toMatch(/不容易|理解/);
    const c = intakeStep({ ...b.state, turn: 9 }, understood('工头说没钱', sad), context())!;
    expect(c.replies[0].text).toMatch(/不容易|理解|着急/);
    expect(c.replies[0].text.slice(0, 10)).not.toBe(a.replies[0].text.slice(0, 10));
  });

  it('acknowledges anger in English', () => {
    const r = intakeStep(stateWith({ turn: 4 }, 'en'), understood('This is OUTRAGEOUS, they took my deposit', { language: 'en', affect: { distressed: false, angry: true, score: 0.9, concern: null } }), context())!;
    expect(r.replies[0].text).toMatch(/angry|frustrat/i);
  });
});

describe('intake step: leaving', () => {
  it('asks before dropping what was told; only a confirmed cancel ends the intake', () => {
    const s = stateWith({ asking: 'location', details: { issue: ALL.issue } });
    const bye = intakeStep(s, intent('goodbye', '再见'), context())!;
    expect(bye.state.pending).toEqual({ kind: 'cancel' });
    expect(bye.replies[0].expects?.options?.map((o) => o.value)).toEqual(['cancel', 'continue']);
    expect(bye.state.details.issue).toBe(ALL.issue);
    const stay = pendingStep(bye.state, understood('continue'), context())!;
    expect(stay.state.pending).toBeNull();
    expect(stay.state.details.issue).toBe(ALL.issue);
    expect(stay.replies[0].expects?.slot).toBe('location');
    const gone = pendingStep(bye.state, understood('cancel'), context())!;
    expect(gone.state.details).toEqual({});
    expect(gone.replies[0].text).toContain('先不登记');
  });

  it('says goodbye without asking when nothing was told yet', () => {
    const r = intakeStep(stateWith(), intent('goodbye', '再见'), context())!;
    expect(r.state.pending).toBeNull();
    expect(r.replies[0].text).toMatch(/再来找我/);
  });
});

describe('the language of the conversation', () => {
  it('is not changed by a short answer in another script: a name is a name', () => {
    const asking = stateWith({ asking: 'contactName', asked: { contactName: 1 }, details: { issue: '地铁站电梯坏了一个月' } });
    const r = runTurn(asking, understood('Vivian Lam', { language: 'en', slotAnswer: 'Vivian Lam' }), context());
    expect(r.state.locale).toBe('zh-CN');
    expect(r.state.details.contactName).toBe('Vivian Lam');
    const story = runTurn(stateWith(), understood('My landlord has kept my deposit for four months', { language: 'en' }), context());
    expect(story.state.locale).toBe('en');
  });
});

describe('intake step: what the office asks for (ASKED_DETAILS)', () => {
  it('asks only for the details the office listed, and still records the others when told', () => {
    const ctx = context({ askFor: ['contactPhone'] });
    const told = understood('公司拖欠我工资三个月了，老板一直躲着不见，在朝阳区', { details: { location: '朝阳区' } });
    let r = intakeStep(stateWith(), told, ctx)!;
    expect(r.state.details.location).toBe('朝阳区');
    if (!r.replies.some((x) => x.expects?.type === 'text')) r = intakeStep(r.state, understood('嗯', { acts: acts({ filler: true }), contentless: true }), ctx)!;
    expect(r.replies.at(-1)?.expects).toEqual({ type: 'text', slot: 'contactPhone' });
    r = intakeStep(r.state, understood('13800138000', { slotAnswer: '13800138000' }), ctx)!;
    expect(r.state.phase).toBe('confirm');
    expect(r.replies[0].text).toContain('朝阳区');
  });
});

describe('intake step: reading back', () => {
  it('goes to the summary when nothing is missing, listing every detail', () => {
    const r = intakeStep(stateWith({ asking: 'contactPhone', details: { ...ALL, contactPhone: undefined } }), understood('13800138000', { slotAnswer: '13800138000' }), context())!;
    expect(r.state.phase).toBe('confirm');
    expect(r.replies[0].text).toContain('13800138000');
    expect(r.replies[0].text).toContain('朝阳区');
    expect(r.replies[1].expects?.type).toBe('confirm');
  });
});
