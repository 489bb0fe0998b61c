/**
 * Plays scripted petitioners (test/scenarios/*.json, described in README.md beside this file)
 * through the web chat API of a running hub, the way a browser would, and judges the conversations:
 * was a case filed, in the right category, with the right details, without asking for anything
 * twice, acknowledging distress, giving the emergency numbers when a life is at risk.
 *
 * One implementation for `npm run bench:conversations` (bench/conversations.ts) and the vitest test
 * (conversation-quality.test.ts). It keeps the rules of the original Python harness exactly, quirks
 * included (for instance, a case reference in the reply to the sixteenth turn is not looked at), so
 * that the two give the same lines and the same summary on the same hub; the notes marked "as the
 * Python harness" point at such places. Besides its fields, each result has a few of its own
 * (`repeat_log`, `case_details`, and `transcript` also when a scenario broke off) so that a failure
 * can say what went wrong; they change no count.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the scenario files live; every *.json file here is played by default. */
export const SCENARIO_DIR = dirname(fileURLToPath(import.meta.url));

/** Turns after the story before a conversation that has filed nothing counts as a loop (at MAX_TURNS - 2 questions). */
export const MAX_TURNS = 16;

export const EMPATHY = /理解|抱歉|难过|辛苦|着急|心情|不容易|委屈|感受|sorry|understand|frustrat|upset|difficult|hear you/iu;
export const DEADLINE = /15|十五|60|六十|工作日|working day|days/iu;
export const EMERGENCY = /110|120|12356|400-161-9995|hotline|热线|急救|报警/u;
export const DECLINE: Record<string, string> = { 'zh-CN': '不方便提供', en: "I'd rather not say" };
export const UNKNOWN: Record<string, string> = { 'zh-CN': '不清楚', en: "I don't know" };
export const YES: Record<string, string> = { 'zh-CN': '对的，没问题', en: 'yes, that is right' };

/** Per request, as the Python harness's socket timeout. */
const DEFAULT_TIMEOUT_MS = 20_000;

export interface Scenario {
  id: string;
  locale: string;
  tags?: string[];
  say: string[];
  given?: string[];
  facts: Record<string, string>;
  nonAnswers?: Record<string, string>;
  decline?: string[];
  correction?: { reply: string; slot: string; value?: string };
  expect: {
    category: string[];
    details?: Record<string, string>;
    notInDetails?: Record<string, string[]>;
    distress?: boolean;
    emergency?: boolean;
    urgency?: string[];
    [other: string]: unknown;
  };
  [other: string]: unknown;
}

export interface RepeatedQuestion {
  slot: string;
  /** The how-manieth question for this detail it was. */
  asked: number;
  /** The story had already told it (`given`). */
  given: boolean;
}

/** [who, text]: 'bot' for the hub's messages, 'me' for the petitioner's. */
export type TranscriptLine = [who: 'bot' | 'me', text: unknown];

/** One scenario's outcome; the field names and their order are those of the Python harness's JSON. */
export interface ScenarioResult {
  id: string;
  filed: boolean;
  errors: string[];
  /** Questions for a detail (anything but a summary, a rating or a choice). */
  questions: number;
  /** Questions asked twice, or for something the story already told. */
  repeats: number;
  summary_confirmed?: boolean;
  deadline_told?: boolean;
  /** Only for scenarios with expect.distress: the first reply after the story acknowledged the feeling. */
  empathy?: boolean | null;
  /** Seconds per message sent. */
  latencies: number[];
  greeting?: boolean;
  /** Only for scenarios with expect.emergency. */
  emergency_contacts?: boolean;
  case_ref?: unknown;
  category?: unknown;
  category_ok?: boolean;
  urgency?: unknown;
  urgency_ok?: boolean;
  details_ok?: boolean;
  core_details?: number;
  transcript?: TranscriptLine[];
  /** Not in the Python harness: each repeated question, with how often its detail had been asked by then and whether the story told it. */
  repeat_log?: RepeatedQuestion[];
  /** Not in the Python harness: the filed case's details. */
  case_details?: unknown;
}

