import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { fileLabourCase } from '../helpers/petitions.js';

describe('which department answers a conversation', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub?.drop());

  const conversationOf = async (ref: string) =>
    (await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: ref }, select: { conversationId: true } })).conversationId;

  it('names the filing department, then the one a transfer gave it to, in the case language, and nothing before filing', async () => {
    const before = new Date(Date.now() - 60_000);
    const { ref } = await fileLabourCase(hub.url, 'en');
    const conversationId = await conversationOf(ref);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const afterFiling = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await hub.cases.act(ref, { action: 'transfer', actor: 'officer:1', department: 'commerce_tourism' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const afterTransfer = new Date();

    expect(await hub.cases.answering.at(conversationId, [before, afterFiling, afterTransfer])).toEqual([
      undefined,
      'Human Resources and Social Security Bureau',
      'Commerce and Tourism Bureau',
    ]);
    expect(await hub.cases.answering.at(conversationId, [])).toEqual([]);
  });

  it('names nothing for a conversation without a case', async () => {
    const { conversationId } = await hub.conversations.start({ channel: 'webchat', channelUserId: 'wc_answering_none', conversationId: 'wc_answering_none', locale: 'zh-CN' });
    expect(await hub.cases.answering.at(conversationId, [new Date()])).toEqual([undefined]);
  });

  it('uses the Chinese name for a Chinese case', async () => {
    const { ref } = await fileLabourCase(hub.url, 'zh-CN');
    expect(await hub.cases.answering.at(await conversationOf(ref), [new Date(Date.now() + 1000)])).toEqual(['人力资源和社会保障局']);
  });
});
