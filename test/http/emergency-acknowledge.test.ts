import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api, WebchatClient } from '../helpers/webchat-client.js';
import { fileLabourCase } from '../helpers/petitions.js';
import { eventually } from '../helpers/eventually.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => hub?.drop());

const admin = (path: string, init: Parameters<typeof api>[2] = {}) => api<Record<string, any>>(hub.url, path, { ...init, token: ADMIN_TOKEN }); // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON bodies checked field by field
const act = (ref: string, json: Record<string, unknown>) => admin(`/api/cases/${ref}/actions`, { method: 'POST', json: { actor: 'officer:zhao', ...json } });

async function emergency(text: string): Promise<{ client: WebchatClient; ref: string }> {
  const client = await WebchatClient.open(hub.url, 'zh-CN');
  const replies = await client.say(text);
  const ref = await eventually(
    async () => (await client.say('不方便说')).concat(replies).map((m) => /XF-\d{6}-[A-Z2-9]{5}/.exec(m.text)?.[0]).find(Boolean),
    (r) => r !== undefined,
  );
  return { client, ref: ref as string };
}

describe('acknowledging an emergency through the admin API', () => {
  it('records who took it, tells the petitioner, and refuses a second acknowledgement or a case that is no emergency', async () => {
    const { client, ref } = await emergency('我被拖欠工资一年了，实在撑不下去，不想活了');
    const before = (await admin(`/api/cases/${ref}`)).body;
    // No officer side here: nobody can be paged, so nothing escalates.
    expect(before.emergency).toEqual({ acknowledged: null, escalations: 0, escalatesAt: null });

    const r = await act(ref, { action: 'acknowledge' });
    expect(r.status).toBe(200);
    expect(r.body.emergency.acknowledged).toMatchObject({ by: 'officer:zhao' });
    await eventually(() => client.history(), (h) => h.some((m) => m.text.includes('值班工作人员已经接手') && m.text.includes(ref)));

    const again = await act(ref, { action: 'acknowledge', actor: 'officer:qian' });
    expect([again.status, again.body.error.code]).toEqual([409, 'already_acknowledged']);
    expect(again.body.error.message).toContain('officer:zhao');

    const { ref: ordinary } = await fileLabourCase(hub.url);
    const refused = await act(ordinary, { action: 'acknowledge' });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'not_an_emergency']);
    expect((await admin(`/api/cases/${ordinary}`)).body.emergency).toBeNull();
  });

  it('takes claiming an emergency as acknowledging it', async () => {
    const { ref } = await emergency('他们拿着刀在我家门口，说要砍死我');
    const claimed = await act(ref, { action: 'claim', actor: 'officer:sun' });
    expect(claimed.status).toBe(200);
    expect(claimed.body.emergency.acknowledged).toMatchObject({ by: 'officer:sun' });
    expect((await act(ref, { action: 'acknowledge' })).body.error.code).toBe('already_acknowledged');
  });
});
