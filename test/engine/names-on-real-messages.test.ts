// Real citizens' messages (the held-out long evaluation sets: message-board letters, phone messages,
// fragments), each taken to a filed case, the name question answered in one of the forms people give
// a name in. Every one must be filed, with the name stored as given; none may end on the name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/domain.js';
import { conversation } from '../helpers/transcript.js';

interface LongMessage {
  text: string;
  urgency: string;
}
const messages = (file: string): LongMessage[] => (JSON.parse(readFileSync(new URL(`../../intents/categories/eval/${file}`, import.meta.url), 'utf8')) as { messages: LongMessage[] }).messages;

/** [what the petitioner answers to "请问怎么称呼您?", the name that must be stored]. */
const ZH_NAMES: [string, string][] = [
  ['张先生', '张先生'],
  ['李女士', '李女士'],
  ['老王', '老王'],
  ['小陈', '小陈'],
  ['王师傅', '王师傅'],
  ['陈', '陈'],
  ['陈阿姨', '陈阿姨'],
  ['叫我小李就行', '小李'],
  ['免贵姓刘', '刘'],
  ['我姓欧阳', '欧阳'],
  ['刘大爷', '刘大爷'],
  ['王老师', '王老师'],
  ['陳生', '陳生'],
  ['张伟', '张伟'],
  ['我叫赵晓梅。', '赵晓梅'],
];
const EN_NAMES: [string, string][] = [
  ['Mr Zhang', 'Mr Zhang'],
  ['Grace', 'Grace'],
  ['Ms. Li', 'Ms. Li'],
  ['call me Tom', 'Tom'],
  ['my name is Grace Chen', 'Grace Chen'],
  ['Zhang Wei', 'Zhang Wei'],
  ["It's Sam.", 'Sam'],
  ['Mrs Okafor', 'Mrs Okafor'],
];

const ANSWERS: Record<Locale, Record<string, string>> = {
  'zh-CN': { location: '在东湖区建设路', time: '上个月开始的', parties: '物业公司', attempts: '打过几次电话', desiredOutcome: '希望尽快解决', contactPhone: '13800138000', listen: '就这些', confirm: '对' },
  en: { location: 'on Station Road in Riverside', time: 'since last month', parties: 'the landlord', attempts: 'I called them twice', desiredOutcome: 'I want it fixed', contactPhone: '13800138000', listen: "that's all", confirm: 'yes' },
};

async function fileWithName(locale: Locale, text: string, name: string): Promise<{ filed: boolean; askedName: boolean; stored: string | undefined; turns: string[] }> {
  const c = await conversation(locale);
  const turns: string[] = [];
  let t = await c.say(text);
  let askedName = false;
  for (let i = 0; i < 16 && !c.filed(); i++) {
    turns.push(`${t.asks ?? '-'}: ${t.text}`);
    const asks = t.asks ?? 'listen';
    if (asks === 'contactName') askedName = true;
    const choice = t.replies.flatMap((r) => (r.expects?.type === 'choice' ? r.expects.options : []))[0]?.value;
    const reply = asks === 'contactName' ? name : asks === 'choice' && choice ? choice : (ANSWERS[locale][asks] ?? ANSWERS[locale].listen);
    t = await c.say(reply);
  }
  const filed = c.filed();
  return { filed: Boolean(filed), askedName, stored: filed?.details.contactName, turns };
}

describe("real citizens' messages: every one filed, whatever form the name takes", () => {
  for (const [locale, file, names] of [['zh-CN', 'zh-CN-long.json', ZH_NAMES], ['en', 'en-long.json', EN_NAMES]] as const) {
    it(`${locale}: each message with each form of the name`, { timeout: 600_000 }, async () => {
      const lost: string[] = [];
      const wrongName: string[] = [];
      const answeredWith = new Map<string, number>();
      const all = messages(file);
      for (const m of all) {
        for (const [answer, expected] of names) {
          const r = await fileWithName(locale, m.text, answer);
          if (!r.filed) lost.push(`${answer} | ${m.text.slice(0, 40)}\n  ${r.turns.join('\n  ')}`);
          else if (r.askedName) {
            answeredWith.set(answer, (answeredWith.get(answer) ?? 0) + 1);
            if (r.stored !== expected) wrongName.push(`${answer} stored as ${String(r.stored)} | ${m.text.slice(0, 40)}`);
          }
        }
      }
      expect(lost).toEqual([]);
      expect(wrongName).toEqual([]);
      // Not vacuous: most messages give no name, so every form was really given as an answer.
      for (const [answer] of names) expect(answeredWith.get(answer) ?? 0, answer).toBeGreaterThanOrEqual(all.length / 2);
    });
  }
});
