import { describe, expect, it } from 'vitest';
import { afterFilingStep } from '../../src/engine/steps/after-filing.js';
import { pendingStep } from '../../src/engine/steps/pending.js';
import { openConversation, runTurn } from '../../src/engine/engine.js';
import { DEFAULT_ASKED } from '../../src/engine/state.js';
import type { CaseSnapshot, OpenCaseSummary, RoutingDecision } from '../../src/engine/types.js';
import { context, ROUTED, stateWith, understood } from '../helpers/engine-fixtures.js';

const FILED = { issue: '工地拖欠我三个月工资', location: '朝阳区', contactName: '王女士', contactPhone: '13800138000' };
const REF = 'XF-260302-AAAAA';
const filed = stateWith({ phase: 'filed', asking: null, trackingNumber: REF, details: FILED });
const openCase: CaseSnapshot = {
  trackingNumber: REF,
  status: 'accepted',
  department: 'human_resources_social_security',
  departmentLabel: ROUTED.departmentLabel,
  acceptanceDueAt: new Date('2026-03-17T08:00:00Z'),
  resolutionDueAt: new Date('2026-05-01T08:00:00Z'),
};
const mine: OpenCaseSummary = { trackingNumber: REF, category: 'labour_social_security', issue: FILED.issue };
const ENVIRONMENT: RoutingDecision = { ...ROUTED, category: 'environment', department: 'ecology_environment', needsTriage: false };

const story = (text: string, details = {}) => understood(text, { details, acts: { filler: false, nothingMore: false, questions: [], questionText: null, officeComplaint: false, cancel: false, content: text, written: text, story: text } });
const NOISE = '小区门口新开的烧烤店每天晚上油烟特别大，一直弄到凌晨两三点，窗户都不敢开';

describe('after filing: a new matter or more about the filed one', () => {
  it('files a grievance of another kind as a new case of its own, keeping the contact details', () => {
    const ctx = context({ openCase, petitionerCases: [mine], route: () => ENVIRONMENT, similarity: () => 0.05 });
    const r = afterFilingStep(filed, story(NOISE, { time: '每天晚上' }), ctx)!;
    expect(r.state.phase).toBe('intake');
    expect(r.state.trackingNumber).toBeNull();
    expect(r.state.details).toMatchObject({ issue: NOISE, contactName: '王女士', contactPhone: '13800138000' });
    expect(r.state.details.location).toBeUndefined();
    expect(r.effects).toEqual([]);
    expect(r.replies[0].text).toContain('单独登记');
  });

  it('adds more about the filed case to it', () => {
    const ctx = context({ openCase, petitionerCases: [mine], similarity: () => 0.6 });
    const more = '工头今天又说下个月才能发，我们十几个人都还没拿到工资，老板电话也打不通';
    const r = afterFilingStep(filed, story(more), ctx)!;
    expect(r.effects).toEqual([{ type: 'add_to_case', trackingNumber: REF, text: more }]);
    expect(r.state.phase).toBe('filed');
  });

  it('asks when it cannot tell, and does what the answer says', () => {
    const ctx = context({ openCase, petitionerCases: [mine], similarity: () => 0.1 });
    const text = '另外我们宿舍的热水器坏了一个多月了，跟厂里说了好几次都没人来修，冬天只能洗冷水';
    const r = afterFilingStep(filed, story(text), ctx)!;
    expect(r.replies[0].text).toContain('这是一件新的事情吗');
    expect(r.replies[0].expects?.options?.map((o) => o.value)).toEqual(['new', 'same']);
    const added = pendingStep(r.state, understood('same'), ctx)!;
    expect(added.effects).toEqual([{ type: 'add_to_case', trackingNumber: REF, text }]);
    const started = pendingStep(r.state, understood('new'), ctx)!;
    expect(started.state.phase).toBe('intake');
    expect(started.state.details.issue).toBe(text);
    expect(started.state.details.contactPhone).toBe('13800138000');
  });

  it('adds what the petitioner calls an addition to the case, however long, without asking', () => {
    const ctx = context({ openCase, petitionerCases: [mine], route: () => ENVIRONMENT, similarity: () => 0.05 });
    for (const text of ['补充一下：我有工资条和考勤记录，我的新手机是13700001111，以后打这个号码', '我再补充一点，工头说的那个老板其实是外地的，十几个工友都能作证，合同在我这里']) {
      expect(afterFilingStep(filed, story(text), ctx)!.effects).toEqual([{ type: 'add_to_case', trackingNumber: REF, text }]);
    }
  });

  it('takes a message read as adding information as an addition, unless it is about another kind of matter: then it asks', () => {
    const more = '我们十几个人都还没拿到钱，老板电话也打不通，工头说他也没办法，只能等';
    const addInfo = (text: string) => ({ ...story(text), intent: { name: 'case.add_info', score: 0.9 }, confident: true });
    const same = afterFilingStep(filed, addInfo(more), context({ openCase, petitionerCases: [mine], route: () => ({ ...ENVIRONMENT, category: 'labour_social_security' }), similarity: () => 0.1 }))!;
    expect(same.effects).toEqual([{ type: 'add_to_case', trackingNumber: REF, text: more }]);
    const other = afterFilingStep(filed, addInfo(NOISE), context({ openCase, petitionerCases: [mine], route: () => ENVIRONMENT, similarity: () => 0.05 }))!;
    expect(other.state.pending?.kind).toBe('new_matter');
  });

  it('takes "还有一件事" about another kind of matter as a new one', () => {
    const r = afterFilingStep(filed, story(`还有一件事，${NOISE}`), context({ openCase, petitionerCases: [mine], route: () => ENVIRONMENT, similarity: () => 0.05 }))!;
    expect(r.state.phase).toBe('intake');
    expect(r.state.details.issue).toContain('烧烤店');
  });

  it('keeps a short addition as information for the case, without asking', () => {
    const r = afterFilingStep(filed, story('我又找到一份工资条可以证明'), context({ openCase, petitionerCases: [mine] }))!;
    expect(r.effects).toEqual([{ type: 'add_to_case', trackingNumber: REF, text: '我又找到一份工资条可以证明' }]);
  });

  it('answers a question about the case without adding it to the case', () => {
    const u = understood('要多久才有结果？', { acts: { filler: false, nothingMore: false, questions: ['duration'], questionText: '要多久才有结果?', officeComplaint: false, cancel: false, content: null, written: null, story: null } });
    const r = afterFilingStep(filed, u, context({ openCase, petitionerCases: [mine] }))!;
    expect(r.effects).toEqual([]);
    expect(r.replies[0].text).toContain('15天');
  });
});

