/**
 * Properties that must hold whatever a petitioner sends (fast-check), with the real classifiers and
 * the real dialogue engine: every conversation comes to an end — a filed case, an emergency
 * hand-off, a confirmed cancel, a person taking over, or the petitioner leaving with what they told
 * kept — within a bounded number of turns; no question for a detail is asked more than twice in one
 * intake; no detail of a filed case is a greeting or filler; an unrecognised reply is never answered
 * with the greeting.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Locale, Slot } from '../../src/domain.js';
import { t } from '../../src/i18n.js';
import { conversation, sharedNlu } from '../helpers/transcript.js';

/** Turns after which a conversation that has not come to an end counts as a loop. */
const BOUND = 50;

const STORIES: Record<Locale, string[]> = {
  'zh-CN': [
    '我们小区门口的垃圾站半个月没人清运了，臭气熏天，苍蝇到处飞',
    '在外面跟装修队干了半年活 工头一分钱没结给我 我真的不知道该怎么办了',
    '俺被骗了',
    '楼上那家装修每天早上七点不到就开始电钻，吵得我快疯了',
    '领导您好！我是望江区滨湖大道金穗大酒店后厨的帮工，酒店从去年11月开始就没发过工资。希望政府督促酒店尽快把拖欠的工资结清。',
  ],
  en: [
    'The street lights on Elm Road have been out for two weeks and my mother fell last night',
    'My landlord kept my 6,000 yuan deposit and will not answer my calls',
    'there is a huge pothole',
    'The factory next to our school dumps waste water into the river at night',
  ],
};

/** Replies a real petitioner gives: answers, declines, yes and no, a correction, more story. */
const ANSWERS: Record<Locale, string[]> = {
  'zh-CN': ['在东湖区建设路88号', '上个月开始的', '物业公司', '希望尽快处理', '找过物业，没用', '张先生', '陈', '13812345678', '不方便', '不清楚', '对', '不对', '还有，他们还骂人', '不对，电话是13900001111', '就这些'],
  en: ['at 12 Baker Road', 'since last March', 'the property company', 'I want it fixed', 'I called the hotline twice', 'Grace', 'Mr Zhang', '13812345678', "I'd rather not say", "I don't know", 'yes', 'no', 'actually it was last April', "that's all"],
};

/** Replies nobody could file: empty, emoji, numbers, other languages, questions, insults, filler, buttons. */
const ADVERSARIAL = [
  '', ' ', '😀', '😡😡😡', '🙏', '???', '!!!', '...', '0', '123', '99999999999', 'asdfgh', 'qwertyuiop',
  'Привет, как дела?', 'こんにちは、元気ですか', 'مرحبا كيف حالك', 'Hola, necesito ayuda',
  '你们到底管不管？', '这个要多久？', '能发照片吗', '你是机器人吗', '转人工', '你们都是废物', 'what is the point', 'fuck you',
  '你好', '在吗', 'hello?', 'anyone there', '嗯', '哦', 'ok', '谢谢', '再见', 'bye', '算了，不说了', 'cancel', 'continue',
  'human', 'yes', 'no', 'location', 'contactPhone', '1', '5', '<script>alert(1)</script>', '*bold* <!channel>',
];

const reply = (locale: Locale) => fc.oneof({ arbitrary: fc.constantFrom(...ANSWERS[locale]), weight: 3 }, { arbitrary: fc.constantFrom(...ADVERSARIAL), weight: 4 }, { arbitrary: fc.string({ maxLength: 20 }), weight: 1 }, { arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }), weight: 1 });

/** A petitioner: a locale, a first message (a story, or noise), then replies, some repeated verbatim. */
const petitioner = fc.constantFrom<Locale>('zh-CN', 'en').chain((locale) =>
  fc.record({
    locale: fc.constant(locale),
    first: fc.oneof(fc.constantFrom(...STORIES[locale]), reply(locale)),
    replies: fc.array(fc.oneof({ arbitrary: reply(locale), weight: 5 }, { arbitrary: fc.constant('<same>'), weight: 1 }), { minLength: BOUND, maxLength: BOUND }),
  }),
);

// Greetings and filler that must never be a detail of a filed case.
const FILLER = new Set(['你好', '在吗', 'hello?', 'anyone there', '嗯', '哦', 'ok', '谢谢', '对', 'yes', 'no', 'continue', 'human', 'cancel', '再见', 'bye', '就这些', "that's all"]);

type Outcome = 'filed' | 'emergency' | 'cancelled' | 'person' | 'left';

describe('no conversation loops, whatever the petitioner sends', () => {
  it('ends within a bounded number of turns, asks no detail more than twice, files no filler, never greets an unrecognised reply', async () => {
    await sharedNlu();
    await fc.assert(
      fc.asyncProperty(petitioner, async ({ locale, first, replies }) => {
        const c = await conversation(locale);
        const greeting = t(locale, 'greeting', { office: locale === 'en' ? 'Citizen Petition Service Centre' : '市民信访服务中心' });
        const asks = new Map<Slot, number>();
        let outcome: Outcome | null = null;
        let previous = first;
        for (let turn = 0; turn <= BOUND && !outcome; turn++) {
          const text = turn === 0 ? first : replies[turn - 1] === '<same>' ? previous : (replies[turn - 1] as string);
          previous = text;
          const wasCancelling = c.state.pending?.kind === 'cancel';
          const wasReadingBack = c.state.phase === 'confirm' || c.state.phase === 'choose_correction';
          const hadStory = Boolean(c.state.details.issue);
          const r = await c.say(text);
          expect(r.text, 'the greeting is only ever said when the conversation opens').not.toContain(greeting);
          if (r.state.phase === 'intake' && !hadStory && r.state.asking === 'issue') asks.clear();
          for (const reply of r.replies) {
            const slot = reply.expects?.type === 'text' ? reply.expects.slot : undefined;
            if (!slot || slot === 'issue') continue;
            // The detail the petitioner chose to correct at the summary is asked afresh.
            if (wasReadingBack && r.state.returnToConfirm) asks.delete(slot);
            asks.set(slot, (asks.get(slot) ?? 0) + 1);
            expect(asks.get(slot), `"${slot}" asked a third time (after "${text}")`).toBeLessThanOrEqual(2);
          }
          if (r.state.phase === 'filed') outcome = 'filed';
          else if (r.state.phase === 'emergency') outcome = 'emergency';
          else if (wasCancelling && !r.state.details.issue && hadStory) outcome = 'cancelled';
          else if (r.state.humanRequested && !r.state.details.issue) outcome = 'person';
          else if (r.text === t(locale, 'cancel.left')) outcome = 'left';
        }
        expect(outcome, `no end after ${BOUND} turns: ${JSON.stringify({ locale, first, replies: replies.slice(0, 12) })}`).not.toBeNull();
        const filed = c.filed();
        if (filed) {
          for (const [slot, value] of Object.entries(filed.details)) {
            expect(FILLER.has(String(value).trim()), `${slot} is "${value}"`).toBe(false);
          }
        }
      }),
      { numRuns: 150, seed: Number(process.env.FC_SEED ?? 20261206) },
    );
  }, 120_000);
});
