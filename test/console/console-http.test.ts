import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, ADMIN_TOKEN, type TestHub } from '../helpers/hub.js';
import { ConsoleClient, createAccount, PASSWORD } from '../helpers/console-client.js';
import { fileLabourCase } from '../helpers/petitions.js';
import { fileByWebchat } from '../helpers/intake.js';
import { api } from '../helpers/webchat-client.js';
import { eventually } from '../helpers/eventually.js';

const LABOUR = 'human_resources_social_security';

let hub: TestHub;
let labourCase: string;
let client: Awaited<ReturnType<typeof fileLabourCase>>['client'];

async function caseRow(ref: string) {
  return hub.db.case.findUniqueOrThrow({ where: { trackingNumber: ref } });
}

async function eventsOf(ref: string) {
  const c = await caseRow(ref);
  return hub.db.caseEvent.findMany({ where: { caseId: c.id }, orderBy: { createdAt: 'asc' } });
}

beforeAll(async () => {
  hub = await startTestHub();
  await createAccount(hub, { username: 'li', displayName: '李明', role: 'officer', departments: [LABOUR] });
  await createAccount(hub, { username: 'wang', displayName: '王芳', role: 'officer', departments: ['housing_construction'] });
  await createAccount(hub, { username: 'zhao', displayName: '赵强', role: 'officer', departments: [LABOUR, 'general_intake'] });
  await createAccount(hub, { username: 'boss', displayName: 'Chief', role: 'supervisor', locale: 'en' });
  ({ client, ref: labourCase } = await fileLabourCase(hub.url));
  expect((await caseRow(labourCase)).department).toBe(LABOUR);
});

afterAll(async () => {
  await hub?.drop();
});

