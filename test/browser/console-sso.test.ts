/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { freePort } from '../../bench/lib-hub.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { launchBrowser, openPage, runBrowser } from '../helpers/browser.js';
import { createAccount } from '../helpers/console-client.js';
import { startFakeOidc } from '../helpers/fake-oidc.js';

/**
 * The provider is another site (localhost against the hub's 127.0.0.1), as a real one is: the
 * browser comes back from it on a cross-site navigation, when SameSite=Strict cookies are withheld.
 */
describe.runIf(runBrowser)('console single sign-on in a real browser', () => {
  let hub: TestHub;
  let browser: Browser;
  let provider: Awaited<ReturnType<typeof startFakeOidc>>;

  beforeAll(async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    provider = await startFakeOidc({ id: 'petition-hub', secret: 'client-secret-2', redirectUri: `${base}/console/sso/callback` }, { hostname: 'localhost', interactive: true });
    hub = await startTestHub({ env: { PORT: String(port), PUBLIC_URL: base, OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: 'petition-hub', OIDC_CLIENT_SECRET: 'client-secret-2' } });
    await createAccount(hub, { username: 'chen', displayName: '陈静', role: 'officer', departments: ['housing_construction'], password: undefined });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.drop();
    await provider?.close();
  });

  it('comes back from the provider signed in, on the page the officer had asked for', async () => {
    provider.signedIn = { sub: 'staff-42', preferred_username: 'chen' };
    const { page, problems } = await openPage(browser, `${hub.url}/console/account`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await page.getByRole('link', { name: '使用单位账号登录' }).click();
    await page.getByRole('button', { name: 'Continue as chen' }).click();
    await page.waitForURL(`${hub.url}/console/account`);
    await expect.poll(() => page.locator('dd').first().textContent()).toBe('chen');
    expect(problems, problems.join("\n")).toEqual([]);
  });
});
