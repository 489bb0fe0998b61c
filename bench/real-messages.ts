/**
 * Real citizens' messages to a filed case: `npm run bench:real-messages [-- --baseline REF]`.
 *
 * Takes every long message of the held-out evaluation sets (intents/categories/eval/*-long.json:
 * message-board letters, phone messages, fragments) through the web chat API of a hub started as a
 * user starts it, once for each form of the name in test/fixtures/name-forms.ts, answering every
 * other question plainly and "yes" to the summary. Counts, per form of the name: conversations that
 * ended in a filed case, those lost right after the name was asked, and filed cases whose stored
 * name is not the one given. With --baseline REF the hub at that commit is measured first, in the
 * same run. Exits 0 whatever the numbers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Locale } from '../src/domain.js';
import { api, lastExpects, WebchatClient } from '../test/helpers/webchat-client.js';
import { ANSWERS, EN_NAMES, ZH_NAMES } from '../test/fixtures/name-forms.js';
import { abandonHubs, measureHubs, refName, ROOT, type MeasuredHub } from './measured-hubs.js';
import { machine, table, writeSection } from './lib-report.js';

const USAGE = `Usage: npm run bench:real-messages -- [--baseline REF] [--limit N] [--write]
  --baseline REF   also measure the hub at git commit REF, first, in the same run
  --limit N        only the first N messages of each language (default: all)
  --write          put the figures in docs/benchmarks.md ("## Conversation quality: real messages")`;

const SETS: [Locale, string, [string, string][]][] = [
  ['zh-CN', 'zh-CN-long.json', ZH_NAMES],
  ['en', 'en-long.json', EN_NAMES],
];
/** Turns after the first message before a conversation that filed nothing is counted as lost. */
const MAX_TURNS = 16;
/** Options a petitioner who wants their petition filed picks, before any other. */
const GOING_ON = ['continue', 'yes', 'new', 'none'];

interface Outcome {
  filed: boolean;
  lostOnName: boolean;
  askedName: boolean;
  nameRight: boolean;
}

function messages(file: string, limit: number): string[] {
  const set = JSON.parse(readFileSync(join(ROOT, 'intents', 'categories', 'eval', file), 'utf8')) as { messages: { text: string }[] };
  return set.messages.slice(0, limit).map((m) => m.text);
}

async function takeToFiling(hub: MeasuredHub, locale: Locale, text: string, name: string, expected: string): Promise<Outcome> {
  const answers = ANSWERS[locale];
  const c = await WebchatClient.open(hub.url, locale);
  let replies = await c.say(text);
  let askedName = false;
  let lastAsked: string | undefined;
  for (let turn = 0; turn < MAX_TURNS; turn++) {
    const ref = replies.find((m) => m.caseRef)?.caseRef;
    if (ref) {
      const r = await api<{ details: { contactName?: string } }>(hub.url, `/api/cases/${ref}`, { token: hub.adminToken });
      return { filed: true, lostOnName: false, askedName, nameRight: !askedName || r.body.details?.contactName === expected };
    }
    const expects = lastExpects(replies);
    lastAsked = expects?.type === 'text' ? expects.slot : expects?.type;
    let reply: string;
    if (!expects) reply = answers.listen;
    else if (expects.type === 'confirm') reply = answers.confirm;
    else if (expects.type === 'text' && expects.slot === 'contactName') {
      askedName = true;
      reply = name;
    } else if (expects.type === 'text') reply = answers[expects.slot ?? ''] ?? answers.listen;
    else {
      const values = (expects.options ?? []).map((o) => o.value);
      reply = values.find((v) => GOING_ON.includes(v)) ?? values[0] ?? answers.listen;
    }
    replies = await c.say(reply);
  }
  return { filed: false, lostOnName: lastAsked === 'contactName', askedName, nameRight: false };
}

interface FormResult {
  locale: Locale;
  form: string;
  conversations: number;
  filed: number;
  lostOnName: number;
  /** Filed cases whose petitioner was asked for their name. */
  askedName: number;
  nameWrong: number;
}

async function measure(hub: MeasuredHub, limit: number): Promise<FormResult[]> {
  const results: FormResult[] = [];
  for (const [locale, file, forms] of SETS) {
    const texts = messages(file, limit);
    for (const [form, expected] of forms) {
      const r: FormResult = { locale, form, conversations: 0, filed: 0, lostOnName: 0, askedName: 0, nameWrong: 0 };
      for (const text of texts) {
        const o = await takeToFiling(hub, locale, text, form, expected);
        r.conversations++;
        if (o.filed) r.filed++;
        if (o.lostOnName) r.lostOnName++;
        // The name is judged on the cases filed after it was asked for.
        if (o.filed && o.askedName) r.askedName++;
        if (o.filed && !o.nameRight) r.nameWrong++;
      }
      console.log(`${hub.label.padEnd(30)} ${locale.padEnd(5)} ${JSON.stringify(form).padEnd(26)} filed ${r.filed}/${r.conversations} lost_on_name ${r.lostOnName} name_wrong ${r.nameWrong}/${r.askedName}`);
      results.push(r);
    }
  }
  return results;
}