describe('signing in', () => {
  it('sends a visitor without a session to the sign-in page, and a wrong password gets a page, not a session', async () => {
    const anonymous = new ConsoleClient(hub.url);
    const first = await anonymous.get('/console/cases/XF-1?x=1');
    expect(first.status).toBe(303);
    expect(first.location).toBe(`/console/sign-in?next=${encodeURIComponent('/console/cases/XF-1?x=1')}`);
    const wrong = await anonymous.signInWith('li', 'not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('用户名或密码不正确');
    expect(anonymous.cookie).toBe('');
  });

  it('offers no organisation sign-in when single sign-on is not configured', async () => {
    const anonymous = new ConsoleClient(hub.url);
    expect((await anonymous.get('/console/sign-in')).text).not.toContain('/console/sso');
    expect((await anonymous.get('/console/sso')).status).toBe(404);
  });

  it('sets an httpOnly, SameSite=Strict session cookie and only goes on to console addresses', async () => {
    const r = await fetch(new URL('/console/sign-in', hub.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'LI', password: PASSWORD, next: 'https://evil.example/' }),
    });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/console');
    const cookie = r.headers.getSetCookie().join('\n');
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });

  it('locks an account after five wrong passwords, even against the right one, and records nothing in the open', async () => {
    await createAccount(hub, { username: 'victim', displayName: 'Victim', role: 'officer', departments: [LABOUR] });
    const guesser = new ConsoleClient(hub.url);
    for (let i = 0; i < 5; i++) expect((await guesser.signInWith('victim', `guess ${i} wrong`)).status).toBe(401);
    const right = await guesser.signInWith('victim', PASSWORD);
    expect(right.status).toBe(429);
    expect(right.text).toContain('锁定');
    const row = await hub.db.account.findUniqueOrThrow({ where: { username: 'victim' } });
    expect(row.lockedUntil).not.toBeNull();
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('signs out everywhere: every browser of the account loses its session', async () => {
    const laptop = await ConsoleClient.signIn(hub.url, 'boss');
    const tablet = await ConsoleClient.signIn(hub.url, 'boss');
    expect((await tablet.get('/console')).status).toBe(200);
    expect((await laptop.post('/console/sign-out-everywhere', {})).status).toBe(303);
    expect((await tablet.get('/console')).status).toBe(303);
  });
});

describe('who sees which case', () => {
  it("lists a case for its department's officer and not for another department's, who cannot open it by its address either", async () => {
    const li = await ConsoleClient.signIn(hub.url, 'li');
    expect((await li.get('/console')).text).toContain(labourCase);
    const wang = await ConsoleClient.signIn(hub.url, 'wang');
    expect((await wang.get('/console')).text).not.toContain(labourCase);
    const byUrl = await wang.get(`/console/cases/${labourCase}`);
    expect(byUrl.status).toBe(404);
    expect(byUrl.text).not.toContain('宏达');
  });

  it('never shows a complaint about one of the officer’s own departments', async () => {
    const { ref } = await fileByWebchat(hub.url, '我去人社局反映欠薪问题，人社局劳动监察大队的工作人员推诿不管，态度很差。', {
      location: '深圳市宝安区', time: '上个月', desiredOutcome: '希望查处推诿的工作人员', contactName: '周雪', contactPhone: '13711112222',
    });
    const c = await caseRow(ref);
    expect(c.department).not.toBe(LABOUR);
    // zhao works for the labour bureau and for general intake, where such a complaint goes.
    const zhao = await ConsoleClient.signIn(hub.url, 'zhao');
    expect((await zhao.get('/console?status=all')).text).not.toContain(ref);
    expect((await zhao.get(`/console/cases/${ref}`)).status).toBe(404);
    const boss = await ConsoleClient.signIn(hub.url, 'boss');
    expect((await boss.get(`/console/cases/${ref}`)).status).toBe(200);
  });

  it('keeps a petition that names the officer from them, and records the refusal', async () => {
    const { ref } = await fileByWebchat(hub.url, '我在宏达电子厂被拖欠了三个月工资，经办的工作人员李明收了老板的好处，一直压着不处理。', {
      location: '深圳市宝安区', time: '今年三月', desiredOutcome: '希望换人处理', contactName: '孙浩', contactPhone: '13622223333',
    });
    const c = await caseRow(ref);
    expect(c.department).toBe(LABOUR);
    const li = await ConsoleClient.signIn(hub.url, 'li');
    expect((await li.get('/console?status=all')).text).not.toContain(ref);
    expect((await li.get(`/console/cases/${ref}`)).status).toBe(404);
    const refused = await hub.db.caseEvent.findMany({ where: { caseId: c.id, type: 'access_refused' } });
    expect(refused.map((e) => e.actor)).toContain('console:li');
  });
});

describe('groups across departments', () => {
  it('names only the group members the officer may see, and gives the group’s size', async () => {
    const { ref: mine } = await fileLabourCase(hub.url);
    const { ref: theirs } = await fileLabourCase(hub.url);
    const groupId = 'group-across-departments';
    await hub.db.caseGroup.create({ data: { id: groupId, category: 'labour_wages' } });
    await hub.db.case.update({ where: { trackingNumber: theirs }, data: { department: 'housing_construction', groupId } });
    await hub.db.case.update({ where: { trackingNumber: mine }, data: { groupId } });
    const li = await ConsoleClient.signIn(hub.url, 'li');
    const page = (await li.get(`/console/cases/${mine}`)).text;
    expect(page).toMatch(/\(2\)/);
    expect(page).not.toContain(theirs);
    const boss = await ConsoleClient.signIn(hub.url, 'boss');
    expect((await boss.get(`/console/cases/${mine}`)).text).toContain(theirs);
  });
});

describe('working a case', () => {
  it('refuses a form without the session’s CSRF token or from another site, and changes nothing', async () => {
    const li = await ConsoleClient.signIn(hub.url, 'li');
    const noToken = await li.post(`/console/cases/${labourCase}/actions`, { action: 'accept' }, { csrf: 'forged' });
    expect(noToken.status).toBe(403);
    const crossSite = await li.post(`/console/cases/${labourCase}/actions`, { action: 'accept' }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect((await caseRow(labourCase)).status).toBe('submitted');
  });

  it('masks personal data until the officer reveals it, and records the reveal', async () => {
    const li = await ConsoleClient.signIn(hub.url, 'li');
    const masked = await li.get(`/console/cases/${labourCase}`);
    expect(masked.text).not.toContain('13912345678');
    expect(masked.text).not.toContain('李建国');
    expect(masked.text).toContain('139****5678');
    expect((await li.post(`/console/cases/${labourCase}/reveal`, {})).status).toBe(303);
    const shown = await li.get(`/console/cases/${labourCase}`);
    expect(shown.text).toContain('13912345678');
    expect(shown.text).toContain('李建国');
    const views = (await eventsOf(labourCase)).filter((e) => e.type === 'viewed' && e.actor === 'console:li');
    expect(views).toHaveLength(1);
    expect(JSON.parse(views[0].data ?? '{}')).toEqual({ via: 'console' });
    // Another officer's screen stays masked: the reveal was li's.
    const zhao = await ConsoleClient.signIn(hub.url, 'zhao');
    expect((await zhao.get(`/console/cases/${labourCase}`)).text).not.toContain('13912345678');
  });

  it('accepts and replies; the petitioner’s web chat receives the reply; a note stays among officers', async () => {
    const li = await ConsoleClient.signIn(hub.url, 'li');
    const accepted = await li.post(`/console/cases/${labourCase}/actions`, { action: 'accept' });
    expect(accepted.status).toBe(303);
    expect(accepted.location).toBe(`/console/cases/${labourCase}?done=accept`);
    expect((await li.get(accepted.location as string)).text).toContain('已完成：受理');
    const reply = await li.post(`/console/cases/${labourCase}/actions`, { action: 'reply', text: '您好，我们已联系宏达电子厂核实欠薪情况。' });
    expect(reply.status).toBe(303);
    const note = await li.post(`/console/cases/${labourCase}/actions`, { action: 'note', text: '老板电话打不通，明天上门' });
    expect(note.status).toBe(303);
    const history = await eventually(() => client.history(), (h) => h.some((m) => m.role === 'officer' && m.text.includes('已联系宏达电子厂')));
    expect(history.some((m) => m.text.includes('明天上门'))).toBe(false);
    const events = await eventsOf(labourCase);
    expect(events.filter((e) => ['accept', 'reply', 'note'].includes(e.type)).map((e) => [e.type, e.actor])).toEqual([
      ['accept', 'console:li'], ['reply', 'console:li'], ['note', 'console:li'],
    ]);
    expect((await caseRow(labourCase)).status).toBe('accepted');
    expect((await li.get(`/console/cases/${labourCase}`)).text).toContain('老板电话打不通');
  });

  it('shows why an action was refused on the case page, in the officer’s language', async () => {
    const li = await ConsoleClient.signIn(hub.url, 'li');
    const r = await li.post(`/console/cases/${labourCase}/actions`, { action: 'reject', text: 'x' });
    expect(r.status).toBe(409);
    expect(r.text).toContain('案件当前状态不允许此操作');
  });
});

describe('search, live updates, lists', () => {
  it('finds a case by words of its petition, Chinese included, within the officer’s cases', async () => {
    const li = await ConsoleClient.signIn(hub.url, 'li');
    expect((await li.get(`/console?status=all&q=${encodeURIComponent('电子厂 工资')}`)).text).toContain(labourCase);
    expect((await li.get(`/console?status=all&q=${encodeURIComponent('噪音扰民')}`)).text).not.toContain(labourCase);
    const wang = await ConsoleClient.signIn(hub.url, 'wang');
    expect((await wang.get(`/console?status=all&q=${encodeURIComponent('电子厂')}`)).text).not.toContain(labourCase);
    expect((await li.get(`/console?q=${'x'.repeat(201)}`)).status).toBe(400);
  });

  it('tells an open console that something changed when a case is filed', async () => {
    const li = await ConsoleClient.signIn(hub.url, 'li');
    const controller = new AbortController();
    const r = await fetch(new URL('/console/events', hub.url), { headers: { cookie: li.cookie }, signal: controller.signal });
    expect(r.headers.get('content-type')).toContain('text/event-stream');
    const reader = (r.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    const changed = (async () => {
      while (!seen.includes('event: change')) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += new TextDecoder().decode(value);
      }
    })();
    await fileLabourCase(hub.url);
    await changed;
    controller.abort();
    expect(seen).toContain('event: change');
  });

  it('exports the filtered list as CSV that a spreadsheet reads as UTF-8', async () => {
    const li = await ConsoleClient.signIn(hub.url, 'li');
    const r = await fetch(new URL('/console/inbox.csv?status=all', hub.url), { headers: { cookie: li.cookie } });
    expect(r.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await r.arrayBuffer());
    // The BOM lets spreadsheet programs read the Chinese as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain(labourCase);
  });
});

describe('assets', () => {
  it('serves ECharts gzipped to browsers that take it, and as published to others', async () => {
    const published = readFileSync('node_modules/echarts/dist/echarts.min.js', 'utf8');
    const gz = await fetch(new URL('/console/vendor/echarts.min.js', hub.url), { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(Number(gz.headers.get('content-length'))).toBeLessThan(published.length / 2);
    expect(await gz.text()).toBe(published);
    const plain = await fetch(new URL('/console/vendor/echarts.min.js', hub.url), { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect((await plain.text()).length).toBe(published.length);
  });
});

describe('supervisors and personal API tokens', () => {
  it('shows the dashboard to supervisors only', async () => {
    const li = await ConsoleClient.signIn(hub.url, 'li');
    expect((await li.get('/console/dashboard')).status).toBe(403);
    const boss = await ConsoleClient.signIn(hub.url, 'boss');
    const page = await boss.get('/console/dashboard');
    expect(page.status).toBe(200);
    expect(page.text).toContain('lang="en"');
  });

  it('gives a personal token that acts as its owner, with their rights, in their name', async () => {
    const li = await ConsoleClient.signIn(hub.url, 'li');
    const issued = await li.post('/console/account/tokens', { label: 'reporting script' });
    const token = /<code>(hubt_[^<]+)<\/code>/.exec(issued.text)?.[1] as string;
    expect(token).toBeTruthy();
    const own = await api<{ trackingNumber: string }>(hub.url, `/api/cases/${labourCase}`, { token });
    expect(own.status).toBe(200);
    const views = (await eventsOf(labourCase)).filter((e) => e.type === 'viewed' && e.actor === 'console:li');
    expect(views.some((v) => (JSON.parse(v.data ?? '{}') as { via?: string }).via === 'admin_api')).toBe(true);
    const acted = await api(hub.url, `/api/cases/${labourCase}/actions`, { method: 'POST', token, json: { action: 'start', actor: 'someone else' } });
    expect(acted.status).toBe(200);
    expect((await eventsOf(labourCase)).at(-1)).toMatchObject({ type: 'start', actor: 'console:li' });
    expect((await api(hub.url, '/api/stats', { token })).status).toBe(403);
    // Not a case of li's departments: as if it did not exist.
    const other = await hub.db.case.findFirstOrThrow({ where: { department: { not: LABOUR } } });
    expect((await api(hub.url, `/api/cases/${other.trackingNumber}`, { token })).status).toBe(404);
    // Revoked: refused; the shared token goes on working.
    const id = /tokens\/([0-9a-f]{12})\/revoke/.exec((await li.get('/console/account')).text)?.[1] as string;
    expect((await li.post(`/console/account/tokens/${id}/revoke`, {})).status).toBe(303);
    expect((await api(hub.url, `/api/cases/${labourCase}`, { token })).status).toBe(401);
    expect((await api(hub.url, `/api/cases/${labourCase}`, { token: ADMIN_TOKEN })).status).toBe(200);
  });
});

describe('admins manage the accounts', () => {
  it('creates an officer of two departments, who can then sign in; disabling ends their sessions; officers cannot', async () => {
    await createAccount(hub, { username: 'root', displayName: 'Root', role: 'admin' });
    const root = await ConsoleClient.signIn(hub.url, 'root');
    const created = await root.post('/console/admin/accounts', { username: 'qian', displayName: '钱进', role: 'officer', departments: LABOUR, password: 'a long enough password' });
    expect(created.status).toBe(201);
    const weak = await root.post('/console/admin/accounts', { username: 'sun', displayName: '孙', role: 'officer', departments: LABOUR, password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.text).toContain('密码太弱');
    const qian = await ConsoleClient.signIn(hub.url, 'qian', 'a long enough password');
    expect((await qian.get('/console')).text).toContain(labourCase);
    expect((await qian.get('/console/admin/accounts')).status).toBe(403);
    const row = await hub.db.account.findUniqueOrThrow({ where: { username: 'qian' } });
    expect((await root.post(`/console/admin/accounts/${row.id}/disable`, {})).status).toBe(200);
    expect((await qian.get('/console')).status).toBe(303);
    expect((await new ConsoleClient(hub.url).signInWith('qian', 'a long enough password')).status).toBe(401);
  });
});
