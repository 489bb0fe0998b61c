import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAttachmentKeeper } from '../../src/attachments/attachment-keeper.js';
import { sqlOf } from '../../src/db/client.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { FakeSlack, type SlackCall } from '../helpers/fake-slack.js';
import { fileLabourCase } from '../helpers/petitions.js';
import { blocksOf, drained, slackHubEnv } from '../helpers/slack-setup.js';
import { png, samples } from '../helpers/media.js';

const HR = 'C0HR';
const PUBLIC = 'https://petitions.example.gov';

describe('material in the case’s Slack card and thread', () => {
  let slack: FakeSlack;
  let hub: TestHub;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    slack.setMembers(HR, ['U0WANG', 'UBOT']);
    hub = await startTestHub({ env: slackHubEnv(slack.url, HR, 'C0SUPER') });
  });
  afterAll(async () => {
    await hub?.drop();
    await slack?.close();
  });

  it('lists material linked to a filed case on its card, as links to the console, and links what the petitioner adds in the thread', async () => {
    const { ref } = await fileLabourCase(hub.url);
    await slack.waitFor('chat.postMessage', (c) => c.args.channel === HR && blocksOf(c).includes(ref));
    await drained(hub);
    const c = await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: ref }, include: { slackCard: true } });
    expect(c.slackCard?.ts).toMatch(/^\d+\.\d+$/);
    const carrier = await hub.db.message.findFirstOrThrow({ where: { caseId: c.id, role: 'petitioner' }, orderBy: { seq: 'asc' } });
    const keeper = createAttachmentKeeper({ config: hub.config, db: hub.db, logger: pino({ level: 'silent' }), now: () => new Date() });
    const photo = await keeper.keep({ conversationId: c.conversationId, channel: 'webchat', kind: 'image', bytes: await png(), name: '李建国的工资条.png' });
    const voice = await keeper.keep({ conversationId: c.conversationId, channel: 'webchat', kind: 'voice', bytes: samples.amr() });
    const updates = slack.called('chat.update').length;
    await keeper.link([photo.id, voice.id], carrier.id);

    // Linking asks for the card again: it now lists the material, each a link to the console route.
    const card = await slack.waitFor('chat.update', (u) => slack.called('chat.update').indexOf(u) >= updates && blocksOf(u).includes('Material'));
    const url = (id: string) => `${PUBLIC}/console/cases/${ref}/attachments/${id}`;
    expect(blocksOf(card)).toContain(`:paperclip: *Material:* <${url(photo.id)}|photo 1> (${Math.max(1, Math.round(photo.size / 1024))} KB) · <${url(voice.id)}|voice message 2> (1 KB)`);
    await drained(hub);

    // What the petitioner sends after filing reaches the thread with the channel's mark as a link.
    const later = await keeper.keep({ conversationId: c.conversationId, channel: 'webchat', kind: 'image', bytes: await png(32, 32) });
    const before = slack.called('chat.postMessage').length;
    await sqlOf(hub.db).transaction(() => hub.cases.writes.addInfo(ref, `[图片 image] attachment:${later.id}`, new Date()));
    hub.outbox.kick();
    const line = await slack.waitFor('chat.postMessage', (m) => slack.called('chat.postMessage').indexOf(m) >= before && m.args.thread_ts === c.slackCard?.ts);
    expect(line.args.text).toBe(`*Petitioner:* [图片 image] <${url(later.id)}|open in the console>`);
    // Never the file, never its name.
    const everything = slack.calls.map((call: SlackCall) => JSON.stringify(call.args)).join('\n');
    expect(everything).not.toContain('李建国的工资条');
    expect(slack.called('files.upload')).toEqual([]);
    expect(slack.called('files.uploadV2')).toEqual([]);
  });
});