export interface Summary {
  scenarios: number;
  filed: number;
  categoryRight: number;
  /** Filed cases whose details pass every check. */
  detailsRight: number;
  /** Non-emergency scenarios, and how many of them confirmed a summary. */
  routine: number;
  confirmed: number;
  repeats: number;
  /** Scenarios with expect.distress, and how many got an acknowledgement. */
  empathyDue: number;
  empathy: number;
  /** Median (upper) of the questions of filed cases; -1 when none was filed. */
  medianQuestions: number;
  turnP50Ms: number;
  turnP99Ms: number;
  emergencyScenarios: number;
  /** Emergencies answered with the numbers and (where expected) the right urgency. */
  emergencies: number;
  /** Conversations that ran out of turns without a case. */
  loops: number;
}

export interface PlayOptions {
  /** The hub, e.g. http://127.0.0.1:3000 */
  url: string;
  /** The hub's ADMIN_TOKEN (to read the filed cases). */
  adminToken: string;
  /** Only the scenarios with these ids (as the Python harness's ONLY). */
  only?: string[];
  /** Per request, default 20 s. */
  timeoutMs?: number;
  /** Called after each scenario, e.g. to print its line as it comes. */
  onResult?: (result: ScenarioResult, scenario: Scenario) => void;
}

export interface PlayReport {
  scenarios: Scenario[];
  results: ScenarioResult[];
  summary: Summary;
}

// ---- the scenario files ----

/** Every *.json file of a folder (default: test/scenarios), by name. */
export function scenarioFiles(dir: string = SCENARIO_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

/** The scenarios of the files, in order; each file holds a JSON array of scenarios. */
export function loadScenarios(files: string[] = scenarioFiles()): Scenario[] {
  const all: Scenario[] = [];
  for (const file of files) {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!Array.isArray(parsed)) throw new Error(`${file}: expected a JSON array of scenarios`);
    all.push(...(parsed as Scenario[]));
  }
  return all;
}

// ---- Python's view of JSON values, so that lines and checks come out as the Python harness's ----

type Dict = Record<string, unknown>;

function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** Python's bool(v) for a JSON value. */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Uint8Array) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return true;
}

/** d.get(key, dflt); like Python, fails on anything but a dict. */
function get(d: unknown, key: unknown, dflt: unknown = null): unknown {
  if (!isDict(d)) throw new TypeError(`'${pyType(d)}' object has no attribute 'get'`);
  return typeof key === 'string' && Object.hasOwn(d, key) ? d[key] : dflt;
}

/** d[key]; like Python, a missing key is a KeyError. */
function item(d: unknown, key: string): unknown {
  if (!isDict(d)) throw new TypeError(`'${pyType(d)}' object is not subscriptable`);
  if (!Object.hasOwn(d, key)) throw new KeyError(key);
  return d[key];
}

/** Python's `x in container` for JSON containers (dict keys, list items, substrings). */
function contains(container: unknown, x: unknown): boolean {
  if (Array.isArray(container)) return container.some((c) => pyEq(c, x));
  if (isDict(container)) return typeof x === 'string' && Object.hasOwn(container, x);
  if (typeof container === 'string') {
    if (typeof x !== 'string') throw new TypeError(`'in <string>' requires string as left operand, not ${pyType(x)}`);
    return container.includes(x);
  }
  throw new TypeError(`argument of type '${pyType(container)}' is not iterable`);
}

function pyEq(a: unknown, b: unknown): boolean {
  if (a === b || (a === undefined && b === null) || (a === null && b === undefined)) return true;
  if (typeof a === 'object' && typeof b === 'object' && a && b) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

/** ' '.join(parts): only strings. */
function pyJoin(parts: unknown[]): string {
  for (const p of parts) if (typeof p !== 'string') throw new TypeError(`sequence item: expected str instance, ${pyType(p)} found`);
  return (parts as string[]).join(' ');
}

function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Uint8Array) return 'bytes';
  return 'dict';
}

class KeyError extends Error {
  constructor(key: string) {
    super(pyRepr(key));
    this.name = 'KeyError';
  }
}

