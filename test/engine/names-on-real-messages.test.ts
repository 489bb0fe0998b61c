// Real citizens' messages (the held-out long evaluation sets: message-board letters, phone messages,
// fragments), each taken to a filed case, the name question answered in one of the forms people give
// a name in. Every one must be filed, with the name stored as given; none may end on the name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/domain.js';
import { conversation } from '../helpers/transcript.js';
import { ANSWERS, EN_NAMES, ZH_NAMES } from '../fixtures/name-forms.js';

const messages = (file: string): { text: string }[] => (JSON.parse(readFileSync(new URL(`../../intents/categories/eval/${file}`, import.meta.url), 'utf8')) as { messages: { text: string }[] }).messages;

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
