import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/lib-hub.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { ConsoleClient, createAccount } from '../helpers/console-client.js';
import { startFakeOidc } from '../helpers/fake-oidc.js';

let hub: TestHub;
let provider: Awaited<ReturnType<typeof startFakeOidc>>;

beforeAll(async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  provider = await startFakeOidc({ id: 'petition-hub', secret: 'client-secret-1', redirectUri: `${base}/console/sso/callback` });
  hub = await startTestHub({ env: { PORT: String(port), PUBLIC_URL: base, OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: 'petition-hub', OIDC_CLIENT_SECRET: 'client-secret-1' } });
  await createAccount(hub, { username: 'chen', displayName: '陈静', role: 'officer', departments: ['housing_construction'], password: undefined });
  await createAccount(hub, { username: 'li', displayName: '李明', role: 'officer', departments: ['human_resources_social_security'] });
  const gone = await createAccount(hub, { username: 'gone', displayName: 'Gone', role: 'officer', departments: ['housing_construction'] });
  await hub.db.account.update({ where: { id: gone.id }, data: { disabledAt: new Date() } });
});

afterAll(async () => {
  await hub?.drop();
  await provider?.close();
});

/** Goes to the provider and back as a browser would (the provider signs in whoever `provider.signedIn` is). */
async function throughProvider(c: ConsoleClient, next = '/console') {
  const start = await c.get(`/console/sso?next=${encodeURIComponent(next)}`);
  expect(start.status).toBe(303);
  const authorize = new URL(start.location as string);
  expect(authorize.origin).toBe(provider.issuer);
  const atProvider = await fetch(authorize, { redirect: 'manual' });
  expect(atProvider.status).toBe(302);
  return { callback: new URL(atProvider.headers.get('location') as string), authorize };
}

async function signInAs(sub: string, username: string | undefined, next = '/console') {
  provider.signedIn = { sub, preferred_username: username };
  const c = new ConsoleClient(hub.url);
  const { callback } = await throughProvider(c, next);
  const back = await c.get(callback.pathname + callback.search);
  return { c, back };
}

const boundSubject = async (username: string) => (await hub.db.account.findUniqueOrThrow({ where: { username } })).oidcSubject;

describe('single sign-on (OpenID Connect)', () => {
  it('offers the organisation sign-in on the sign-in page', async () => {
    const page = await new ConsoleClient(hub.url).get('/console/sign-in');
    expect(page.text).toContain('href="/console/sso?next=%2Fconsole"');
  });

  it('asks the provider for a code with PKCE, state and nonce, and keeps them in a short-lived cookie', async () => {
    const c = new ConsoleClient(hub.url);
    provider.signedIn = null;
    const { authorize } = await throughProvider(c);
    for (const p of ['state', 'nonce', 'code_challenge']) expect(authorize.searchParams.get(p)).toBeTruthy();
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const start = await fetch(new URL('/console/sso', hub.url), { redirect: 'manual' });
    const cookie = start.headers.getSetCookie().join('\n');
    expect(cookie).toMatch(/hub_console_sso=.+; Max-Age=600; Path=\/console\/sso; HttpOnly; SameSite=Lax/);
  });

  it('signs in the account the provider names, binds it to the provider’s subject, and goes on to where the officer was going', async () => {
    const { c, back } = await signInAs('u-100', 'Chen', '/console/account');
    expect(back.status).toBe(200);
    expect(back.text).toContain('<meta http-equiv="refresh" content="0;url=/console/account">');
    expect([...c.jar.keys()]).toEqual(['hub_console']); // the pending cookie is gone
    const account = await c.get('/console/account');
    expect(account.status).toBe(200);
    expect(account.text).toContain('chen');
    expect(await boundSubject('chen')).toBe(`${provider.issuer} u-100`);
  });

  it('keeps the account with the subject: a rename at the provider still signs in, another person with the old name does not', async () => {
    const renamed = await signInAs('u-100', 'chen.jing');
    expect(renamed.back.status).toBe(200);
    expect((await renamed.c.get('/console/account')).text).toContain('陈静');
    const impostor = await signInAs('u-999', 'chen');
    expect(impostor.back.status).toBe(403);
    expect(impostor.back.text).toContain('没有与您的单位账号对应的账户');
    expect(impostor.c.jar.has('hub_console')).toBe(false);
  });

  it('refuses someone with no account here, or a disabled one, with a page and no session', async () => {
    for (const name of ['nobody', 'gone', undefined]) {
      const { c, back } = await signInAs(`u-${name}`, name);
      expect(back.status).toBe(403);
      expect(c.jar.has('hub_console')).toBe(false);
    }
    expect(await boundSubject('gone')).toBeNull();
  });

  it('refuses a callback it did not start, one with another state, a tampered ID token, and a cancelled sign-in', async () => {
    provider.signedIn = { sub: 'u-200', preferred_username: 'li' };
    // Started in another browser (login CSRF): no pending cookie here; the code is not even exchanged.
    const other = new ConsoleClient(hub.url);
    const { callback } = await throughProvider(other);
    const before = provider.tokenRequests;
    const elsewhere = await new ConsoleClient(hub.url).get(callback.pathname + callback.search);
    expect(elsewhere.status).toBe(401);
    expect(provider.tokenRequests).toBe(before);

    const c = new ConsoleClient(hub.url);
    const second = await throughProvider(c);
    second.callback.searchParams.set('state', 'forged');
    expect((await c.get(second.callback.pathname + second.callback.search)).status).toBe(401);

    provider.tamperNonce = true;
    try {
      const d = new ConsoleClient(hub.url);
      const third = await throughProvider(d);
      const r = await d.get(third.callback.pathname + third.callback.search);
      expect(r.status).toBe(401);
      expect(r.text).toContain('单位账号登录未成功');
      expect(d.jar.has('hub_console')).toBe(false);
    } finally {
      provider.tamperNonce = false;
    }

    provider.signedIn = null;
    const e = new ConsoleClient(hub.url);
    const cancelled = await throughProvider(e);
    expect(cancelled.callback.searchParams.get('error')).toBe('access_denied');
    expect((await e.get(cancelled.callback.pathname + cancelled.callback.search)).status).toBe(401);
    expect(await boundSubject('li')).toBeNull();
  });

  it('lets an admin create an account without a password, which then signs in through the provider only', async () => {
    await createAccount(hub, { username: 'ada', displayName: 'Ada', role: 'admin' });
    const ada = await ConsoleClient.signIn(hub.url, 'ada');
    const form = await ada.get('/console/admin/accounts');
    expect(form.text).toMatch(/<input name="password" type="password" minlength="10"/); // not required
    const created = await ada.post('/console/admin/accounts', { username: 'zhou', displayName: '周', role: 'supervisor', password: '' });
    expect(created.status).toBe(201);
    expect((await hub.db.account.findUniqueOrThrow({ where: { username: 'zhou' } })).passwordHash).toBeNull();
    expect((await new ConsoleClient(hub.url).signInWith('zhou', '')).status).toBe(401);
    const { back } = await signInAs('u-300', 'zhou');
    expect(back.status).toBe(200);
  });

  it('leaves passwords working beside it', async () => {
    await expect(ConsoleClient.signIn(hub.url, 'li')).resolves.toBeInstanceOf(ConsoleClient);
  });
});