/** Python's repr() of a JSON value (or of bytes). */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v).replace(/e([+-])(\d)$/, 'e$10$2');
  if (typeof v === 'string') return reprText(v, false);
  if (v instanceof Uint8Array) return reprText(String.fromCharCode(...v), true);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (isDict(v)) return `{${Object.entries(v).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return String(v);
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function reprText(s: string, bytes: boolean): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (bytes ? c < 0x20 || c >= 0x7f : ch !== ' ' && NOT_PRINTABLE.test(ch)) {
      out += c < 0x100 ? `\\x${hex(c, 2)}` : c < 0x10000 ? `\\u${hex(c, 4)}` : `\\U${hex(c, 8)}`;
    } else out += ch;
  }
  return `${bytes ? 'b' : ''}${quote}${out}${quote}`;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** Python's str(): strings as they are, anything else as repr(). */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

/** s[:n], counted in characters (code points) as Python counts them. */
function head(s: string, n: number): string {
  const chars = Array.from(s);
  return chars.length <= n ? s : chars.slice(0, n).join('');
}

/** f"{s:n}": left-aligned, padded to n characters. */
function padRight(s: string, n: number): string {
  const len = Array.from(s).length;
  return len >= n ? s : s + ' '.repeat(n - len);
}

/** f"{x:.0f}": rounds half to even, as Python formats a float. */
function formatRounded(x: number): string {
  const floor = Math.floor(x);
  const diff = x - floor;
  const n = diff > 0.5 ? floor + 1 : diff < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  return Object.is(n, -0) ? '0' : String(n);
}

/** An exception as Python's repr(e) would name it, e.g. TimeoutError('timed out'). */
function describeError(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return "TimeoutError('timed out')";
    if ((err.cause as { code?: string } | undefined)?.code === 'ECONNREFUSED') return "URLError(ConnectionRefusedError(111, 'Connection refused'))";
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.name}(${pyRepr(err.message + cause)})`;
  }
  return `Exception(${pyRepr(String(err))})`;
}

// ---- HTTP, as the Python harness's call() ----

interface Reply {
  status: number;
  /** Parsed JSON, null for an empty 2xx body, or the first 200 bytes of an error body that is not JSON. */
  body: unknown;
  /** Seconds from sending the request to having read the whole response. */
  seconds: number;
}

async function call(base: string, method: string, path: string, body: unknown, token: string | null, timeoutMs: number): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const t0 = performance.now();
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const raw = new Uint8Array(await res.arrayBuffer());
  const seconds = (performance.now() - t0) / 1000;
  if (res.status >= 200 && res.status < 300) {
    // As the Python harness: a 2xx body that is not JSON breaks the scenario off.
    return { status: res.status, body: raw.length ? JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw)) : null, seconds };
  }
  try {
    return { status: res.status, body: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw)), seconds };
  } catch {
    return { status: res.status, body: raw.slice(0, 200), seconds };
  }
}

// ---- one scenario ----

/** Plays one scripted petitioner; never throws (a scenario that breaks off has the error in `errors`). */
export async function playScenario(sc: Scenario, opts: Pick<PlayOptions, 'url' | 'adminToken' | 'timeoutMs'>): Promise<ScenarioResult> {
  const transcript: TranscriptLine[] = [];
  try {
    return await run(sc, opts, transcript);
  } catch (err) {
    // As the Python harness: one broken scenario must not hide the others; it keeps no counts.
    return { id: sc.id, filed: false, errors: [head(describeError(err), 200)], questions: 0, repeats: 0, latencies: [], transcript };
  }
}

