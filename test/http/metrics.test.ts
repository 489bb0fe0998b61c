import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api, WebchatClient } from '../helpers/webchat-client.js';
import { KioskChannel } from '../helpers/kiosk-channel.js';
import { TestClock } from '../helpers/clock.js';
import { eventually } from '../helpers/eventually.js';
import { fileLabourCase } from '../helpers/petitions.js';
import { TEST_PROVIDER } from '../helpers/test-db.js';
import { parsePrometheusText, samplesOf, valueOf, type Family } from '../helpers/prometheus-text.js';
import { Unreachable } from '../../src/channels/contract.js';
import { isLoopback, metricsAccess } from '../../src/metrics/metrics-route.js';

type Families = Map<string, Family>;

async function scrape(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${url}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

async function metrics(hub: TestHub): Promise<Families> {
  const r = await scrape(hub.url);
  expect(r.status).toBe(200);
  return parsePrometheusText(r.text);
}

/** A histogram's count for these labels, added over the labels not given (e.g. thread). */
const countOf = (m: Families, name: string, labels: Record<string, string>) =>
  samplesOf(m, `${name}_count`)
    .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);

const HUB_METRICS: Record<string, string> = {
  hub_messages_received_total: 'counter',
  hub_turns_total: 'counter',
  hub_turn_duration_seconds: 'histogram',
  hub_cases_filed_total: 'counter',
  hub_outbox_attempts_total: 'counter',
  hub_outbox_attempt_duration_seconds: 'histogram',
  hub_outbox_jobs: 'gauge',
  hub_outbox_oldest_job_age_seconds: 'gauge',
  hub_deadline_alerts_total: 'counter',
  hub_nlu_duration_seconds: 'histogram',
  hub_processes: 'gauge',
  // prom-client's process metrics (collectDefaultMetrics)
  nodejs_eventloop_lag_seconds: 'gauge',
  nodejs_eventloop_lag_p99_seconds: 'gauge',
  nodejs_heap_size_used_bytes: 'gauge',
  nodejs_gc_duration_seconds: 'histogram',
  process_cpu_seconds_total: 'counter',
};
const POOL_METRICS = [
  'hub_db_pool_connections',
  'hub_db_pool_idle_connections',
  'hub_db_pool_max_connections',
  'hub_db_pool_waiting_clients',
  'hub_db_round_trips_total',
  'hub_db_wait_seconds_total',
  'hub_db_pool_wait_seconds_total',
];

