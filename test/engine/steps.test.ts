import { describe, expect, it } from 'vitest';
import { SLOTS } from '../../src/domain.js';
import { intakeStep } from '../../src/engine/steps/intake.js';
import { confirmStep, chooseCorrectionStep } from '../../src/engine/steps/confirm.js';
import { emergencyStep, emergencyFollowupStep } from '../../src/engine/steps/safety.js';
import { afterFilingStep } from '../../src/engine/steps/after-filing.js';
import { openConversation, runTurn } from '../../src/engine/engine.js';
import { answerQuestionsBack } from '../../src/engine/questions-back.js';
import { context, intent, stateWith, understood } from '../helpers/engine-fixtures.js';

const ALL = { issue: '工资被拖欠三个月', location: '朝阳区', time: '去年十月', parties: '某某建筑公司', desiredOutcome: '结清工资', priorAttempts: '找过老板', contactName: '王女士', contactPhone: '13800138000' };

describe('reception', () => {
  it('greets first and opens with an open question for the story', () => {
    const r = openConversation('zh-CN', context());
    expect(r.replies).toHaveLength(2);
    expect(r.replies[0].text).toContain('市民信访服务中心');
    expect(r.replies[1].expects).toEqual({ type: 'text', slot: 'issue' });
    expect(r.state.asking).toBe('issue');
  });
});

describe('confirm and correction', () => {
  const confirming = stateWith({ phase: 'confirm', asking: null, details: ALL });

  it('files the case on yes, with the tracking number and deadlines', () => {
    const r = confirmStep(confirming, understood('yes'), context())!;
    expect(r.state.phase).toBe('filed');
    expect(r.replies[0].caseRef).toBe('XF-260302-TEST1');
    expect(r.replies[0].text).toContain('15天');
    expect(r.replies[0].text).toContain('人力资源和社会保障局');
    const effect = r.effects[0];
    expect(effect.type).toBe('file_case');
    if (effect.type === 'file_case') {
      expect(effect.details).toEqual(ALL);
      expect(effect.summary).not.toContain('13800138000');
      expect(effect.urgency).toBe('normal');
    }
  });

  it('files as high urgency when the account says harm is near, even from a calm petitioner', () => {
    const r = confirmStep(confirming, understood('yes'), context({ urgency: (d) => (d.issue === ALL.issue ? 'high' : 'normal') }))!;
    const effect = r.effects[0];
    expect(effect.type === 'file_case' && effect.urgency).toBe('high');
  });

  it('says the time limits in working days, and the dates in the office time zone, when so configured', () => {
    const late = new Date('2026-03-02T20:00:00Z'); // already 3 March in Shanghai
    const dueDates = () => ({ acceptanceDueAt: new Date('2026-03-23T20:00:00Z'), resolutionDueAt: new Date('2026-05-27T20:00:00Z') });
    const r = confirmStep(confirming, understood('yes'), context({ now: late, dayKind: 'working', timeZone: 'Asia/Shanghai', dueDates }))!;
    expect(r.replies[0].text).toContain('15个工作日内（2026年3月24日前）');
    expect(r.replies[0].text).toContain('60个工作日内（约2026年5月28日前）');
  });

  it('applies a correction that carries the new value and reads the summary back again', () => {
    const r = confirmStep(confirming, understood('地址不对,应该是海淀区', { correction: { slot: 'location', value: '海淀区' } }), context())!;
    expect(r.state.details.location).toBe('海淀区');
    expect(r.state.phase).toBe('confirm');
    expect(r.replies.at(-1)?.expects?.type).toBe('confirm');
  });

  it('on no, offers the list of details; picking one asks for it and returns to the summary', () => {
    const no = confirmStep(confirming, understood('no'), context())!;
    expect(no.state.phase).toBe('choose_correction');
    expect(no.replies[0].expects?.options?.map((o) => o.value)).toEqual([...SLOTS]);
    const pick = chooseCorrectionStep(no.state, understood('time'), context())!;
    expect(pick.state.asking).toBe('time');
    expect(pick.state.returnToConfirm).toBe(true);
    const fixed = intakeStep(pick.state, understood('今年一月', { slotAnswer: '今年一月' }), context())!;
    expect(fixed.state.details.time).toBe('今年一月');
    expect(fixed.state.phase).toBe('confirm');
  });

  it('asks again when the answer to the summary is unclear, and files it as it stands (marked unconfirmed) after a few', () => {
    const unclear = understood('嗯……', { acts: { filler: true, nothingMore: false, questions: [], questionText: null, officeComplaint: false, cancel: false, content: null, written: null, story: null } });
    const r = confirmStep(confirming, unclear, context())!;
    expect(r.state.phase).toBe('confirm');
    expect(r.replies[0].expects?.type).toBe('confirm');
    const again = confirmStep(r.state, unclear, context())!;
    expect(again.state.phase).toBe('confirm');
    const filed = confirmStep(again.state, unclear, context())!;
    expect(filed.state.phase).toBe('filed');
    const effect = filed.effects[0];
    expect(effect?.type === 'file_case' && effect.summary).toContain('信访人未确认');
    expect(filed.replies[0].text).toContain('工作人员会和您核实');
  });

  it('adds what the petitioner tells at the summary and reads it back', () => {
    const r = confirmStep(confirming, understood('还有，他们上个月又扣了我五百块'), context())!;
    expect(r.state.phase).toBe('confirm');
    expect(r.state.details.issue).toBe(`${ALL.issue}\n还有，他们上个月又扣了我五百块`);
    expect(r.replies[0].text).toContain('上个月又扣了我五百块');
  });
});

