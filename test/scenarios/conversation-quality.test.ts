/**
 * Conversation quality on the scripted petitioners (every *.json file beside this test; README.md
 * here describes them): each is played through the web chat API of a real hub on a real database,
 * and the whole set must meet the targets below. `npm run bench:conversations` plays the same
 * scenarios with the same player and prints the same lines, with transcripts on request.
 */
import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import {
  isEmergency,
  emergencyOk,
  isLoop,
  loadScenarios,
  playScenarios,
  pyStr,
  scenarioFiles,
  scenarioLine,
  summaryLine,
  type PlayReport,
  type Scenario,
  type ScenarioResult,
} from './player.js';

const TARGET = { categoryShare: 0.9, detailsShare: 0.95, medianQuestions: 4 };

/** Each target the run misses, as one paragraph naming the scenarios that miss it and why. */
function missedTargets({ scenarios, results, summary: s }: PlayReport): string[] {
  const pairs = results.map((r, i) => ({ r, sc: scenarios[i] }));
  const missed: string[] = [];
  const list = (items: string[]) => items.map((x) => `\n    - ${x}`).join('');
  const pct = (n: number, of: number) => (of ? `${Math.round((n / of) * 100)} %` : '–');

  const lost = pairs.filter(({ r }) => !r.filed);
  if (lost.length) missed.push(`lost petitions: ${lost.length} of ${s.scenarios} scenarios filed no case${list(lost.map(({ r }) => `${r.id}: ${whyLost(r)}`))}`);

  const loops = pairs.filter(({ r }) => isLoop(r));
  if (loops.length) missed.push(`loops: ${loops.length} conversations ran out of turns without a case${list(loops.map(({ r }) => `${r.id} (${r.questions} questions, ${r.repeats} of them repeated)`))}`);

  const repeated = pairs.filter(({ r }) => r.repeats > 0);
  if (repeated.length) {
    missed.push(`repeated questions: ${s.repeats} in ${repeated.length} scenarios (target 0)${list(repeated.map(({ r }) => `${r.id}: ${repeatedSlots(r) || r.repeats}`))}`);
  }

  const emergencies = pairs.filter(({ sc }) => isEmergency(sc));
  const badEmergencies = emergencies.filter(({ r }) => !r.filed || !emergencyOk(r));
  if (badEmergencies.length) {
    missed.push(
      `emergencies: ${s.emergencies} of ${s.emergencyScenarios} answered with the emergency numbers and the expected urgency` +
        list(badEmergencies.map(({ r, sc }) => `${r.id}: numbers ${r.emergency_contacts ? 'given' : 'NOT given'}, ${r.filed ? `urgency ${pyStr(r.urgency ?? null)} (expected ${sc.expect.urgency?.join(' or ') ?? 'any'})` : 'no case filed'}`)),
    );
  }

  if (s.categoryRight < TARGET.categoryShare * s.scenarios) {
    const wrong = pairs.filter(({ r }) => !r.category_ok);
    missed.push(
      `category right ${s.categoryRight}/${s.scenarios} = ${pct(s.categoryRight, s.scenarios)} (target ≥ ${TARGET.categoryShare * 100} %)` +
        list(wrong.map(({ r, sc }) => `${r.id}: ${r.filed ? pyStr(r.category ?? null) : 'no case'}, expected ${sc.expect.category.join(' or ')}`)),
    );
  }

  if (s.detailsRight < TARGET.detailsShare * s.filed) {
    const wrong = pairs.filter(({ r }) => r.filed && !r.details_ok);
    missed.push(
      `details right in ${s.detailsRight} of ${s.filed} filed cases = ${pct(s.detailsRight, s.filed)} (target ≥ ${TARGET.detailsShare * 100} %)` +
        list(wrong.map(({ r, sc }) => `${r.id}: ${detailProblems(r, sc).join('; ')}`)),
    );
  }

  const unconfirmed = pairs.filter(({ r, sc }) => !isEmergency(sc) && !r.summary_confirmed);
  if (unconfirmed.length) {
    missed.push(`summaries confirmed in ${s.confirmed} of ${s.routine} non-emergency conversations (target: all)${list(unconfirmed.map(({ r }) => `${r.id}${r.filed ? ' (filed without a summary to confirm)' : ' (no case)'}`))}`);
  }

  const cold = pairs.filter(({ r }) => r.empathy === false);
  if (cold.length) {
    missed.push(`empathy ${s.empathy}/${s.empathyDue}: no acknowledgement of the distress in the first reply after the story${list(cold.map(({ r, sc }) => `${r.id}: "${cut(firstReplyAfterStory(r, sc), 100)}"`))}`);
  }

  if (s.medianQuestions > TARGET.medianQuestions) {
    const most = pairs.filter(({ r }) => r.filed).sort((a, b) => b.r.questions - a.r.questions).slice(0, 8);
    missed.push(`median questions ${s.medianQuestions} over filed cases (target ≤ ${TARGET.medianQuestions}); the most asked:${list(most.map(({ r }) => `${r.id}: ${r.questions}`))}`);
  }
  return missed;
}

