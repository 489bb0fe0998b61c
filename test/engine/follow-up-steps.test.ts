import { describe, expect, it } from 'vitest';
import { runTurn } from '../../src/engine/engine.js';
import { followUpStep } from '../../src/engine/steps/follow-up.js';
import { reviewStep } from '../../src/engine/steps/review.js';
import { caseQueryStep, QUERY_FAILURE_LIMIT } from '../../src/engine/steps/case-query.js';
import { confirmStep } from '../../src/engine/steps/confirm.js';
import { afterFilingStep } from '../../src/engine/steps/after-filing.js';
import type { CaseSnapshot, DialogueState, TurnContext, Understanding } from '../../src/engine/types.js';
import { FIXED_NOW, context, intent, stateWith, understood } from '../helpers/engine-fixtures.js';

const REF = 'XF-260301-AAAAA';
const ALL = { issue: '宏达电子厂拖欠工资三个月', location: '朝阳区', time: '去年十月', parties: '宏达电子厂', desiredOutcome: '结清工资', priorAttempts: '找过老板', contactName: '王女士', contactPhone: '13800138000' };

const resolved: CaseSnapshot = {
  trackingNumber: REF,
  status: 'resolved',
  department: 'human_resources_social_security',
  departmentLabel: { 'zh-CN': '人力资源和社会保障局', en: 'Human Resources and Social Security Bureau' },
  acceptanceDueAt: new Date('2026-03-16T08:00:00Z'),
  resolutionDueAt: new Date('2026-04-30T08:00:00Z'),
  answeredAt: new Date('2026-03-01T08:00:00Z'),
  reviewDueAt: new Date('2026-03-31T08:00:00Z'),
  awaitingFeedback: true,
};
const filed = stateWith({ phase: 'filed', asking: null, trackingNumber: REF, details: ALL });
const withCase = (over: Partial<TurnContext> = {}) => context({ openCase: resolved, followUp: resolved, ...over });

/** Runs the turns in order through the whole engine; returns each result. */
function dialogue(texts: (string | Understanding)[], ctx: TurnContext, start: DialogueState = filed) {
  let state = start;
  return texts.map((t) => {
    const r = runTurn(state, typeof t === 'string' ? understood(t) : t, ctx);
    state = r.state;
    return r;
  });
}