describe('safety', () => {
  it('escalates at once with emergency contacts, asks only for a way to reach them, then gives the reference', () => {
    const r = emergencyStep(stateWith({ asking: 'location', details: { issue: '被拖欠工资' } }), understood('我不想活了', { emergency: { kind: 'self_harm', cue: '不想活了' } }), context())!;
    expect(r.state.phase).toBe('emergency');
    expect(r.replies[0].text).toContain('报警 110');
    expect(r.replies[0].expects).toEqual({ type: 'text', slot: 'contactPhone' });
    const effect = r.effects[0];
    expect(effect.type === 'file_case' && effect.urgency).toBe('emergency');
    const ref = r.state.trackingNumber;
    const phone = emergencyFollowupStep(r.state, understood('13800138000', { slotAnswer: '13800138000', details: { contactPhone: '13800138000' } }), context())!;
    expect(phone.effects).toContainEqual({ type: 'complete_details', trackingNumber: ref, details: { contactPhone: '13800138000' } });
    expect(phone.replies[0].expects).toEqual({ type: 'text', slot: 'location' });
    const place = emergencyFollowupStep(phone.state, understood('我在城东区幸福路桥上', { slotAnswer: '城东区幸福路桥上' }), context())!;
    expect(place.replies[0].caseRef).toBe(ref);
    expect(place.effects).toContainEqual({ type: 'complete_details', trackingNumber: ref, details: { location: '城东区幸福路桥上' } });
    // Asked once each: from here on every message goes to the duty officer, and the bot says where help is.
    const after = emergencyFollowupStep(place.state, understood('你们能快点吗'), context())!;
    expect(after.replies[0].expects).toBeUndefined();
    expect(after.replies[0].text).toContain('110');
    expect(after.effects[0]).toMatchObject({ type: 'add_to_case' });
  });

  it('gives the reference at once when a way to reach them is known', () => {
    const r = emergencyStep(stateWith({ details: { issue: '欠薪', contactPhone: '13800138000', location: '城东区' } }), understood('我不想活了', { emergency: { kind: 'self_harm', cue: '不想活了' } }), context())!;
    expect(r.replies[0].caseRef).toBe(r.state.trackingNumber);
    expect(r.replies[0].expects).toBeUndefined();
  });

  it('does nothing when there is no emergency', () => {
    expect(emergencyStep(stateWith(), understood('你好'), context())).toBeNull();
  });

  it('says a person was alerted only when one is paged; otherwise the numbers, and that it is recorded', () => {
    const crisis = understood('我不想活了', { emergency: { kind: 'self_harm', cue: '不想活了' } });
    const paged = emergencyStep(stateWith({ details: { issue: '欠薪' } }), crisis, context({ dutyOnCall: true }))!;
    expect(paged.replies[0].text).toContain('我已经通知值班工作人员');
    const alone = emergencyStep(stateWith({ details: { issue: '欠薪' } }), crisis, context({ dutyOnCall: false }))!;
    const said = () => [alone, phone, place, after].flatMap((r) => r.replies.map((x) => x.text)).join('\n');
    const phone = emergencyFollowupStep(alone.state, understood('13800138000', { slotAnswer: '13800138000', details: { contactPhone: '13800138000' } }), context({ dutyOnCall: false }))!;
    const place = emergencyFollowupStep(phone.state, understood('在桥上', { slotAnswer: '桥上' }), context({ dutyOnCall: false }))!;
    const after = emergencyFollowupStep(place.state, understood('你们能快点吗'), context({ dutyOnCall: false }))!;
    expect(said()).not.toMatch(/通知|值班|转给/);
    expect(alone.replies[0].text).toContain('报警 110');
    // Still asks, gently and once each, for a number and a place, and gives the reference.
    expect([alone, phone].map((r) => r.replies[0].expects)).toEqual([{ type: 'text', slot: 'contactPhone' }, { type: 'text', slot: 'location' }]);
    expect(place.replies[0].caseRef).toBe(alone.state.trackingNumber);
    expect(after.replies[0].text).toContain('报警 110');
  });

  it('turns an already filed case into the emergency: pages for it, asks how to reach them, gives its reference', () => {
    const filed = stateWith({ phase: 'filed', asking: null, trackingNumber: 'XF-260302-AAAAA', details: { issue: '欠薪', location: '城东区' } });
    const r = emergencyStep(filed, understood('他们要打我', { emergency: { kind: 'violence', cue: '打我' } }), context())!;
    expect(r.state.phase).toBe('emergency');
    expect(r.effects).toEqual([
      { type: 'add_to_case', trackingNumber: 'XF-260302-AAAAA', text: '他们要打我' },
      { type: 'escalate_emergency', trackingNumber: 'XF-260302-AAAAA', kind: 'violence' },
    ]);
    expect(r.replies[0].expects).toEqual({ type: 'text', slot: 'contactPhone' });
    const phone = emergencyFollowupStep(r.state, understood('13800138000', { slotAnswer: '13800138000', details: { contactPhone: '13800138000' } }), context())!;
    // The place is known from the petition: not asked again; the reference comes next.
    expect(phone.replies[0].caseRef).toBe('XF-260302-AAAAA');
  });
});