async function run(sc: Scenario, opts: Pick<PlayOptions, 'url' | 'adminToken' | 'timeoutMs'>, transcript: TranscriptLine[]): Promise<ScenarioResult> {
  const base = opts.url.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const id = item(sc, 'id') as string;
  const locale = item(sc, 'locale') as string;
  const expect = item(sc, 'expect');
  const facts = item(sc, 'facts');
  const res: ScenarioResult = {
    id,
    filed: false,
    errors: [],
    questions: 0,
    repeats: 0,
    summary_confirmed: false,
    deadline_told: false,
    empathy: null,
    latencies: [],
  };
  const repeatLog: RepeatedQuestion[] = [];
  const created = await call(base, 'POST', '/api/webchat/sessions', { locale }, null, timeoutMs);
  if (created.status !== 201 || !isDict(created.body)) {
    res.errors.push(`create session ${created.status}`);
    return res;
  }
  const sid = pyStr(item(created.body, 'sessionId'));
  const tok = item(created.body, 'token') as string;
  const msgs = messagesOf(created.body);
  res.greeting = msgs.length > 0 && msgs.every((m) => contains(['bot', 'system'], get(m, 'role')));
  const scGiven = get(sc, 'given', []);
  const given = new Set<unknown>(scGiven as unknown[]);
  const asked = new Map<unknown, number>();
  for (const m of msgs) transcript.push(['bot', get(m, 'text', '')]);
  let corrected = false;

  const send = async (text: unknown): Promise<unknown[]> => {
    const r = await call(base, 'POST', `/api/webchat/sessions/${sid}/messages`, { text, clientMessageId: randomUUID() }, tok, timeoutMs);
    res.latencies.push(r.seconds);
    transcript.push(['me', text]);
    if (r.status !== 200 || !isDict(r.body)) {
      res.errors.push(`send ${r.status} ${head(pyStr(r.body), 120)}`);
      return [];
    }
    const out = messagesOf(r.body);
    for (const m of out) transcript.push(['bot', get(m, 'text', '')]);
    return out;
  };
  const textOf = (ms: unknown[]) => pyJoin(ms.map((m) => get(m, 'text', '')));
  const missingFacts = () => Object.keys(facts as Dict).filter((k) => !given.has(k));

  let last: unknown[] = [];
  let firstReplyAfterStory: string | null = null;
  const say = item(sc, 'say') as unknown[];
  for (let i = 0; i < say.length; i++) {
    last = await send(say[i]);
    if (i === say.length - 1) firstReplyAfterStory = textOf(last);
  }
  if (pyTruthy(get(expect, 'distress'))) res.empathy = EMPATHY.test(firstReplyAfterStory ?? '');

  let caseRef: unknown = null;
  const correctionSlot = () => item(item(sc, 'correction'), 'slot');
  for (let turn = 0; turn < MAX_TURNS; turn++) {
    for (const m of last) if (pyTruthy(get(m, 'caseRef'))) caseRef = item(m, 'caseRef');
    const alltext = textOf(last);
    if (pyTruthy(caseRef)) {
      res.deadline_told = DEADLINE.test(alltext);
      break;
    }
    let exp: unknown = null;
    for (const m of [...last].reverse()) {
      if (pyTruthy(get(m, 'expects'))) {
        exp = item(m, 'expects');
        break;
      }
    }
    if (pyTruthy(get(expect, 'emergency')) && EMERGENCY.test(alltext)) res.emergency_contacts = true;
    if (exp === null) {
      if (last.length === 0) break;
      // No explicit question: answer with the next missing fact, or stop.
      const missing = missingFacts();
      if (missing.length === 0) break;
      given.add(missing[0]);
      last = await send((facts as Dict)[missing[0]]);
      continue;
    }
    const type = get(exp, 'type');
    if (type === 'confirm') {
      if (pyTruthy(get(sc, 'correction')) && !corrected) {
        corrected = true;
        last = await send(item(item(sc, 'correction'), 'reply'));
        continue;
      }
      res.summary_confirmed = true;
      const values = optionsOf(exp).map((o) => get(o, 'value'));
      last = await send(contains(values, 'yes') ? 'yes' : item(YES, locale));
      continue;
    }
    if (type === 'rating' || type === 'choice') {
      const options = optionsOf(exp);
      last = await send(options.length ? item(options[0], 'value') : '5');
      continue;
    }
    const slot = get(exp, 'slot');
    res.questions += 1;
    const nonAnswer = get(get(sc, 'nonAnswers', {}), slot);
    if (pyTruthy(slot)) {
      asked.set(slot, (asked.get(slot) ?? 0) + 1);
      const afterCorrection = corrected && pyEq(slot, correctionSlot());
      if (afterCorrection) {
        // asking for the corrected value is fair
      } else if (contains(scGiven, slot)) {
        res.repeats += 1; // the story already said it
        repeatLog.push({ slot: pyStr(slot), asked: asked.get(slot) ?? 0, given: true });
      } else if ((asked.get(slot) ?? 0) > (pyTruthy(nonAnswer) ? 2 : 1)) {
        res.repeats += 1; // asked twice (three times after a reply that did not answer)
        repeatLog.push({ slot: pyStr(slot), asked: asked.get(slot) ?? 0, given: false });
      }
    }
    if (pyTruthy(nonAnswer) && asked.get(slot) === 1) {
      last = await send(nonAnswer); // a reply that does not answer the question
    } else if (corrected && pyEq(slot, correctionSlot())) {
      last = await send(item(item(sc, 'correction'), 'reply'));
    } else if (contains(get(sc, 'decline', []), slot)) {
      last = await send(item(DECLINE, locale));
    } else if (contains(facts, slot)) {
      given.add(slot);
      last = await send((facts as Dict)[slot as string]);
    } else if (contains(scGiven, slot)) {
      last = await send(item(YES, locale));
    } else {
      const missing = missingFacts();
      if (missing.length && !pyTruthy(slot)) {
        given.add(missing[0]);
        last = await send((facts as Dict)[missing[0]]);
      } else {
        last = await send(item(UNKNOWN, locale));
      }
    }
  }
  if (pyTruthy(get(expect, 'emergency'))) {
    const alltext = pyJoin(transcript.filter(([who]) => who === 'bot').map(([, t]) => t));
    res.emergency_contacts = EMERGENCY.test(alltext);
  }
  res.case_ref = caseRef;
  if (pyTruthy(caseRef)) {
    const got = await call(base, 'GET', `/api/cases/${pyStr(caseRef)}`, undefined, opts.adminToken, timeoutMs);
    const kase = got.body;
    if (got.status !== 200 || !isDict(kase)) {
      res.errors.push(`get case ${got.status}`);
    } else {
      res.filed = true;
      res.category = get(kase, 'category');
      res.category_ok = contains(item(expect, 'category'), get(kase, 'category'));
      res.urgency = get(kase, 'urgency');
      if (contains(expect, 'urgency')) res.urgency_ok = contains(item(expect, 'urgency'), get(kase, 'urgency'));
      const det = pyTruthy(get(kase, 'details')) ? get(kase, 'details') : {};
      const want = get(expect, 'details', {}) as Dict;
      const notIn = get(expect, 'notInDetails', {}) as Dict;
      const detail = (k: string) => pyStr(get(det, k, ''));
      res.details_ok =
        Object.entries(want).every(([k, v]) => contains(detail(k), v)) &&
        !Object.entries(notIn).some(([k, bads]) => Array.from(bads as Iterable<unknown>).some((bad) => contains(detail(k), bad)));
      res.core_details = ['issue', 'location', 'time', 'desiredOutcome'].filter((k) => pyTruthy(get(det, k))).length;
      res.case_details = det;
    }
  }
  res.transcript = transcript;
  res.repeat_log = repeatLog;
  return res;
}

