import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { api, WebchatClient } from '../helpers/webchat-client.js';
import { completeIntake } from '../helpers/intake.js';
import { eventually } from '../helpers/eventually.js';
import { MAX_ATTEMPTS } from '../../src/outbox/outbox.js';
import { ConsoleClient, createAccount } from '../helpers/console-client.js';

const SECRET = 'slack-test-signing-secret';

async function file(hub: TestHub, story: string): Promise<string> {
  const client = await WebchatClient.open(hub.url, 'zh-CN');
  return (await completeIntake(client, story, { location: '北京市朝阳区', time: '上周', contactName: '不方便', contactPhone: '不方便' })).trackingNumber;
}

const about = (ref: string) => (c: { args: Record<string, unknown> }) => JSON.stringify(c.args.blocks ?? '').includes(ref);

interface Letter {
  id: string;
  kind: string;
  subject: string;
  attempts: number;
  reason: string | null;
}

describe('deliveries that can never succeed become dead letters', () => {
  let slack: FakeSlack;
  let hub: TestHub;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    hub = await startTestHub({ env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url, SLACK_INTAKE_CHANNEL: 'C0INTAKE' } });
  });
  afterAll(async () => {
    await hub?.drop();
    await slack?.close();
  });

  const letters = async () => (await api<{ deadLetters: Letter[] }>(hub.url, '/api/outbox/dead-letters', { token: ADMIN_TOKEN })).body.deadLetters;
  const cardPosts = (ref: string) => slack.called('chat.postMessage').filter(about(ref));

  it('a permanent Slack refusal is a dead letter after the first attempt, and is not tried again', async () => {
    slack.refuse('chat.postMessage', 1, 'channel_not_found');
    const ref = await file(hub, '小区门口的健身器材坏了好几个月了');
    const [letter] = await eventually(letters, (l) => l.length === 1);
    expect(letter).toMatchObject({ kind: 'slack.card', attempts: 1, reason: 'Slack refused: channel_not_found' });
    // The outbox runs again (any due job would go now): the dead letter stays where it is.
    await hub.outbox.runDue();
    await hub.outbox.runDue();
    expect(cardPosts(ref)).toHaveLength(1);

    // Retried from the admin API once the channel exists: delivered, once.
    const retried = await api<{ retried: number }>(hub.url, `/api/outbox/dead-letters/${letter.id}/retry`, { method: 'POST', token: ADMIN_TOKEN });
    expect(retried.body.retried).toBe(1);
    // The card job is removed only once Slack took the card.
    await eventually(() => hub.db.outboxJob.count({ where: { kind: 'slack.card' } }), (n) => n === 0);
    expect(cardPosts(ref)).toHaveLength(2);
    expect(await letters()).toEqual([]);
  });

  it('a transient failure is retried, not given up', async () => {
    slack.fail('chat.postMessage', 1, 500);
    const ref = await file(hub, '我们楼道的灯一直不亮，晚上很危险');
    await eventually(() => cardPosts(ref).length, (n) => n === 2);
    await eventually(() => hub.db.outboxJob.count({ where: { kind: 'slack.card' } }), (n) => n === 0);
    expect(await letters()).toEqual([]);
  });

  it('gives up after the last allowed attempt of a failure that keeps coming back', async () => {
    slack.fail('chat.postMessage', 1, 500);
    const ref = await file(hub, '路边的排水沟堵了，下雨就淹');
    await eventually(() => cardPosts(ref).length, (n) => n === 1);
    const job = await eventually(() => hub.db.outboxJob.findFirst({ where: { kind: 'slack.card', attempts: 1 } }), Boolean);
    // As if it had failed every time but one: the next failure is the last allowed.
    await hub.db.outboxJob.update({ where: { id: job?.id }, data: { attempts: MAX_ATTEMPTS - 1, nextAttemptAt: new Date(0) } });
    slack.fail('chat.postMessage', 1, 500);
    await hub.outbox.runDue();
    const [letter] = await eventually(letters, (l) => l.length === 1);
    expect(letter).toMatchObject({ attempts: MAX_ATTEMPTS, reason: 'Slack answered HTTP 500' });

    // Dropped: gone from the list and from the outbox; nothing is sent.
    expect((await api(hub.url, `/api/outbox/dead-letters/${letter.id}`, { method: 'DELETE', token: ADMIN_TOKEN })).status).toBe(204);
    expect(await letters()).toEqual([]);
    expect(await hub.db.outboxJob.count({ where: { id: letter.id } })).toBe(0);
    expect((await api(hub.url, `/api/outbox/dead-letters/${letter.id}`, { method: 'DELETE', token: ADMIN_TOKEN })).status).toBe(404);
  });

  it('is for the admin token only', async () => {
    expect((await api(hub.url, '/api/outbox/dead-letters')).status).toBe(401);
  });

  it('are listed for console admins, who retry or drop them there', async () => {
    await createAccount(hub, { username: 'root', displayName: '管理员', role: 'admin', departments: [] });
    await createAccount(hub, { username: 'zhou', displayName: '周', role: 'supervisor', departments: [] });
    slack.refuse('chat.postMessage', 2, 'not_in_channel');
    const refs = [await file(hub, '公园的路灯坏了一排'), await file(hub, '菜市场门口的下水道反味')];
    await eventually(letters, (l) => l.length === 2);
    const root = await ConsoleClient.signIn(hub.url, 'root');
    const page = await root.get('/console/admin/deliveries');
    expect(page.status).toBe(200);
    expect(page.text.match(/Slack refused: not_in_channel/g)).toHaveLength(2);
    const [first, second] = await letters();
    const dropped = await root.post(`/console/admin/deliveries/${second.id}/drop`, {});
    expect(dropped.status).toBe(200);
    expect(await letters()).toEqual([expect.objectContaining({ id: first.id })]);
    const retried = await root.post('/console/admin/deliveries/retry', {});
    expect(retried.text).toMatch(/1/);
    await eventually(() => hub.db.outboxJob.count({ where: { kind: 'slack.card' } }), (n) => n === 0);
    expect(await letters()).toEqual([]);
    // Two refused attempts, then the retried card once; the dropped one never again.
    expect(refs.map((ref) => cardPosts(ref).length).sort()).toEqual([1, 2]);
    // Not for a supervisor, and not without the page's token.
    const zhou = await ConsoleClient.signIn(hub.url, 'zhou');
    expect((await zhou.get('/console/admin/deliveries')).status).toBe(403);
    expect((await root.post('/console/admin/deliveries/retry', {}, { csrf: 'wrong' })).status).toBe(403);
  });
});