describe('after filing', () => {
  const filed = stateWith({ phase: 'filed', asking: null, trackingNumber: 'XF-260302-AAAAA', details: ALL });
  const openCase = {
    trackingNumber: 'XF-260302-AAAAA',
    status: 'accepted',
    department: 'health',
    departmentLabel: { 'zh-CN': '卫生健康委员会', en: 'Health Commission' },
    acceptanceDueAt: new Date('2026-03-17T08:00:00Z'),
    resolutionDueAt: new Date('2026-05-01T08:00:00Z'),
  };

  it('answers a status question from the case', () => {
    const r = afterFilingStep(filed, intent('case.status', '办得怎么样了'), context({ openCase }))!;
    expect(r.replies[0].text).toContain('已受理');
    expect(r.replies[0].text).toContain('卫生健康委员会');
  });

  it('adds anything with content to the case', () => {
    const r = afterFilingStep(filed, understood('我又找到一份工资条可以证明'), context({ openCase }))!;
    expect(r.effects).toEqual([{ type: 'add_to_case', trackingNumber: 'XF-260302-AAAAA', text: '我又找到一份工资条可以证明' }]);
  });

  it('starts a new matter without asking contact details again', () => {
    const r = afterFilingStep(filed, intent('petition.new', '我还要反映另一件事'), context({ openCase }))!;
    expect(r.state.phase).toBe('intake');
    expect(r.state.details).toEqual({ contactName: '王女士', contactPhone: '13800138000' });
  });
});

describe('runTurn', () => {
  it('answers in the language of the message', () => {
    const r = runTurn(stateWith(), understood('My landlord kept my deposit', { language: 'en' }), context());
    expect(r.state.locale).toBe('en');
    expect(r.replies[0].text).toMatch(/[A-Za-z]/);
  });
});

describe('questions asked back', () => {
  const asksPhotos = (locale: 'zh-CN' | 'en') =>
    understood(locale === 'en' ? 'Can I send photos?' : '可以发照片吗？', {
      acts: { filler: false, nothingMore: false, questions: ['photos'], questionText: null, officeComplaint: false, cancel: false, content: null, written: null, story: null },
    });

  it('answer "can I send photos?" by what the channel carries: anything, photos only, nothing', () => {
    const state = stateWith({ asking: 'issue' });
    const said = (attachments: 'any' | 'photos' | 'none') => answerQuestionsBack(state, asksPhotos('zh-CN'), context({ attachments })).text ?? '';
    expect(said('any')).toContain('照片、视频直接发在这里');
    expect(said('photos')).toContain('照片直接发在这里');
    expect(said('photos')).toContain('视频和语音这里暂时发不了');
    expect(said('none')).toContain('这里暂时还不能发照片');
    const en = answerQuestionsBack(stateWith({ asking: 'issue' }, 'en'), asksPhotos('en'), context({ attachments: 'photos' })).text ?? '';
    expect(en).toContain('Videos and voice messages cannot be sent here yet');
  });
});