describe('follow-up visit (回访)', () => {
  it('asks for a rating, then suggestions; a satisfied answer is recorded and closes the case', () => {
    const [solved, rated, done] = dialogue(['yes', understood('5', { rating: 5 }), 'none'], withCase());
    expect(solved.replies).toHaveLength(1);
    expect(solved.replies[0].text).toBe('太好了，问题解决了就好。请您为这次办理打个分：1到5分，5分表示非常满意。');
    expect(solved.replies[0].expects?.type).toBe('rating');
    expect(solved.replies[0].expects?.options?.map((o) => o.value)).toEqual(['1', '2', '3', '4', '5']);
    expect(rated.replies[0].expects).toEqual({ type: 'choice', options: [{ value: 'none', label: '没有了' }] });
    expect(done.effects).toEqual([
      { type: 'record_feedback', trackingNumber: REF, solved: true, rating: 5, comment: null, unsatisfied: false },
      { type: 'close_case', trackingNumber: REF },
    ]);
    expect(done.replies.map((r) => r.text)).toEqual([`谢谢您的评价，这对我们改进工作很重要。案件 ${REF} 已经办结。以后有任何需要，随时可以再来找我。`]);
    expect(done.state.followUp?.stage).toBe('done');
  });

  it('records a suggestion, and offers an unsatisfied petitioner a review, which reopens the case', () => {
    const [, , commented, review] = dialogue(['no', understood('2', { rating: 2 }), understood('办得太慢了,希望以后快一点'), 'yes'], withCase());
    expect(commented.effects).toEqual([
      { type: 'record_feedback', trackingNumber: REF, solved: false, rating: 2, comment: '办得太慢了,希望以后快一点', unsatisfied: true },
    ]);
    expect(commented.replies[0].text).toBe('谢谢您的评价，您的意见和建议已经转给人力资源和社会保障局，我们会认真改进。');
    expect(commented.replies[1].text).toContain('复查请在2026年3月31日前申请');
    expect(commented.replies[1].expects?.type).toBe('confirm');
    expect(review.effects).toEqual([{ type: 'request_review', trackingNumber: REF }]);
    // The new answer period runs from the request (60 days from 2 March).
    expect(review.replies[0].text).toBe(`已经为您申请复查。案件 ${REF} 已重新交给人力资源和社会保障局办理，2026年5月1日前会给您答复，办理进展会在这里告诉您。`);
  });

  it('offers a review for a poor rating even when solved, and closes the case when it is declined', () => {
    const [, , offered, declined] = dialogue(['yes', understood('1', { rating: 1 }), intent('deny', '没有'), 'no'], withCase());
    expect(offered.effects[0]).toMatchObject({ type: 'record_feedback', solved: true, rating: 1, comment: null, unsatisfied: true });
    expect(offered.replies[1].expects?.options?.map((o) => o.value)).toEqual(['yes', 'no']);
    expect(declined.effects).toEqual([{ type: 'close_case', trackingNumber: REF }]);
    expect(declined.replies[0].text).toContain('尊重您的决定');
  });

  it('politely refuses a review asked for after the window, giving the reason', () => {
    const late = withCase({ now: new Date('2026-04-02T08:00:00Z') });
    const state = { ...filed, followUp: { trackingNumber: REF, answeredAt: resolved.answeredAt!.toISOString(), stage: 'review' as const, solved: false, rating: 2, retries: 0 } };
    const r = followUpStep(state, understood('yes'), late)!;
    expect(r.effects).toEqual([]);
    expect(r.replies[0].text).toBe(
      `很抱歉，复查需要在收到答复之日起30天内申请。案件 ${REF} 是2026年3月1日答复的，已经超过了这个期限，所以不能再申请复查了。如果有新的情况，可以直接告诉我，我会为您登记为一件新的诉求。`,
    );
  });

  it('lets a rating be skipped, and asks again once when an answer does not fit', () => {
    const [again, skipped] = dialogue(['yes', understood('嗯……'), understood('跳过')], withCase()).slice(1);
    expect(again.replies[0].text).toContain('请回复1到5之间的一个数字');
    expect(skipped.state.followUp).toMatchObject({ stage: 'comment', rating: null });
    const unclear = dialogue([understood('这个嘛'), understood('我再想想看吧其实还有一些别的情况')], withCase());
    expect(unclear[0].replies[0].expects?.type).toBe('confirm');
    // Asked twice already: a message with content goes to the case as usual.
    expect(unclear[1].effects).toEqual([{ type: 'add_to_case', trackingNumber: REF, text: '我再想想看吧其实还有一些别的情况' }]);
  });

  it('starts again for a new answer (after a review), and not at all when no follow-up waits', () => {
    const old = { trackingNumber: REF, answeredAt: '2026-02-01T00:00:00.000Z', stage: 'done' as const, solved: false, rating: 1, retries: 0 };
    const r = followUpStep({ ...filed, followUp: old }, understood('no'), withCase())!;
    expect(r.state.followUp).toMatchObject({ stage: 'rating', solved: false, answeredAt: '2026-03-01T08:00:00.000Z' });
    expect(followUpStep(filed, understood('yes'), context({ openCase: { ...resolved, status: 'closed', awaitingFeedback: false } }))).toBeNull();
  });

  it('takes a rating given with the first answer, and keeps a short suggestion as one', () => {
    const [both, short] = dialogue([understood('没解决,只能给1分', { solved: false, rating: 1 }), understood('太慢了', { contentless: true })], withCase());
    expect(both.state.followUp).toMatchObject({ stage: 'comment', solved: false, rating: 1 });
    expect(both.replies[0].text).toBe('很抱歉，问题还没有解决好。您对我们的工作还有什么意见或建议吗？有的话直接告诉我；没有的话回复“没有”就好。');
    expect(short.effects[0]).toMatchObject({ type: 'record_feedback', comment: '太慢了', unsatisfied: true });
    const [, , none] = dialogue(['yes', understood('4', { rating: 4 }), understood('没有意见')], withCase());
    expect(none.effects[0]).toMatchObject({ type: 'record_feedback', comment: null, rating: 4, unsatisfied: false });
  });

  it('runs after an emergency case is resolved too', () => {
    const r = runTurn({ ...filed, phase: 'emergency', emergency: 'danger' }, understood('yes'), withCase());
    expect(r.state.followUp).toMatchObject({ stage: 'rating', solved: true });
    expect(r.effects).toEqual([]);
  });

  it('understands "没有解决" typed out, and lets a status question through', () => {
    const r = followUpStep(filed, understood('没有解决,厂里只发了一半', { solved: false }), withCase())!;
    expect(r.state.followUp).toMatchObject({ stage: 'rating', solved: false });
    expect(followUpStep(filed, intent('case.status', '办得怎么样了'), withCase())).toBeNull();
  });
});

describe('review requests (复查) outside the follow-up', () => {
  const ask = understood('我要申请复查', { reviewRequest: true });

  it('reopens a resolved or rejected case within the window', () => {
    expect(reviewStep(filed, ask, withCase())!.effects).toEqual([{ type: 'request_review', trackingNumber: REF }]);
    const rejected = { ...resolved, status: 'rejected', awaitingFeedback: false };
    expect(reviewStep(filed, ask, context({ openCase: rejected }))!.effects).toEqual([{ type: 'request_review', trackingNumber: REF }]);
  });

  it('refuses with the reason on a closed case, a late request, or a case not answered yet', () => {
    const closed = { ...resolved, status: 'closed', awaitingFeedback: false };
    expect(reviewStep(filed, ask, context({ openCase: closed }))!.replies[0].text).toBe(
      `案件 ${REF} 已经办结归档，不能再申请复查了。如果有新的情况，可以直接告诉我，我会为您登记为一件新的诉求。`,
    );
    const late = reviewStep(filed, ask, context({ openCase: closed, now: new Date('2026-04-01T08:00:00Z') }))!;
    expect(late.replies[0].text).toContain('已经超过了这个期限');
    expect(late.effects).toEqual([]);
    const open = { ...resolved, status: 'in_progress', answeredAt: null, reviewDueAt: null, awaitingFeedback: false };
    expect(reviewStep(filed, ask, context({ openCase: open }))!.replies[0].text).toBe(
      `案件 ${REF} 还在办理中，还没有答复。收到答复后如果您不满意，可以在30天内申请复查。`,
    );
  });
});

