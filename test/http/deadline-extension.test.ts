import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api } from '../helpers/webchat-client.js';
import { TestClock } from '../helpers/clock.js';
import { fileLabourCase } from '../helpers/petitions.js';

interface CaseBody {
  status: string;
  acceptanceDueAt: string;
  resolutionDueAt: string;
  resolutionExtendedAt: string | null;
  error: { code: string };
}

const act = (hub: TestHub, ref: string, json: object) => api<CaseBody>(hub.url, `/api/cases/${ref}/actions`, { method: 'POST', token: ADMIN_TOKEN, json });
const view = async (hub: TestHub, ref: string) => (await api<CaseBody>(hub.url, `/api/cases/${ref}`, { token: ADMIN_TOKEN })).body;

describe('extending the answer period once (calendar days)', () => {
  const clock = new TestClock('2026-03-02T08:00:00Z');
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ now: clock.now, env: { TIME_ZONE: 'Asia/Shanghai' } });
  });
  afterAll(async () => hub?.drop());

  it('moves the due date, keeps the status, tells the petitioner in their language and records who did it', async () => {
    const { client, ref } = await fileLabourCase(hub.url, 'zh-CN');
    expect((await act(hub, ref, { action: 'accept', actor: 'officer:wang' })).body.resolutionDueAt).toBe('2026-05-01T08:00:00.000Z');
    clock.set('2026-04-20T02:00:00Z');
    const socket = await client.connect();
    try {
      const r = await act(hub, ref, { action: 'extend', days: 20, text: '需要调取厂方三年的工资台账', actor: 'officer:wang' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'accepted', resolutionDueAt: '2026-05-21T08:00:00.000Z', resolutionExtendedAt: '2026-04-20T02:00:00.000Z' });
      const told = await socket.next();
      expect(told.role).toBe('system');
      expect(told.text).toBe(`人力资源和社会保障局决定将您的案件 ${ref} 的办理期限延长20天，将在2026年5月21日前给您书面答复。延期理由：需要调取厂方三年的工资台账`);
    } finally {
      socket.close();
    }
    const events = await hub.db.caseEvent.findMany({ where: { case: { trackingNumber: ref }, type: 'extend' } });
    expect(events.map((e) => ({ actor: e.actor, text: e.text, from: e.fromStatus, to: e.toStatus, data: JSON.parse(e.data ?? '{}') }))).toEqual([
      {
        actor: 'officer:wang',
        text: '需要调取厂方三年的工资台账',
        from: 'accepted',
        to: 'accepted',
        data: { days: 20, previousDueAt: '2026-05-01T08:00:00.000Z', resolutionDueAt: '2026-05-21T08:00:00.000Z' },
      },
    ]);

    const again = await act(hub, ref, { action: 'extend', days: 5, text: '还需要时间', actor: 'officer:li' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('extension_already_used');
    expect((await view(hub, ref)).resolutionDueAt).toBe('2026-05-21T08:00:00.000Z');
    // Still one extension, even after a review reopens the case.
    await act(hub, ref, { action: 'resolve', text: '已结清', actor: 'officer:wang' });
    await act(hub, ref, { action: 'reopen', actor: 'officer:wang' });
    expect((await act(hub, ref, { action: 'extend', days: 5, text: '复查需要时间', actor: 'officer:li' })).body.error.code).toBe('extension_already_used');
  });

  it('refuses days out of range, a missing reason, and cases not being answered', async () => {
    clock.set('2026-03-02T08:00:00Z');
    const { ref } = await fileLabourCase(hub.url, 'zh-CN');
    const before = await act(hub, ref, { action: 'extend', days: 10, text: '太早了', actor: 'a' });
    expect(before.status).toBe(409);
    expect(before.body.error.code).toBe('invalid_transition');
    await act(hub, ref, { action: 'accept', actor: 'a' });
    for (const days of [0, 31, 2.5, -3, undefined]) {
      const r = await act(hub, ref, { action: 'extend', days, text: '理由', actor: 'a' });
      expect([days, r.status, r.body.error.code]).toEqual([days, 400, 'invalid_extension_days']);
    }
    expect((await act(hub, ref, { action: 'extend', days: '10', text: '理由', actor: 'a' })).status).toBe(400);
    const noReason = await act(hub, ref, { action: 'extend', days: 10, text: '  ', actor: 'a' });
    expect([noReason.status, noReason.body.error.code]).toEqual([400, 'missing_text']);
    const after = await view(hub, ref);
    expect([after.resolutionDueAt, after.resolutionExtendedAt]).toEqual(['2026-05-01T08:00:00.000Z', null]);

    expect((await act(hub, ref, { action: 'extend', days: 30, text: '需要现场核查', actor: 'a' })).body.resolutionDueAt).toBe('2026-05-31T08:00:00.000Z');
    await act(hub, ref, { action: 'resolve', text: '已处理', actor: 'a' });
    const resolved = await act(hub, ref, { action: 'extend', days: 1, text: 'x', actor: 'a' });
    expect([resolved.status, resolved.body.error.code]).toEqual([409, 'invalid_transition']);
  });
});

describe('deadlines in working days', () => {
  const clock = new TestClock('2026-03-02T08:00:00Z'); // a Monday, 16:00 in Shanghai
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({
      now: clock.now,
      env: { DEADLINE_DAY_KIND: 'working', TIME_ZONE: 'Asia/Shanghai', HOLIDAYS: '2026-03-10', EXTENSION_MAX_DAYS: '10' },
    });
  });
  afterAll(async () => hub?.drop());

  it('counts only working days, in filing, acceptance and the extension the petitioner is told of', async () => {
    const { client, ref } = await fileLabourCase(hub.url, 'en');
    // 15 working days: three weeks, plus one for the holiday.
    expect((await view(hub, ref)).acceptanceDueAt).toBe('2026-03-24T08:00:00.000Z');
    clock.set('2026-03-04T01:00:00Z');
    // 60 working days from Wednesday 4 March (one holiday) end on Thursday 28 May.
    expect((await act(hub, ref, { action: 'accept', actor: 'a' })).body.resolutionDueAt).toBe('2026-05-28T01:00:00.000Z');
    const tooMany = await act(hub, ref, { action: 'extend', days: 11, text: 'Need the payroll records', actor: 'a' });
    expect([tooMany.status, tooMany.body.error.code]).toEqual([400, 'invalid_extension_days']);
    const r = await act(hub, ref, { action: 'extend', days: 10, text: 'Need the payroll records', actor: 'a' });
    expect(r.body.resolutionDueAt).toBe('2026-06-11T01:00:00.000Z');
    const last = (await client.history()).at(-1);
    expect(last?.text).toBe(
      `The time limit for your case ${ref} has been extended by 10 working days: the Human Resources and Social Security Bureau will answer you in writing by 11 June 2026. Reason: Need the payroll records`,
    );
  });

  it('says "1 working day", not "1 working days"', async () => {
    const { client, ref } = await fileLabourCase(hub.url, 'en');
    await act(hub, ref, { action: 'accept', actor: 'a' });
    expect((await act(hub, ref, { action: 'extend', days: 1, text: 'One more inspection', actor: 'a' })).status).toBe(200);
    expect((await client.history()).at(-1)?.text).toContain(`${ref} has been extended by 1 working day: the`);
  });
});