describe('a petitioner who comes back', () => {
  const returning = { openCases: [openCase] };

  it('is greeted back with where their cases stand before anything else', () => {
    const r = runTurn(filed, story('你好，我又来了'), context({ openCase, returning }));
    expect(r.replies[0].text).toContain('欢迎回来');
    expect(r.replies[0].text).toContain(REF);
    expect(r.replies[0].text).toContain('已受理');
  });

  it('is reminded of a petition they left untold, and it goes on from there', () => {
    const draft = stateWith({ asking: 'location', asked: { location: 1 }, details: { issue: '楼下饭店的油烟直冲我家窗户' } });
    const r = runTurn(draft, understood('在东湖区建设路88号', { slotAnswer: '在东湖区建设路88号' }), context({ returning: { openCases: [] } }));
    expect(r.replies[0].text).toContain('楼下饭店的油烟直冲我家窗户');
    expect(r.state.details.location).toBe('在东湖区建设路88号');
  });

  it('is not greeted back when answering a closed question the hub put to them: the answer is taken as it is', () => {
    const followingUp = { ...filed, followUp: { trackingNumber: REF, answeredAt: '2026-03-02T08:00:00Z', stage: 'solved' as const, solved: null, rating: null, retries: 0 } };
    const r = runTurn(followingUp, understood('yes'), context({ openCase, returning }));
    expect(r.replies[0].text).not.toContain('欢迎回来');
    const summary = stateWith({ phase: 'confirm', asking: null, details: FILED });
    expect(runTurn(summary, understood('yes'), context({ returning })).replies[0].text).not.toContain('欢迎回来');
  });

  it('is not greeted back in an emergency: help comes first', () => {
    const r = runTurn(filed, understood('我不想活了', { emergency: { kind: 'self_harm', cue: '不想活了' } }), context({ openCase, returning }));
    expect(r.replies[0].text).not.toContain('欢迎回来');
  });

  it('opening a new conversation, is greeted back and the draft they left is taken up', () => {
    const ctx = { officeName: context().officeName, timeZone: 'UTC', askFor: DEFAULT_ASKED };
    const withCases = openConversation('zh-CN', ctx, { openCases: [openCase], draft: null });
    expect(withCases.replies[0].text).toContain('欢迎回来');
    expect(withCases.replies[0].text).toContain(REF);
    expect(withCases.replies[1].expects?.slot).toBe('issue');
    const withDraft = openConversation('zh-CN', ctx, { openCases: [], draft: { issue: '楼下饭店的油烟直冲我家窗户', location: '东湖区' } });
    expect(withDraft.replies[0].text).toContain('还没有登记完');
    expect(withDraft.state.details.location).toBe('东湖区');
    expect(withDraft.replies[1].expects?.slot).toBe('time');
    const stranger = openConversation('zh-CN', ctx);
    expect(stranger.replies[0].text).not.toContain('欢迎回来');
  });
});