/** body.get('messages') or [] */
function messagesOf(body: unknown): unknown[] {
  const v = get(body, 'messages');
  if (!pyTruthy(v)) return [];
  if (!Array.isArray(v)) throw new TypeError(`messages is a ${pyType(v)}, not a list`);
  return v;
}

/** exp.get('options') or [] */
function optionsOf(exp: unknown): unknown[] {
  const v = get(exp, 'options');
  if (!pyTruthy(v)) return [];
  if (!Array.isArray(v)) throw new TypeError(`options is a ${pyType(v)}, not a list`);
  return v;
}

// ---- all of them ----

/** Plays the scenarios one after another (as the Python harness: the order decides the tracking numbers). */
export async function playScenarios(scenarios: Scenario[], opts: PlayOptions): Promise<PlayReport> {
  const chosen = opts.only?.length ? scenarios.filter((s) => opts.only?.includes(s.id)) : scenarios;
  const results: ScenarioResult[] = [];
  for (const sc of chosen) {
    const r = await playScenario(sc, opts);
    results.push(r);
    opts.onResult?.(r, sc);
  }
  return { scenarios: chosen, results, summary: summarize(chosen, results) };
}

/** The Python harness's ONLY variable (comma-separated ids), if set. */
export function onlyFromEnv(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  return env.ONLY ? env.ONLY.split(',') : undefined;
}

