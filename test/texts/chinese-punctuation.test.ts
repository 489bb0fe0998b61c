/**
 * Every Chinese text the hub shows is punctuated as a Chinese office writes (GB/T 15834):
 * ，。！？：；“”（）、 — never an ASCII , . ! ? : ; ( ) inside Chinese. The rule, and what legitimately
 * stays ASCII (numbers, times, URLs, English glosses…), is in test/helpers/zh-punctuation.ts; how
 * texts are pulled out of source files and pages is in test/helpers/zh-texts.ts.
 *
 * Checked:
 *  - intents/responses/zh-CN.json: every variant of every reply, as a template (a mark next to a
 *    {placeholder} counts as inside the sentence);
 *  - everything under channels/webchat/public/: the widget's strings, the demo page's visible text;
 *  - Chinese string and template literals in channels/, officers/ (Slack cards and alerts, the
 *    console) and src/ (comments and regular expressions are not texts), except src/nlu/: its Chinese literals are the words and patterns for *reading*
 *    petitioners' messages, which are written however petitioners write; nothing there is shown.
 *    Petitioner input in test fixtures is not checked for the same reason.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeFindings } from '../helpers/zh-punctuation.js';
import { chineseHtmlTexts, chineseLiterals } from '../helpers/zh-texts.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PUBLIC = 'channels/webchat/public';
/** Source whose Chinese literals are understanding patterns, not texts people see (see above). */
const NOT_SHOWN = ['src/nlu/'];

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const walk = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    return statSync(join(ROOT, path)).isDirectory() ? walk(path) : [path];
  });
const HAN = /\p{Script=Han}/u;

/** Expect no findings; the failure message lists each as `file:line: …⟦,⟧… (use ，)`. */
function expectClean(findings: string[]): void {
  expect(findings, `ASCII punctuation in Chinese text:\n${findings.join('\n')}\n`).toEqual([]);
}

describe('Chinese texts use Chinese punctuation', () => {
  it('every zh-CN reply (all variants) in intents/responses/zh-CN.json', () => {
    const catalogue = JSON.parse(read('intents/responses/zh-CN.json')) as Record<string, string[]>;
    expect(Object.keys(catalogue).length).toBeGreaterThan(100);
    const findings = Object.entries(catalogue).flatMap(([key, variants]) =>
      variants.flatMap((text, i) => describeFindings(`zh-CN.json ${key}[${i}]`, text)),
    );
    expectClean(findings);
  });

  it(`the web chat widget's zh-CN strings (${PUBLIC}/widget.js)`, () => {
    const texts = chineseLiterals('widget.js', read(`${PUBLIC}/widget.js`));
    // The zh-CN catalogue alone has over thirty strings: a scanner that finds none is broken.
    expect(texts.length).toBeGreaterThan(30);
    expectClean(texts.flatMap((t) => describeFindings(`widget.js:${t.line}`, t.text)));
  });

  it(`the visible text of the demo page (${PUBLIC}/index.html)`, () => {
    const texts = chineseHtmlTexts(read(`${PUBLIC}/index.html`));
    expect(texts.length).toBeGreaterThan(20);
    expectClean(texts.flatMap((t) => describeFindings(`index.html:${t.line}`, t.text)));
  });

  it(`every other file under ${PUBLIC}/ with Chinese text`, () => {
    const findings = walk(PUBLIC)
      .filter((f) => !f.endsWith('/widget.js') && !f.endsWith('/index.html'))
      .flatMap((file) => {
        const text = read(file);
        if (!HAN.test(text)) return [];
        const texts = file.endsWith('.html')
          ? chineseHtmlTexts(text)
          : /\.m?js$/.test(file)
            ? chineseLiterals(file, text)
            : text.split('\n').map((line, i) => ({ line: i + 1, text: line }));
        return texts.flatMap((t) => describeFindings(`${file}:${t.line}`, t.text));
      });
    expectClean(findings);
  });

  it('Chinese string literals in channels/, officers/ and src/ source files', () => {
    const files = [...walk('channels'), ...walk('officers'), ...walk('src')].filter(
      (f) => /\.(ts|m?js)$/.test(f) && !f.startsWith(`${PUBLIC}/`) && !NOT_SHOWN.some((dir) => f.startsWith(dir)),
    );
    expect(files.length).toBeGreaterThan(50);
    const texts = files.flatMap((file) => chineseLiterals(file, read(file)).map((t) => ({ ...t, file })));
    // The labels of petitioners' material (what officers read of a photo or a link) are in there.
    expect(texts.some((t) => t.file === 'src/channels/material.ts')).toBe(true);
    // So are the officers' Slack texts.
    expect(texts.filter((t) => t.file === 'officers/slack/texts.ts').length).toBeGreaterThan(100);
    expectClean(texts.flatMap((t) => describeFindings(`${t.file}:${t.line}`, t.text)));
  });
});
