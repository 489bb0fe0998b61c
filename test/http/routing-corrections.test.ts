import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api } from '../helpers/webchat-client.js';
import { fileByWebchat } from '../helpers/intake.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => hub?.drop());

const admin = (path: string, init: Parameters<typeof api>[2] = {}) => api<Record<string, any>>(hub.url, path, { ...init, token: ADMIN_TOKEN }); // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON bodies checked field by field
const act = (ref: string, json: Record<string, unknown>) => admin(`/api/cases/${ref}/actions`, { method: 'POST', json: { actor: 'officer:zhou', ...json } });

const file = (story: string) =>
  fileByWebchat(hub.url, story, { location: '青川区城南路', time: '今年九月开始', desiredOutcome: '希望尽快解决', priorAttempts: '找过几次没结果', contactName: '周红', contactPhone: '13912345670' });

describe('routing an officer can read and correct', () => {
  it('keeps with the case why it was routed so: the likeliest categories, a second one, the words that weighed most', async () => {
    const { ref } = await file('反映两件事:一是厂里老板拖欠我们半年工资,一分钱没拿到;二是孩子学校乱收费,补课费资料费一大堆。');
    const c = (await admin(`/api/cases/${ref}`)).body;
    expect(c.routing.ranking).toHaveLength(3);
    expect(c.routing.ranking[0].code).toBe(c.category);
    expect(c.routing.ranking[0].score).toBeGreaterThan(c.routing.ranking[1].score);
    // Wages and a school: both are named, whichever comes first.
    expect([c.category, c.routing.secondary?.code].sort()).toEqual(['education_culture', 'labour_social_security']);
    const words = c.routing.evidence.map((e: { term: string }) => e.term).join(' ');
    expect(words).toMatch(/工资|学校|学费|拖欠/);
    expect(c.categoryConfirmed).toBeNull();
  });

  it('takes a corrected category: the case moves to its department, is labelled, and the petitioner hears of the move', async () => {
    const { client, ref } = await file('我们小区门口那条路上的井盖丢了好几天,晚上黑乎乎的很危险,已经有人掉进去崴了脚。');
    const before = (await admin(`/api/cases/${ref}`)).body;
    const to = before.category === 'transport' ? 'urban_construction' : 'transport';
    const socket = await client.connect();
    try {
      const r = await act(ref, { action: 'categorise', category: to });
      expect(r.status).toBe(200);
      expect(r.body.category).toBe(to);
      expect(r.body.department).not.toBe(before.department);
      expect(r.body.needsTriage).toBe(false);
      expect(r.body.categoryConfirmed).toMatchObject({ by: 'officer:zhou' });
      const told = await socket.next();
      expect(told.role).toBe('system');
    } finally {
      socket.close();
    }
    // The same category again moves nothing and tells the petitioner nothing new.
    const again = await act(ref, { action: 'categorise', category: to });
    expect(again.status).toBe(200);
    const history = await client.history();
    expect(history.filter((m) => m.role === 'system')).toHaveLength(1);
  });

  it('confirms a category on acceptance and on a transfer that names one; refuses unknown or missing categories', async () => {
    const { ref } = await file('公司三个月没给我们交社保了,问人事就说在办,现在去医院都用不了医保。');
    expect((await act(ref, { action: 'categorise' })).body).toMatchObject({ error: { code: 'missing_category' } });
    expect((await act(ref, { action: 'categorise', category: 'astrology' })).body).toMatchObject({ error: { code: 'unknown_category' } });
    expect((await act(ref, { action: 'transfer', department: 'health', category: 'nope' })).status).toBe(400);
    expect((await admin(`/api/cases/${ref}`)).body.categoryConfirmed).toBeNull();

    const accepted = await act(ref, { action: 'accept', actor: 'officer:li' });
    expect(accepted.body.categoryConfirmed).toMatchObject({ by: 'officer:li' });

    const { ref: other } = await file('楼下饭店的油烟每天晚上都往我们家窗户里灌,开不了窗。');
    const moved = await act(other, { action: 'transfer', department: 'ecology_environment', category: 'environment' });
    expect(moved.body).toMatchObject({ category: 'environment', department: 'ecology_environment', categoryConfirmed: { by: 'officer:zhou' } });
  });

  it('explains a classification through the API', async () => {
    const r = await admin('/api/nlu/classify', { method: 'POST', json: { text: '老板拖欠农民工工资半年了,我们去劳动监察大队反映过' } });
    expect(r.status).toBe(200);
    expect(r.body.category.code).toBe('labour_social_security');
    expect(r.body.category.alternatives).toHaveLength(2);
    expect(r.body.category.threshold).toBeGreaterThan(0);
    expect(r.body.category.evidence.length).toBeGreaterThan(0);
  });
});
