import type { Slot } from '../../src/domain.js';
import type { MessageView } from '../../src/conversation/messages.js';
import { lastExpects, WebchatClient } from './webchat-client.js';

/**
 * Answers whatever the bot asks, from `answers`, until a case is filed; says yes to the summary. When
 * the bot invites them to go on without asking anything in particular, tells the next answer.
 * Returns the tracking number and every bot message seen.
 */
export async function completeIntake(
  client: Pick<WebchatClient, 'say'>,
  first: string,
  answers: Partial<Record<Slot, string>>,
  start: MessageView[] = [],
): Promise<{ trackingNumber: string; seen: MessageView[]; asked: Slot[] }> {
  const seen: MessageView[] = [...start];
  const asked: Slot[] = [];
  const told = new Set<Slot>();
  let replies = await client.say(first);
  for (let turn = 0; turn < 20; turn++) {
    seen.push(...replies);
    const filed = replies.find((m) => m.caseRef);
    if (filed) return { trackingNumber: filed.caseRef as string, seen, asked };
    const expects = lastExpects(replies);
    if (!expects) {
      // "您接着说": an invitation to go on, asking for nothing in particular. Tell the next answer not told yet.
      if (!replies.length) throw new Error('the bot said nothing');
      const next = (Object.keys(answers) as Slot[]).find((slot) => !told.has(slot));
      if (next) told.add(next);
      replies = await client.say(next ? (answers[next] as string) : '就这些');
      continue;
    }
    if (expects.type === 'confirm') {
      replies = await client.say('yes');
      continue;
    }
    const slot = expects.slot as Slot;
    asked.push(slot);
    told.add(slot);
    replies = await client.say(answers[slot] ?? '不方便说');
  }
  throw new Error('no case filed after 20 turns');
}

/** A new zh-CN web chat petitioner at `url` who tells `story` and answers the rest from `answers` until filed. */
export async function fileByWebchat(url: string, story: string, answers: Partial<Record<Slot, string>>): Promise<{ client: WebchatClient; ref: string }> {
  const client = await WebchatClient.open(url, 'zh-CN');
  const { trackingNumber } = await completeIntake(client, story, answers, client.greeting);
  return { client, ref: trackingNumber };
}