describe('GET /metrics', () => {
  const clock = new TestClock('2026-03-02T08:00:00Z');
  let hub: TestHub;
  let kiosk: KioskChannel;
  beforeAll(async () => {
    hub = await startTestHub({ now: clock.now, env: { DEADLINE_REMINDER_HOURS: '48' } });
    // A channel with a deliverer: its replies go through the outbox (push:kiosk).
    kiosk = new KioskChannel();
    await hub.channels.connect(kiosk);
  });
  afterAll(async () => hub?.drop());

  it('answers in Prometheus text format, every metric declared with its help and type', async () => {
    const r = await scrape(hub.url);
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const m = parsePrometheusText(r.text);
    for (const [name, type] of Object.entries(HUB_METRICS)) expect({ name, type: m.get(name)?.type }).toEqual({ name, type });
    for (const f of m.values()) expect(f.help.length, f.name).toBeGreaterThan(0);
    expect(valueOf(m, 'hub_processes')).toBe(1);
    // The SQL driver's pool is PostgreSQL's; SQLite has one connection.
    for (const name of POOL_METRICS) expect(m.has(name), name).toBe(TEST_PROVIDER === 'postgresql');
    if (TEST_PROVIDER === 'postgresql') expect(valueOf(m, 'hub_db_pool_max_connections')).toBeGreaterThan(0);
  });

  it('has every metric the Grafana dashboard queries (docs/grafana-dashboard.json)', async () => {
    const dashboard = JSON.parse(readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8')) as {
      templating: { list: { name: string; type: string }[] };
      panels: { type: string; datasource?: { uid: string }; targets?: { expr: string; datasource: { uid: string } }[] }[];
    };
    expect(dashboard.templating.list.find((v) => v.name === 'datasource')?.type).toBe('datasource');
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []);
    expect(exprs.length).toBeGreaterThan(15);
    for (const p of dashboard.panels.filter((x) => x.type !== 'row')) expect(p.datasource?.uid).toBe('${datasource}');
    for (const t of exprs) expect(t.datasource.uid).toBe('${datasource}');
    const m = await metrics(hub);
    const queried = new Set(exprs.flatMap((t) => t.expr.match(/\b(hub|nodejs|process)_[a-z0-9_]+/g) ?? []));
    for (const name of queried) {
      const family = name.replace(/_(bucket|sum|count)$/, '');
      if (POOL_METRICS.includes(family) && TEST_PROVIDER === 'sqlite') continue;
      expect(m.has(family) || m.has(name), name).toBe(true);
    }
  });

  it('rejects what Prometheus would: the format check can fail', () => {
    expect(() => parsePrometheusText('# HELP a_total A.\n# TYPE a_total counter\na_total 1\n')).not.toThrow();
    expect(() => parsePrometheusText('a_total 1\n')).toThrow(/no declared family/);
    expect(() => parsePrometheusText('# TYPE a gauge\na 1\n')).toThrow(/HELP/);
    expect(() => parsePrometheusText('# HELP a A.\n# TYPE a gauge\na{x="1} 1\n')).toThrow();
    expect(() => parsePrometheusText('# HELP a A.\n# TYPE a gauge\na one\n')).toThrow(/value/);
    expect(() => parsePrometheusText('# HELP h H.\n# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n')).toThrow(/cumulative/);
  });

  it('moves when a web chat message is handled: the message, its turn, its understanding', async () => {
    const before = await metrics(hub);
    const client = await WebchatClient.open(hub.url, 'zh-CN');
    const text = '我们小区的路灯坏了一个多月了，晚上出门很不安全';
    const id = 'metrics-msg-1';
    await client.say(text, id);
    const after = await metrics(hub);
    const taken = { channel: 'webchat', outcome: 'taken' };
    expect(valueOf(after, 'hub_messages_received_total', taken) - valueOf(before, 'hub_messages_received_total', taken)).toBe(1);
    const answered = { channel: 'webchat', outcome: 'answered' };
    expect(valueOf(after, 'hub_turns_total', answered) - valueOf(before, 'hub_turns_total', answered)).toBe(1);
    expect(countOf(after, 'hub_turn_duration_seconds', { channel: 'webchat' }) - countOf(before, 'hub_turn_duration_seconds', { channel: 'webchat' })).toBe(1);
    expect(valueOf(after, 'hub_turn_duration_seconds_sum', { channel: 'webchat' })).toBeGreaterThan(valueOf(before, 'hub_turn_duration_seconds_sum', { channel: 'webchat' }));
    // Test hubs understand on their own thread unless TEST_HUB_THREADS=1 gives them an NLU thread.
    const understood = { call: 'understand', thread: String(process.env.TEST_HUB_THREADS === '1') };
    expect(countOf(after, 'hub_nlu_duration_seconds', understood) - countOf(before, 'hub_nlu_duration_seconds', understood)).toBe(1);
    if (TEST_PROVIDER === 'postgresql') {
      // The turn's commit at least, through the driver's pool, and the time it waited for the answer.
      expect(valueOf(after, 'hub_db_round_trips_total', { pool: 'driver' })).toBeGreaterThan(valueOf(before, 'hub_db_round_trips_total', { pool: 'driver' }));
      expect(valueOf(after, 'hub_db_wait_seconds_total', { pool: 'driver' })).toBeGreaterThan(valueOf(before, 'hub_db_wait_seconds_total', { pool: 'driver' }));
    }

    // The same message again (a retry) is a duplicate, not a second message taken.
    expect((await client.post(text, id)).status).toBe(200);
    const again = await metrics(hub);
    expect(valueOf(again, 'hub_messages_received_total', { channel: 'webchat', outcome: 'duplicate' })).toBe(valueOf(after, 'hub_messages_received_total', { channel: 'webchat', outcome: 'duplicate' }) + 1);
    expect(valueOf(again, 'hub_messages_received_total', taken)).toBe(valueOf(after, 'hub_messages_received_total', taken));

    // Labels are names from a small set: never the conversation, the person or what they wrote.
    const exposition = (await scrape(hub.url)).text;
    for (const secret of [client.sessionId, client.token, text, id]) expect(exposition).not.toContain(secret);
  });

  it('counts a pushing channel’s messages, refusals and retries, and shows the outbox’s depth and age', async () => {
    const person = 'metrics-kiosk-1';
    const base = await metrics(hub);
    const attempts = (m: Families, outcome: string) => valueOf(m, 'hub_outbox_attempts_total', { kind: 'push:kiosk', outcome });

    kiosk.failing = () => new Error('the kiosk screen is off');
    await kiosk.connected.receive({ senderId: person, messageId: 'k-metrics-1', text: '你好，我想反映个情况' }, 'push');
    await eventually(() => metrics(hub), (m) => attempts(m, 'retry') > attempts(base, 'retry'));
    clock.set(new Date(clock.now().getTime() + 90_000));
    const waiting = await metrics(hub);
    const jobs = (m: Families, state: string) => valueOf(m, 'hub_outbox_jobs', { kind: 'push:kiosk', state });
    expect(jobs(waiting, 'due') + jobs(waiting, 'waiting')).toBe(1);
    // Created at the first message; ninety seconds of the hub's clock have passed since.
    expect(valueOf(waiting, 'hub_outbox_oldest_job_age_seconds', { kind: 'push:kiosk' })).toBe(90);
    expect(valueOf(waiting, 'hub_messages_received_total', { channel: 'kiosk', outcome: 'taken' })).toBe(valueOf(base, 'hub_messages_received_total', { channel: 'kiosk', outcome: 'taken' }) + 1);

    kiosk.failing = null;
    clock.set(new Date(clock.now().getTime() + 10 * 60_000));
    await hub.outbox.runDue();
    const sent = await eventually(() => metrics(hub), (m) => attempts(m, 'sent') > attempts(base, 'sent'));
    expect(jobs(sent, 'due') + jobs(sent, 'waiting')).toBe(0);
    expect(sent.get('hub_outbox_oldest_job_age_seconds')?.samples.filter((s) => s.labels.kind === 'push:kiosk')).toEqual([]);
    const tried = ['sent', 'retry', 'dead'].reduce((n, o) => n + attempts(sent, o) - attempts(base, o), 0);
    expect(countOf(sent, 'hub_outbox_attempt_duration_seconds', { kind: 'push:kiosk' }) - countOf(base, 'hub_outbox_attempt_duration_seconds', { kind: 'push:kiosk' })).toBe(tried);

    // Nothing to say (an empty message) is refused, with an apology; its retry is a duplicate.
    await kiosk.connected.receive({ senderId: person, messageId: 'k-metrics-2', text: '' }, 'push');
    await kiosk.connected.receive({ senderId: person, messageId: 'k-metrics-3', text: '路灯坏了' }, 'push');
    await kiosk.connected.receive({ senderId: person, messageId: 'k-metrics-3', text: '路灯坏了' }, 'push');
    const later = await metrics(hub);
    for (const [outcome, n] of [['refused', 1], ['duplicate', 1], ['taken', 2]] as const) {
      const labels = { channel: 'kiosk', outcome };
      expect({ outcome, n: valueOf(later, 'hub_messages_received_total', labels) - valueOf(base, 'hub_messages_received_total', labels) }).toEqual({ outcome, n });
    }
  });

  it('counts a dead letter and shows it apart from the jobs still to be sent', async () => {
    const base = await metrics(hub);
    kiosk.failing = () => new Unreachable('the kiosk was taken away');
    try {
      await kiosk.connected.receive({ senderId: 'metrics-kiosk-2', messageId: 'k-dead-1', text: '你好' }, 'push');
      const dead = await eventually(
        () => metrics(hub),
        (m) => valueOf(m, 'hub_outbox_attempts_total', { kind: 'push:kiosk', outcome: 'dead' }) > valueOf(base, 'hub_outbox_attempts_total', { kind: 'push:kiosk', outcome: 'dead' }),
      );
      expect(valueOf(dead, 'hub_outbox_jobs', { kind: 'push:kiosk', state: 'dead' })).toBe(1);
      expect(valueOf(dead, 'hub_outbox_jobs', { kind: 'push:kiosk', state: 'due' }) + valueOf(dead, 'hub_outbox_jobs', { kind: 'push:kiosk', state: 'waiting' })).toBe(0);
      // A dead letter waits for a person, not for the outbox: it does not age the queue.
      expect(dead.get('hub_outbox_oldest_job_age_seconds')?.samples.filter((s) => s.labels.kind === 'push:kiosk')).toEqual([]);
    } finally {
      kiosk.failing = null;
    }
  });

  it('counts cases filed by category, and deadline reminders and escalations', async () => {
    const before = await metrics(hub);
    const { ref } = await fileLabourCase(hub.url);
    const c = await api<{ category: string }>(hub.url, `/api/cases/${ref}`, { token: ADMIN_TOKEN });
    const category = { category: c.body.category };
    expect(valueOf(await metrics(hub), 'hub_cases_filed_total', category) - valueOf(before, 'hub_cases_filed_total', category)).toBe(1);

    const alerts = (m: Families, stage: string) => valueOf(m, 'hub_deadline_alerts_total', { deadline: 'acceptance', stage });
    clock.set(new Date(clock.now().getTime() + 14 * 86_400_000)); // within 48 hours of acceptance being due
    await hub.deadlines.runDue();
    const reminded = await metrics(hub);
    expect(alerts(reminded, 'reminder') - alerts(before, 'reminder')).toBe(1);
    expect(alerts(reminded, 'overdue') - alerts(before, 'overdue')).toBe(0);
    clock.set(new Date(clock.now().getTime() + 2 * 86_400_000));
    await hub.deadlines.runDue();
    await hub.deadlines.runDue();
    expect(alerts(await metrics(hub), 'overdue') - alerts(before, 'overdue')).toBe(1);
  });

  it('answers only this machine when no METRICS_TOKEN is set', async () => {
    // The hub trusts X-Forwarded-For from a proxy on this machine: this is a request a local
    // reverse proxy passed on from elsewhere.
    const remote = await scrape(hub.url, { 'x-forwarded-for': '203.0.113.7' });
    expect(remote.status).toBe(403);
    expect(remote.text).not.toContain('hub_');
    expect((await scrape(hub.url, { 'x-forwarded-for': '127.0.0.1' })).status).toBe(200);
    // A bearer token is no use when none is configured.
    expect((await scrape(hub.url, { 'x-forwarded-for': '203.0.113.7', authorization: 'Bearer anything' })).status).toBe(403);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const token = 'metrics-token-0123456789abcdef';
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: { METRICS_TOKEN: token } });
  });
  afterAll(async () => hub?.drop());

  it('needs the token, from anywhere, even this machine', async () => {
    const none = await scrape(hub.url);
    expect(none.status).toBe(401);
    expect(none.text).not.toContain('hub_');
    expect((await scrape(hub.url, { authorization: `Bearer ${token}x` })).status).toBe(401);
    expect((await scrape(hub.url, { authorization: token })).status).toBe(401);
    expect((await scrape(hub.url, { authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(401);
    const ok = await scrape(hub.url, { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.7' });
    expect(ok.status).toBe(200);
    expect(parsePrometheusText(ok.text).has('hub_messages_received_total')).toBe(true);
  });
});

describe('who may read /metrics', () => {
  it('knows this machine’s addresses', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect({ a, loopback: isLoopback(a) }).toEqual({ a, loopback: true });
    for (const a of ['10.0.0.1', '192.168.1.1', '::ffff:10.0.0.1', '::2', 'fe80::1', '203.0.113.7', 'localhost', '', undefined]) {
      expect({ a, loopback: isLoopback(a) }).toEqual({ a, loopback: false });
    }
  });

  it('decides by the token when there is one, by the address when not', () => {
    expect(metricsAccess(undefined, undefined, '127.0.0.1')).toBe('allowed');
    expect(metricsAccess(undefined, 'Bearer x', '10.0.0.1')).toBe('forbidden');
    expect(metricsAccess('s3cret', undefined, '127.0.0.1')).toBe('unauthorized');
    expect(metricsAccess('s3cret', 'Bearer s3cre', '127.0.0.1')).toBe('unauthorized');
    expect(metricsAccess('s3cret', 'Bearer s3cret', '10.0.0.1')).toBe('allowed');
    expect(metricsAccess('s3cret', 'bearer s3cret', '10.0.0.1')).toBe('allowed');
  });
});