function whyLost(r: ScenarioResult): string {
  if (r.errors.length) return grouped(r.errors);
  const lastBot = [...(r.transcript ?? [])].reverse().find(([who]) => who === 'bot');
  const turns = r.latencies.length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${isLoop(r) ? 'loop, ' : ''}${plural(r.questions, 'question')} in ${plural(turns, 'turn')}, no case; the last bot message: "${cut(pyStr(lastBot?.[1] ?? ''), 120)}"`;
}

/** What the filed case's details got wrong, check by check (as details_ok judges them). */
function detailProblems(r: ScenarioResult, sc: Scenario): string[] {
  const det = (r.case_details ?? {}) as Record<string, unknown>;
  const value = (k: string) => (Object.hasOwn(det, k) ? pyStr(det[k]) : '');
  const problems: string[] = [];
  for (const [k, want] of Object.entries(sc.expect.details ?? {})) {
    if (!value(k).includes(want)) problems.push(`${k} ${value(k) ? `"${cut(value(k), 60)}"` : '(missing)'} lacks "${want}"`);
  }
  for (const [k, bads] of Object.entries(sc.expect.notInDetails ?? {})) {
    for (const bad of bads) if (value(k).includes(bad)) problems.push(`${k} "${cut(value(k), 60)}" has "${bad}"`);
  }
  return problems;
}

/** The bot's messages between the last `say` message and the petitioner's next one. */
function firstReplyAfterStory(r: ScenarioResult, sc: Scenario): string {
  const lines = r.transcript ?? [];
  let mine = 0;
  const reply: string[] = [];
  for (const [who, text] of lines) {
    if (who === 'me') mine++;
    else if (mine === sc.say.length) reply.push(pyStr(text));
    if (mine > sc.say.length) break;
  }
  return reply.join(' ');
}

/** "location asked 3×, time (the story told it) asked 1×": per detail, how often it was asked in all. */
function repeatedSlots(r: ScenarioResult): string {
  const slots = new Map<string, { asked: number; given: boolean }>();
  for (const q of r.repeat_log ?? []) {
    const seen = slots.get(q.slot);
    slots.set(q.slot, { asked: Math.max(seen?.asked ?? 0, q.asked), given: q.given || Boolean(seen?.given) });
  }
  return [...slots].map(([slot, q]) => `${slot}${q.given ? ' (the story told it)' : ''} asked ${q.asked}×`).join(', ');
}

/** ["send 500 …", "send 500 …"] → "send 500 … ×2" */
function grouped(entries: string[]): string {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e, (counts.get(e) ?? 0) + 1);
  return [...counts].map(([e, n]) => (n > 1 ? `${e} ×${n}` : e)).join(', ');
}

const cut = (s: string, n: number) => {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > n ? `${flat.slice(0, n)}…` : flat;
};

describe('scripted petitioners (test/scenarios/*.json)', () => {
  const scenarios = loadScenarios(scenarioFiles());
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub({ env: { WEBCHAT_RATE_LIMIT: '100000', WEBCHAT_SESSION_RATE_LIMIT: '100000' } });
  }, 120_000);
  afterAll(async () => hub?.drop());

  it('are well-formed: unique ids, a known locale, a story, the categories that count as right', () => {
    const ids = scenarios.map((s) => s.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i), 'duplicate ids').toEqual([]);
    for (const sc of scenarios) {
      expect(['zh-CN', 'en'], `${sc.id}: locale`).toContain(sc.locale);
      expect(sc.say.length, `${sc.id}: say`).toBeGreaterThan(0);
      expect(sc.expect.category.length, `${sc.id}: expect.category`).toBeGreaterThan(0);
      expect(typeof sc.facts, `${sc.id}: facts`).toBe('object');
      if (sc.correction) expect(typeof sc.correction.slot === 'string' && typeof sc.correction.reply === 'string', `${sc.id}: correction`).toBe(true);
    }
  });

  // About 600 turns (2–10 s on a developer's machine); the limit leaves room for a slow CI machine.
  it('meet the conversation targets: all filed, no repeated question, no loop, category, details, empathy, few questions', async () => {
    const lines: string[] = [];
    const report = await playScenarios(scenarios, { url: hub.url, adminToken: ADMIN_TOKEN, onResult: (r) => lines.push(scenarioLine(r)) });
    console.log(`${lines.join('\n')}\n${summaryLine(report.summary)}`);
    const missed = missedTargets(report);
    if (missed.length) {
      assert.fail(
        `${summaryLine(report.summary)}\n\n${missed.length} conversation targets missed:\n\n${missed.map((m) => `  * ${m}`).join('\n\n')}\n\n` +
          '(`ONLY=id,id npm run bench:conversations -- --verbose` shows their transcripts)\n',
      );
    }
  }, 240_000);
});