export function isEmergency(sc: Scenario): boolean {
  return pyTruthy(sc.expect?.emergency);
}

/** Whether an emergency scenario was answered well: the numbers given, and the urgency right where one is expected. */
export function emergencyOk(r: ScenarioResult): boolean {
  return pyTruthy(r.emergency_contacts) && r.urgency_ok !== false;
}

/** Ran out of turns without filing a case. */
export function isLoop(r: ScenarioResult): boolean {
  return r.questions >= MAX_TURNS - 2 && !r.filed;
}

/** The summary of results[i] played from scenarios[i]. */
export function summarize(scenarios: Scenario[], results: ScenarioResult[]): Summary {
  const filed = results.filter((r) => r.filed);
  const routine = results.filter((_, i) => !isEmergency(scenarios[i]));
  const emergencies = results.filter((_, i) => isEmergency(scenarios[i]));
  const empathy = results.filter((r) => r.empathy !== null && r.empathy !== undefined);
  const qs = filed.map((r) => r.questions).sort((a, b) => a - b);
  const lat = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return {
    scenarios: results.length,
    filed: filed.length,
    categoryRight: results.filter((r) => pyTruthy(r.category_ok)).length,
    detailsRight: filed.filter((r) => pyTruthy(r.details_ok)).length,
    routine: routine.length,
    confirmed: routine.filter((r) => pyTruthy(r.summary_confirmed)).length,
    repeats: results.reduce((n, r) => n + r.repeats, 0),
    empathyDue: empathy.length,
    empathy: empathy.filter((r) => r.empathy).length,
    medianQuestions: qs.length ? qs[Math.floor(qs.length / 2)] : -1,
    turnP50Ms: lat.length ? lat[Math.floor(lat.length / 2)] * 1000 : -1,
    turnP99Ms: lat.length ? lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))] * 1000 : -1,
    emergencyScenarios: emergencies.length,
    emergencies: emergencies.filter(emergencyOk).length,
    loops: results.filter(isLoop).length,
  };
}

/** `SCENARIOS filed F/N category C/N …`, exactly as the Python harness prints it. */
export function summaryLine(s: Summary): string {
  return (
    `SCENARIOS filed ${s.filed}/${s.scenarios} category ${s.categoryRight}/${s.scenarios} details ${s.detailsRight}/${s.filed} ` +
    `confirmed ${s.confirmed}/${s.routine} repeats ${s.repeats} empathy ${s.empathy}/${s.empathyDue} median_questions ${s.medianQuestions} ` +
    `turn_p50_ms ${formatRounded(s.turnP50Ms)} turn_p99_ms ${formatRounded(s.turnP99Ms)} emergencies ${s.emergencies}/${s.emergencyScenarios} loops ${s.loops}`
  );
}

const FLAGS = ['category_ok', 'urgency_ok', 'details_ok', 'summary_confirmed', 'deadline_told', 'empathy', 'emergency_contacts'] as const;

/** One scenario's line, exactly as the Python harness prints it (trailing space included when there is no error). */
export function scenarioLine(r: ScenarioResult): string {
  const flags: string[] = [];
  for (const k of FLAGS) {
    const v = r[k];
    if (v !== undefined && v !== null) flags.push(`${k}=${v ? 'Y' : 'N'}`);
  }
  return (
    `${padRight(r.id, 28)} filed=${r.filed ? 'Y' : 'N'} cat=${pyStr(r.category ?? null)} q=${r.questions} ` +
    `rep=${r.repeats} core=${pyStr(r.core_details ?? null)} ${flags.join(' ')} ${r.errors.join(' ')}`
  );
}

/** The conversation, as the Python harness prints it with --verbose (each message cut at 300 characters). */
export function transcriptLines(r: ScenarioResult): string[] {
  return (r.transcript ?? []).map(([who, text]) => `    ${who}: ${head(pyStr(text), 300)}`);
}
