import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api } from '../helpers/webchat-client.js';
import { completeIntake } from '../helpers/intake.js';
import { eventually } from '../helpers/eventually.js';
import { KioskChannel } from '../helpers/kiosk-channel.js';
import { Unreachable } from '../../src/channels/contract.js';

// The smallest PNG there is (1×1, transparent): real image bytes, as a camera's would be.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const photo = (bytes: Buffer, declaredType = 'image/png') => ({ kind: 'image' as const, declaredType, download: () => Promise.resolve(bytes) });

describe('a channel written against the contract alone', () => {
  let hub: TestHub;
  let kiosk: KioskChannel;
  beforeAll(async () => {
    hub = await startTestHub();
    kiosk = new KioskChannel();
    await hub.channels.connect(kiosk);
  });
  afterAll(async () => hub?.drop());

  it('imports nothing of the hub but the contract', () => {
    const source = readFileSync(new URL('../helpers/kiosk-channel.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports).toEqual(['../../src/channels/contract.js']);
  });

  it('runs a whole intake to a filed case, and later brings the officer’s reply', async () => {
    const person = kiosk.person('visitor-1');
    const { trackingNumber } = await completeIntake(person, '你好，我家楼下的路灯坏了快一个月了，晚上走路很危险，老人摔倒过两次。', {
      location: '杭州市西湖区文三路88号',
      time: '上个月中旬开始',
      contactName: '赵丽',
      contactPhone: '13800001111',
    });
    // The greeting came first, pushed unasked, before any answer.
    expect(person.screen()[0].text).toMatch(/您好/);
    const c = await api<{ channel: string; details: { contactName?: string } }>(hub.url, `/api/cases/${trackingNumber}`, { token: ADMIN_TOKEN });
    expect(c.body.channel).toBe('kiosk');
    expect(c.body.details.contactName).toBe('赵丽');

    const action = await api(hub.url, `/api/cases/${trackingNumber}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'reply', text: '路灯维修队本周四上门', actor: 'officer:1' } });
    expect(action.status).toBe(200);
    await eventually(() => person.screen().map((m) => m.text).join('\n'), (all) => all.includes('路灯维修队本周四上门'));
  });

  it('answers "can I send photos?" by what the channel carries', async () => {
    const textOnly = new KioskChannel('kiosk-text', 'none');
    await hub.channels.connect(textOnly);
    const ask = '我有现场照片，可以发照片吗？';
    const said = async (channel: KioskChannel, who: string) => {
      const person = channel.person(who);
      await person.say('小区门口的下水道堵了一个星期，污水流到路上');
      return (await person.say(ask)).map((m) => m.text).join('\n');
    };
    expect(await said(kiosk, 'visitor-photos-1')).toContain('照片、视频直接发在这里');
    expect(await said(textOnly, 'visitor-photos-2')).toContain('这里暂时还不能发照片');
  });

  it('answers the same message id once, however often it arrives', async () => {
    const message = { senderId: 'visitor-2', messageId: 'same-id', text: '小区门口的垃圾三天没人收了' };
    const first = await kiosk.connected.receive(message, 'push');
    const again = await kiosk.connected.receive(message, 'push');
    expect(first.replies.length).toBeGreaterThan(0);
    expect(again.replies.map((m) => m.id)).toEqual(first.replies.map((m) => m.id));
    const history = await kiosk.connected.history(first.conversationId);
    expect(history.filter((m) => m.role === 'petitioner')).toHaveLength(1);
  });

  it('keeps a photo as material, and refuses a file that only claims to be one, with an apology', async () => {
    const person = kiosk.person('visitor-3');
    await person.say('我家门口的下水道堵了，污水漫到路上');
    const kept = await person.attach(photo(PNG));
    expect(kept.map((m) => m.text).join('\n')).toMatch(/收到/);
    const before = person.screen().length;
    const html = Buffer.from('<html><body><script>alert(1)</script></body></html>');
    const refused = await kiosk.connected.receive({ senderId: 'visitor-3', messageId: 'fake-photo', attachments: [photo(html, 'image/jpeg')] }, 'push');
    expect(refused.replies).toEqual([]);
    await eventually(() => person.screen().slice(before), (shown) => shown.some((m) => /这个文件我们收不了/.test(m.text)));
    const stored = await hub.db.attachment.findMany({ where: { conversationId: refused.conversationId } });
    expect(stored).toHaveLength(1);
    expect(stored[0].contentType).toMatch(/^image\//);
  });

  it('refuses a conversation id that is not the sender’s', async () => {
    const mine = await kiosk.connected.receive({ senderId: 'visitor-4', messageId: 'm1', text: '你好' }, 'push');
    await expect(kiosk.connected.receive({ senderId: 'visitor-5', messageId: 'm2', conversationId: mine.conversationId, text: '冒充' }, 'push')).rejects.toMatchObject({ code: 'session_not_found' });
    expect(await kiosk.connected.owns(mine.conversationId, 'visitor-5')).toBe(false);
    expect(await kiosk.connected.owns(mine.conversationId, 'visitor-4')).toBe(true);
  });

  it('keeps what cannot be delivered until the petitioner writes again', async () => {
    const person = kiosk.person('visitor-6');
    await person.say('你好');
    const shown = person.screen().length;
    kiosk.failing = (to) => (to.senderId === 'visitor-6' ? new Unreachable('out of reach') : null);
    const received = await kiosk.connected.receive({ senderId: 'visitor-6', messageId: 'while-away', text: '我们村的桥裂了' }, 'push');
    await eventually(() => hub.db.outboxJob.count({ where: { kind: 'push:kiosk', subject: received.conversationId } }), (n) => n === 0);
    expect(person.screen().length).toBe(shown);
    kiosk.failing = null;
    await kiosk.connected.pushPending('visitor-6');
    await eventually(() => person.screen().length, (n) => n > shown);
    const waiting = await hub.db.message.count({ where: { conversationId: received.conversationId, role: { not: 'petitioner' }, deliveredAt: null } });
    expect(waiting).toBe(0);
  });
});