function total(rs: FormResult[]): string {
  const sum = (k: keyof Omit<FormResult, 'locale' | 'form'>) => rs.reduce((a, r) => a + r[k], 0);
  const worst = rs.reduce((w, r) => (r.filed / r.conversations < w.filed / w.conversations ? r : w), rs[0]);
  return (
    `REAL filed ${sum('filed')}/${sum('conversations')} lost_on_name ${sum('lostOnName')} name_wrong ${sum('nameWrong')}/${sum('askedName')} ` +
    `worst_form ${JSON.stringify(worst.form)} ${worst.filed}/${worst.conversations}`
  );
}

const log = (line: string) => console.error(`real-messages: ${line}`);

function report(now: FormResult[], before: { forms: FormResult[]; ref: string; commit: string } | null, limit: number): string {
  const m = machine();
  const cell = (r: FormResult | undefined) => (r ? `${r.filed}/${r.conversations}${r.lostOnName ? ` (${r.lostOnName} lost on the name)` : ''}` : '–');
  const names = (r: FormResult | undefined) => (r ? `${r.askedName - r.nameWrong}/${r.askedName}` : '–');
  const header = before
    ? ['form of the name', 'baseline: filed', 'baseline: name stored as given', 'this hub: filed', 'this hub: name stored as given']
    : ['form of the name', 'filed', 'name stored as given'];
  const rows = now.map((r, i) => {
    const b = before?.forms[i];
    return [`${r.locale} ${r.form}`, ...(before ? [cell(b), names(b)] : []), cell(r), names(r)];
  });
  const all = (rs: FormResult[]): FormResult => ({
    locale: 'en',
    form: 'all',
    conversations: rs.reduce((a, r) => a + r.conversations, 0),
    filed: rs.reduce((a, r) => a + r.filed, 0),
    lostOnName: rs.reduce((a, r) => a + r.lostOnName, 0),
    askedName: rs.reduce((a, r) => a + r.askedName, 0),
    nameWrong: rs.reduce((a, r) => a + r.nameWrong, 0),
  });
  rows.push(['**all**', ...(before ? [cell(all(before.forms)), names(all(before.forms))] : []), cell(all(now)), names(all(now))]);
  const sets = SETS.map(([locale, file]) => `${messages(file, limit).length} ${locale}`).join(' and ');
  return [
    `Run on ${m.date}: ${m.cpus} CPUs (${m.cpuModel}), Node ${m.node}; load average ${m.load.toFixed(2)} when it began.`,
    '',
    `The long messages of the held-out evaluation sets (${sets}; \`intents/categories/eval/\`), each taken to a filed case through the web chat API once per form of the name, the name question answered with that form and every other question plainly; "filed" counts conversations that ended in a case within ${MAX_TURNS} turns, "lost on the name" those that stopped right after the name was asked, "name stored as given" the filed cases whose \`contactName\` is the name meant (叫我小李就行 → 小李), of the filed cases whose petitioner was asked for their name (the others gave it in their first message, or were in an emergency, where it is not asked).${before ? ` Baseline: the hub at ${refName(before.ref, before.commit)}, measured first in the same run.` : ''} Reproduce with \`npm run bench:real-messages -- ${before ? `--baseline ${before.ref} ` : ''}--write\`; \`test/engine/names-on-real-messages.test.ts\` requires every one filed with the name as given.`,
    '',
    table(header, rows),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { baseline: { type: 'string' }, limit: { type: 'string' }, write: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) return console.log(USAGE);
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (!(limit >= 1)) throw new Error(`--limit must be a number ≥ 1\n\n${USAGE}`);
  const started = performance.now();
  const { baseline, current } = await measureHubs({ baseline: values.baseline }, log, (hub) => measure(hub, limit).then((forms) => ({ forms })));
  if (baseline) console.log(`baseline ${total(baseline.forms)}`);
  console.log(`this     ${total(current.forms)}`);
  if (values.write) {
    const doc = join(ROOT, 'docs', 'benchmarks.md');
    writeSection(doc, report(current.forms, baseline, limit), '## Conversation quality: real messages');
    log(`wrote ${doc}`);
  }
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

process.once('SIGINT', () => {
  abandonHubs();
  process.exit(130);
});
process.once('exit', abandonHubs);
main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`real-messages failed: ${err instanceof Error ? err.message : String(err)}`);
    abandonHubs();
    process.exit(1);
  },
);
