import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { WebchatClient, type ApiResponse } from '../helpers/webchat-client.js';
import { HTML_AS_IMAGE, PNG } from '../helpers/sample-files.js';
import type { MessageView } from '../../src/conversation/messages.js';

type Answer = ApiResponse<{ messages?: MessageView[]; error?: { code: string; message: string } }>;

async function upload(client: WebchatClient, bytes: Buffer, headers: Record<string, string> = {}, token = client.token): Promise<Answer> {
  const res = await fetch(`${client.base}/api/webchat/sessions/${client.sessionId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png', 'x-client-message-id': randomUUID(), ...headers },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

describe('photo upload in the web chat', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: { ATTACHMENT_MAX_BYTES: '2048' } });
  });
  afterAll(async () => hub?.drop());

  const stored = (conversationId: string) => hub.db.attachment.findMany({ where: { conversationId } });

  it('keeps a photo as material and acknowledges it without taking it as an answer', async () => {
    const client = await WebchatClient.open(hub.url, 'zh-CN');
    await client.say('我们小区的下水道堵了，污水都漫到路上了');
    const r = await upload(client, PNG, { 'x-file-name': encodeURIComponent('门口 照片.png') });
    expect(r.status).toBe(200);
    expect(r.body.messages?.map((m) => m.text).join('\n')).toMatch(/收到/);
    const rows = await stored(client.sessionId);
    expect(rows).toHaveLength(1);
    expect(rows[0].contentType).toBe('image/png');
    const history = await client.history();
    expect(history.filter((m) => m.role === 'petitioner').at(-1)?.text).toContain(`attachment:${rows[0].id}`);
  });

  it('tells a petitioner who asks that photos can be sent here, and videos not yet', async () => {
    const client = await WebchatClient.open(hub.url, 'zh-CN');
    await client.say('我们村的自来水管爆了两天了，一直没人来修');
    const answer = (await client.say('我拍了照片和视频，可以发给你们吗？')).map((m) => m.text).join('\n');
    expect(answer).toContain('照片直接发在这里');
    expect(answer).toContain('视频和语音这里暂时发不了');
  });

  it('answers a retried upload the same, storing the photo once', async () => {
    const client = await WebchatClient.open(hub.url, 'zh-CN');
    const id = randomUUID();
    const first = await upload(client, PNG, { 'x-client-message-id': id });
    const again = await upload(client, PNG, { 'x-client-message-id': id });
    expect(again.status).toBe(200);
    expect(again.body.messages?.map((m) => m.id)).toEqual(first.body.messages?.map((m) => m.id));
    expect(await stored(client.sessionId)).toHaveLength(1);
  });

  it('refuses what is not a photo, what only claims to be one, and what is too large, storing nothing', async () => {
    const client = await WebchatClient.open(hub.url, 'zh-CN');
    const html = await upload(client, HTML_AS_IMAGE, { 'content-type': 'image/jpeg', 'x-file-name': 'photo.jpg' });
    expect(html.status).toBe(415);
    expect(html.body.error?.code).toBe('attachment_refused');
    const text = await upload(client, Buffer.from('hello'), { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const big = await upload(client, Buffer.concat([PNG, Buffer.alloc(4096)]));
    expect(big.status).toBe(413);
    expect(await stored(client.sessionId)).toHaveLength(0);
    expect((await client.history()).filter((m) => m.role === 'petitioner')).toHaveLength(0);
  });

  it('asks for the session token and a message id like any message', async () => {
    const client = await WebchatClient.open(hub.url, 'zh-CN');
    expect((await upload(client, PNG, {}, 'wrong-token')).status).toBe(401);
    const missing = await fetch(`${client.base}/api/webchat/sessions/${client.sessionId}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.token}`, 'content-type': 'image/png' },
      body: new Uint8Array(PNG),
    });
    expect(missing.status).toBe(400);
    expect(await stored(client.sessionId)).toHaveLength(0);
  });
});

describe('photo upload with two hub instances on one database', () => {
  let a: TestHub;
  let b: TestHub;
  beforeAll(async () => {
    a = await startTestHub();
    b = await startTestHub({ db: a.testDb });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.drop();
  });

  it('is taken by one instance after the other wrote the conversation (its cached copy is stale)', async () => {
    const onA = await WebchatClient.open(a.url, 'zh-CN');
    const onB = WebchatClient.resume(b.url, onA.sessionId, onA.token);
    await onA.say('我们村的水井被污染了');
    // Instance A keeps the conversation as it left it; B writes it twice after that.
    await onB.say('井水发黄，有怪味');
    expect((await upload(onB, PNG)).status).toBe(200);
    const r = await upload(onA, PNG);
    expect(r.status).toBe(200);
    expect(r.body.messages?.map((m) => m.text).join('\n')).toMatch(/收到/);
    expect(await a.db.attachment.count({ where: { conversationId: onA.sessionId } })).toBe(2);
  });
});
