import type { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { FileBox } from 'file-box';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { eventually } from '../helpers/eventually.js';
import { FakeWechat } from '../helpers/fake-wechat.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { postEvent } from '../helpers/slack-requests.js';
import { AMR, HTML_AS_IMAGE, PNG } from '../helpers/sample-files.js';
import { parseWechatXml } from '../../channels/wechat-official/xml.js';
import { wechatSignature } from '../../channels/wechat-official/crypto.js';

/** Every channel's photos and files reach the case as stored attachments, checked by their bytes. */

const attachmentsOf = (hub: TestHub, channel: string) => hub.db.attachment.findMany({ where: { channel }, orderBy: { createdAt: 'asc' } });

describe('WeChat Official Account media', () => {
  const TOKEN = 'oa-media-token';
  let hub: TestHub;
  let wechat: FakeWechat;
  let msgId = 8100000000000000000n;
  beforeAll(async () => {
    wechat = await FakeWechat.start();
    hub = await startTestHub({ env: { WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_APP_ID: 'wxoffice', WECHAT_OA_APP_SECRET: 'oa-secret', WECHAT_API_URL: wechat.url } });
  });
  afterAll(async () => {
    await hub?.drop();
    await wechat?.close();
  });

  async function send(from: string, type: string, fields: string): Promise<string> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(Math.floor(Math.random() * 1e9));
    const url = `${hub.url}/wechat/official?${new URLSearchParams({ timestamp, nonce, signature: wechatSignature(TOKEN, timestamp, nonce) })}`;
    const xml = `<xml><ToUserName><![CDATA[gh_office]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[${type}]]></MsgType>${fields}<MsgId>${++msgId}</MsgId></xml>`;
    const res = await fetch(url, { method: 'POST', body: xml });
    expect(res.status).toBe(200);
    const raw = await res.text();
    return raw === 'success' ? raw : (parseWechatXml(raw).Content ?? '');
  }

  it('downloads a photo and a voice message through the media API before their ids expire, with the transcript', async () => {
    wechat.media.set('photo-1', { type: 'image/png', bytes: PNG });
    wechat.media.set('voice-1', { type: 'audio/amr', bytes: AMR });
    await send('oUser_media', 'text', '<Content><![CDATA[我家门口的路面塌了一个大坑]]></Content>');
    expect(await send('oUser_media', 'image', '<PicUrl><![CDATA[http://mmbiz.qpic.cn/x.jpg]]></PicUrl><MediaId><![CDATA[photo-1]]></MediaId>')).toMatch(/收到/);
    expect(await send('oUser_media', 'voice', '<MediaId><![CDATA[voice-1]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[坑有一米深]]></Recognition>')).toMatch(/收到/);
    const kept = await attachmentsOf(hub, 'wechat-oa');
    expect(kept.map((a) => a.contentType)).toEqual(['image/png', expect.stringMatching(/^audio\//)]);
    const lines = await hub.db.message.findMany({ where: { role: 'petitioner', text: { contains: 'attachment:' } }, orderBy: { seq: 'asc' } });
    expect(lines.map((m) => m.text)).toEqual([`[图片 image] attachment:${kept[0].id}`, `[语音 voice] attachment:${kept[1].id} 坑有一米深`]);
  });

  it('refuses media whose bytes are not what WeChat says, and stores nothing', async () => {
    wechat.media.set('photo-fake', { type: 'image/jpeg', bytes: HTML_AS_IMAGE });
    const before = (await attachmentsOf(hub, 'wechat-oa')).length;
    expect(await send('oUser_media2', 'image', '<MediaId><![CDATA[photo-fake]]></MediaId>')).toMatch(/这个文件我们收不了/);
    expect(await attachmentsOf(hub, 'wechat-oa')).toHaveLength(before);
  });

  it('notes media that can no longer be fetched, so an officer knows something was sent', async () => {
    expect(await send('oUser_media3', 'image', '<MediaId><![CDATA[expired-id]]></MediaId>')).toMatch(/收到/);
    const noted = await hub.db.message.findFirst({ where: { role: 'petitioner', text: { contains: 'media:expired-id' } } });
    expect(noted?.text).toMatch(/could not be fetched/);
  });
});

describe('Slack files shared in a direct message', () => {
  const SECRET = 'slack-files-secret';
  let hub: TestHub;
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    hub = await startTestHub({ env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url, SLACK_INTAKE_CHANNEL: 'C0INTAKE' } });
  });
  afterAll(async () => {
    await hub?.drop();
    await slack?.close();
  });

  it('fetches a shared photo with the bot token and keeps it, with the words that came with it as a turn', async () => {
    const url = slack.addFile('F0PHOTO', 'image/png', PNG);
    const event = {
      type: 'message', subtype: 'file_share', channel: 'DU0FILES', channel_type: 'im', user: 'U0FILES', ts: '1700000500.000100',
      text: '食堂的饭菜里有虫子，照片在这里',
      files: [{ id: 'F0PHOTO', name: 'IMG_0001.png', mimetype: 'image/png', size: PNG.length, url_private_download: url }],
    };
    expect((await postEvent(hub.url, SECRET, 'EvFILE1', event)).status).toBe(200);
    const kept = await eventually(() => attachmentsOf(hub, 'slack'), (rows) => rows.length === 1);
    expect(kept[0].contentType).toBe('image/png');
    expect(slack.fileDownloads).toEqual(['Bearer xoxb-test']);
    const said = await eventually(
      () => hub.db.message.findMany({ where: { role: 'petitioner', conversation: { channel: 'slack' } }, orderBy: { seq: 'asc' } }),
      (rows) => rows.length === 2,
    );
    expect(said.map((m) => m.text)).toEqual([`[图片 image] attachment:${kept[0].id}`, '食堂的饭菜里有虫子，照片在这里']);
    // Slack's retry of the same event changes nothing.
    expect((await postEvent(hub.url, SECRET, 'EvFILE1', event)).status).toBe(200);
    expect(await attachmentsOf(hub, 'slack')).toHaveLength(1);
  });
});

describe('files sent to the WeChat bot (Wechaty)', () => {
  let hub: TestHub;
  let mocker: mock.Mocker;
  let botUser: mock.ContactMock;
  beforeAll(async () => {
    mocker = new mock.Mocker();
    hub = await startTestHub({ wechatyPuppet: new PuppetMock({ mocker }) });
    botUser = mocker.createContact({ name: '信访服务' });
    mocker.login(botUser);
    await eventually(() => hub.wechaty?.status.loggedIn, Boolean);
  });
  afterAll(async () => hub?.drop());

  it('keeps a photo a contact sends, and tells them it was received', async () => {
    const citizen = mocker.createContact({ name: '陈师傅' });
    const heard: string[] = [];
    (citizen as unknown as EventEmitter).on('message', (m: { payload?: { text?: string; talkerId?: string } }) => {
      if (m.payload?.talkerId === botUser.id) heard.push(m.payload.text ?? '');
    });
    citizen.say('我们村口的桥栏杆断了').to(botUser);
    await eventually(() => heard.length, (n) => n > 0);
    citizen.say(FileBox.fromBase64(PNG.toString('base64'), 'bridge.png')).to(botUser);
    const kept = await eventually(() => attachmentsOf(hub, 'wechat'), (rows) => rows.length === 1);
    expect(kept[0].contentType).toBe('image/png');
    await eventually(() => heard.join('\n'), (all) => /收到/.test(all));
  });
});
