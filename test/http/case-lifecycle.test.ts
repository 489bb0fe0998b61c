import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api, WebchatClient } from '../helpers/webchat-client.js';
import { completeIntake } from '../helpers/intake.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => hub?.drop());

const admin = (path: string, init: Parameters<typeof api>[2] = {}) => api<Record<string, any>>(hub.url, path, { ...init, token: ADMIN_TOKEN }); // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON bodies checked field by field

async function fileCase(client: WebchatClient): Promise<string> {
  const { trackingNumber } = await completeIntake(
    client,
    '我在宏达电子厂上班,老板已经拖欠我们三个月工资了,一共两万三千元,几十个工人都没拿到钱。',
    { location: '深圳市宝安区福永街道', time: '从今年八月开始', desiredOutcome: '希望尽快把工资结清', priorAttempts: '找过老板好几次,他一直推', contactName: '李建国', contactPhone: '13912345678' },
    client.greeting,
  );
  return trackingNumber;
}

describe('a web chat petition becomes a case officers can work', () => {
  let client: WebchatClient;
  let ref: string;

  beforeAll(async () => {
    client = await WebchatClient.open(hub.url, 'zh-CN');
    ref = await fileCase(client);
  });

  it('is filed with a tracking number, routed, with details, deadlines and the transcript', async () => {
    expect(ref).toMatch(/^XF-\d{6}-[A-Z2-9]{5}$/);
    const r = await admin(`/api/cases/${ref}`);
    expect(r.status).toBe(200);
    const c = r.body;
    expect(c).toMatchObject({ trackingNumber: ref, status: 'submitted', channel: 'webchat', language: 'zh-CN', urgency: 'normal' });
    expect(c.category).toBe('labour_social_security');
    expect(c.department).toBe('human_resources_social_security');
    expect(c.details.contactPhone).toBe('13912345678');
    expect(c.details.contactName).toBe('李建国');
    expect(c.details.issue).toContain('拖欠');
    expect(c.summary).not.toContain('13912345678');
    const days = (Date.parse(c.acceptanceDueAt) - Date.parse(c.createdAt)) / 86400_000;
    expect(days).toBeCloseTo(15, 3);
    expect((Date.parse(c.resolutionDueAt) - Date.parse(c.createdAt)) / 86400_000).toBeCloseTo(60, 3);
    expect(c.transcript.filter((m: { role: string }) => m.role === 'petitioner').length).toBeGreaterThan(3);
    expect(c.transcript.at(-1).caseRef).toBe(ref);
  });

  it('tells the petitioner of each officer action over the socket and in the history', async () => {
    const socket = await client.connect();
    try {
      const accepted = await admin(`/api/cases/${ref}/actions`, { method: 'POST', json: { action: 'accept', actor: 'officer:wang' } });
      expect(accepted.status).toBe(200);
      expect(accepted.body.status).toBe('accepted');
      const pushed = await socket.next();
      expect(pushed.role).toBe('system');
      expect(pushed.text).toContain('受理');

      const reply = await admin(`/api/cases/${ref}/actions`, { method: 'POST', json: { action: 'reply', text: '我们已联系厂方核实', actor: 'officer:wang' } });
      expect(reply.body.status).toBe('accepted');
      const officer = await socket.next();
      expect(officer.role).toBe('officer');
      expect(officer.text).toContain('我们已联系厂方核实');
      expect(officer.text).not.toContain('officer:wang');

      const history = await client.history();
      expect(history.slice(-2).map((m) => m.id)).toEqual([pushed.id, officer.id]);
    } finally {
      socket.close();
    }
  });

  it('lets the petitioner answer a request for information, which resumes the work', async () => {
    const asked = await admin(`/api/cases/${ref}/actions`, { method: 'POST', json: { action: 'request_info', text: '请提供劳动合同照片', actor: 'officer:wang' } });
    expect(asked.body.status).toBe('awaiting_petitioner');
    const replies = await client.say('劳动合同在我这里,明天可以送过去,工资条也有');
    expect(replies[0].text).toContain(ref);
    const after = await admin(`/api/cases/${ref}`);
    expect(after.body.status).toBe('in_progress');
  });

  it('answers a status question from the case', async () => {
    const replies = await client.say('我的案子现在办得怎么样了?');
    expect(replies[0].text).toContain(ref);
    expect(replies[0].text).toContain('办理中');
    const due = new Date((await admin(`/api/cases/${ref}`)).body.resolutionDueAt);
    expect(replies[0].text).toContain(`${due.getFullYear()}年${due.getMonth() + 1}月${due.getDate()}日`);
  });

  it('refuses transitions the status machine does not allow, and missing text or department', async () => {
    const reopen = await admin(`/api/cases/${ref}/actions`, { method: 'POST', json: { action: 'reopen', actor: 'a' } });
    expect(reopen.status).toBe(409);
    expect(reopen.body.error.code).toBe('invalid_transition');
    const noText = await admin(`/api/cases/${ref}/actions`, { method: 'POST', json: { action: 'resolve', actor: 'a' } });
    expect(noText.status).toBe(400);
    expect(noText.body.error.code).toBe('missing_text');
    const noDept = await admin(`/api/cases/${ref}/actions`, { method: 'POST', json: { action: 'transfer', actor: 'a' } });
    expect(noDept.status).toBe(400);
    expect(noDept.body.error.code).toBe('missing_department');
    const badAction = await admin(`/api/cases/${ref}/actions`, { method: 'POST', json: { action: 'delete', actor: 'a' } });
    expect(badAction.status).toBe(400);
    expect((await admin(`/api/cases/${ref}`)).body.status).toBe('in_progress');
  });

  it('transfers and resolves, telling the petitioner each time', async () => {
    const moved = await admin(`/api/cases/${ref}/actions`, { method: 'POST', json: { action: 'transfer', department: 'general_intake', actor: 'a' } });
    expect(moved.body.department).toBe('general_intake');
    const done = await admin(`/api/cases/${ref}/actions`, { method: 'POST', json: { action: 'resolve', text: '厂方已于11月30日结清全部工资', actor: 'a' } });
    expect(done.body.status).toBe('resolved');
    const history = await client.history();
    // The resolution comes with the first question of the follow-up visit.
    expect(history.at(-1)).toMatchObject({ role: 'bot', text: '想跟您做个简短的回访：您反映的问题解决了吗？', expects: { type: 'confirm' } });
    expect(history.at(-2)?.text).toContain('厂方已于11月30日结清全部工资');
    expect(history.at(-3)?.text).toContain('信访接待中心');
    const resolveAgain = await admin(`/api/cases/${ref}/actions`, { method: 'POST', json: { action: 'resolve', text: 'x', actor: 'a' } });
    expect(resolveAgain.status).toBe(409);
  });

  it('never transfers a complaint to the department it is about', async () => {
    const other = await WebchatClient.open(hub.url, 'zh-CN');
    const { trackingNumber: ref2 } = await completeIntake(other, '我去区卫健委反映医院乱收费,卫健委的工作人员推诿不管', { parties: '区卫健委', contactName: '不方便', contactPhone: '不方便' });
    const r = await admin(`/api/cases/${ref2}/actions`, { method: 'POST', json: { action: 'transfer', department: 'health', actor: 'a' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('complaint_about_department');
    expect((await admin(`/api/cases/${ref2}`)).body.department).not.toBe('health');
  });

  it('cannot resolve a rejected case', async () => {
    const other = await WebchatClient.open(hub.url, 'zh-CN');
    const ref2 = await fileCase(other);
    const rejected = await admin(`/api/cases/${ref2}/actions`, { method: 'POST', json: { action: 'reject', text: '不属于本机关职责范围', actor: 'a' } });
    expect(rejected.body.status).toBe('rejected');
    const r = await admin(`/api/cases/${ref2}/actions`, { method: 'POST', json: { action: 'resolve', text: 'x', actor: 'a' } });
    expect(r.status).toBe(409);
  });
});

describe('admin API access', () => {
  it('needs the admin token', async () => {
    const r = await api<{ error: { code: string } }>(hub.url, '/api/cases/XF-000000-AAAAA', { token: 'wrong' });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthorized');
  });

  it('answers 404 for an unknown case', async () => {
    const r = await admin('/api/cases/XF-000000-AAAAA');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('case_not_found');
  });

  it('does not exist when ADMIN_TOKEN is unset', async () => {
    const open = await startTestHub({ env: { ADMIN_TOKEN: '' } });
    try {
      const r = await api<{ error: { code: string } }>(open.url, '/api/cases/XF-000000-AAAAA', { token: '' });
      expect(r.status).toBe(404);
      const nlu = await api(open.url, '/api/nlu/classify', { method: 'POST', json: { text: '你好' } });
      expect(nlu.status).toBe(404);
    } finally {
      await open.drop();
    }
  });
});

describe('POST /api/nlu/classify', () => {
  it('returns language, intent, category and entities', async () => {
    const r = await admin('/api/nlu/classify', { method: 'POST', json: { text: '我家附近的化工厂天天排放臭气,我的电话是13800138000' } });
    expect(r.status).toBe(200);
    expect(r.body.language).toBe('zh-CN');
    expect(r.body.category.code).toBe('environment');
    expect(r.body.category.score).toBeGreaterThan(0);
    expect(typeof r.body.intent.name).toBe('string');
    expect(r.body.entities).toContainEqual({ type: 'phone', value: '13800138000' });
  });

  it('refuses an empty text', async () => {
    const r = await admin('/api/nlu/classify', { method: 'POST', json: { text: '' } });
    expect(r.status).toBe(400);
  });
});