describe('status by tracking number and query code', () => {
  const query = (code: string | null) => understood(`查询 ${REF} 验证码 ${code ?? ''}`, { caseQuery: { trackingNumber: REF, code, asks: 'status' } });
  const accepted = { ...resolved, status: 'accepted', answeredAt: null, reviewDueAt: null, awaitingFeedback: false };

  it('answers with the status, the department and the next deadline when the case was found', () => {
    const r = caseQueryStep(stateWith(), query('7KQ2MX'), context({ lookup: accepted }))!;
    expect(r.replies[0].text).toBe(`您的案件 ${REF} 目前的状态是：已受理。现在由人力资源和社会保障局负责。已经受理，2026年4月30日前会给您书面答复。`);
    expect(r.state.queryFailures).toEqual([]);
  });

  it('gives one answer for every failure, counts it, and throttles after the limit', () => {
    let state = stateWith();
    const texts: string[] = [];
    for (let i = 0; i < QUERY_FAILURE_LIMIT; i++) {
      const r = caseQueryStep(state, query('WRONG1'), context({ lookup: null }))!;
      state = r.state;
      texts.push(r.replies[0].text);
    }
    expect(new Set(texts)).toEqual(new Set(['没有查到与这个受理编号和查询码相符的案件。请核对一下受理编号和查询码，它们都在登记成功的那条消息里。']));
    expect(state.queryFailures).toHaveLength(QUERY_FAILURE_LIMIT);
    // Throttled: even a right code is not answered now.
    const blocked = caseQueryStep(state, query('7KQ2MX'), context({ lookup: accepted }))!;
    expect(blocked.replies[0].text).toBe('查询的次数有点多了。为了保护信访人的信息，请15分钟后再试。');
    const later = caseQueryStep(state, query('7KQ2MX'), context({ lookup: accepted, now: new Date(FIXED_NOW.getTime() + 15 * 60_000) }))!;
    expect(later.replies[0].text).toContain('已受理');
  });

  it('is answered in any phase, through the engine', () => {
    const r = runTurn(stateWith(), query('7KQ2MX'), context({ lookup: accepted }));
    expect(r.replies[0].text).toContain(REF);
    expect(r.state.asking).toBe('issue');
  });
});

describe('repeated petitions and the query code at filing', () => {
  const confirming = stateWith({ phase: 'confirm', asking: null, details: ALL });

  it('gives the query code in the filing message', () => {
    const r = confirmStep(confirming, understood('yes'), context())!;
    expect(r.replies[0].text).toContain('查询码：7KQ2MX。');
    expect(r.effects[0]).toMatchObject({ type: 'file_case', queryCode: '7KQ2MX' });
  });

  it('links a petition that repeats an open case of the same category instead of filing it', () => {
    const open = [{ trackingNumber: REF, category: 'labour_social_security', issue: '宏达电子厂欠我三个月工资' }];
    const r = confirmStep(confirming, understood('yes'), context({ petitionerCases: open, similarity: () => 0.8 }))!;
    expect(r.effects).toEqual([{ type: 'add_to_case', trackingNumber: REF, text: expect.stringContaining('宏达电子厂拖欠工资三个月') }]);
    expect(r.replies[0]).toMatchObject({ caseRef: REF });
    expect(r.replies[0].text).toContain(`正在办理的案件 ${REF} 是同一件事`);
    expect(r.state).toMatchObject({ phase: 'filed', trackingNumber: REF });
  });

  it('files a new case when the open one is of another category or another matter', () => {
    const other = [{ trackingNumber: REF, category: 'environment', issue: '宏达电子厂欠我三个月工资' }];
    expect(confirmStep(confirming, understood('yes'), context({ petitionerCases: other, similarity: () => 0.9 }))!.effects[0].type).toBe('file_case');
    const same = [{ ...other[0], category: 'labour_social_security' }];
    expect(confirmStep(confirming, understood('yes'), context({ petitionerCases: same, similarity: () => 0.1 }))!.effects[0].type).toBe('file_case');
  });

  it('keeps the follow-up and the failed queries when a new matter is started', () => {
    const f = { trackingNumber: REF, answeredAt: '2026-03-01T08:00:00.000Z', stage: 'review' as const, solved: false, rating: 2, retries: 0 };
    const r = afterFilingStep({ ...filed, followUp: f, queryFailures: ['2026-03-02T07:59:00.000Z'] }, intent('petition.new', '我还要反映另一件事'), context())!;
    expect(r.state).toMatchObject({ phase: 'intake', followUp: f, queryFailures: ['2026-03-02T07:59:00.000Z'] });
  });
});
