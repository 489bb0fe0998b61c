/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api } from '../helpers/webchat-client.js';

const CHROMIUM = '/usr/bin/chromium';
// CI installs Debian's Chromium and sets REQUIRE_BROWSER so a missing browser fails instead of skipping.
const runBrowser = existsSync(CHROMIUM) || process.env.REQUIRE_BROWSER === '1';
const ARTEFACTS = 'test-results/screenshots';

describe.runIf(runBrowser)('the demo page and widget in a real browser', () => {
  let hub: TestHub;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    hub = await startTestHub();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage', '--disable-gpu'],
    });
    mkdirSync(ARTEFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.drop();
  });

  async function open(locale: string, width: number): Promise<Page> {
    const ctx = await browser.newContext({ locale, viewport: { width, height: 720 } });
    const page = await ctx.newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('dialog', (d) => void d.accept());
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective}`)),
    );
    await page.goto(`${hub.url}/`);
    return page;
  }

  const W = (s: string) => `petition-chat ${s}`;

  async function send(page: Page, text: string): Promise<void> {
    const bots = await page.locator(W('li.bot')).count();
    await page.fill(W('textarea'), text);
    await page.press(W('textarea'), 'Enter');
    await page.locator(W('li.bot')).nth(bots).waitFor();
  }

  it('takes a petition from greeting to a filed case, with quick replies, and shows officer messages as text', async () => {
    const page = await open('zh-CN', 1280);
    await page.click(W('.launch'));
    await page.locator(W('li.bot')).first().waitFor();
    expect(await page.locator(W('li.bot .b')).first().innerText()).toContain('您好');

    await send(page, '我家楼下的饭店每天半夜还在营业,油烟和噪音特别大。<img src=x onerror=alert(1)> 我叫周敏,电话13612345678,在武汉市江汉区青年路18号,从上个月开始的,希望让饭店晚上十点后停止营业,我找过社区两次没用,对方是楼下的川味饭店');
    for (let i = 0; i < 6 && (await page.locator(W('.qr button')).count()) === 0; i++) await send(page, '不清楚');
    const quick = await page.locator(W('.qr button')).allInnerTexts();
    expect(quick).toContain('对，提交');
    await page.click(W('.qr button >> nth=0'));
    await page.locator(W('.ref')).waitFor();
    const ref = (await page.locator(W('.ref')).innerText()).trim();
    expect(ref).toMatch(/^XF-\d{6}-[A-Z2-9]{5}$/);
    expect(await page.evaluate(() => document.querySelector('petition-chat')?.shadowRoot?.querySelectorAll('img').length)).toBe(0);
    expect(await page.locator(W('li.petitioner .b')).first().innerText()).toContain('<img src=x onerror=alert(1)>');
    await page.screenshot({ path: `${ARTEFACTS}/desktop-1280.png` });

    // An officer's reply arrives over the socket and is rendered as text, never as markup.
    await api(hub.url, `/api/cases/${ref}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'reply', text: '<b>已联系</b>城管', actor: 'officer:1' } });
    await page.locator(W('li.officer')).waitFor();
    expect(await page.locator(W('li.officer .b')).innerText()).toContain('<b>已联系</b>城管');

    // A reload resumes the same conversation from the server.
    const before = await page.locator(W('li.m')).count();
    await page.reload();
    await page.click(W('.launch'));
    await page.locator(W('li.officer')).waitFor();
    expect(await page.locator(W('li.m')).count()).toBe(before);
    expect(problems).toEqual([]);
  });

  it('works in English at 320 px', async () => {
    const page = await open('en-GB', 320);
    await page.click(W('.launch'));
    await page.locator(W('li.bot')).first().waitFor();
    expect(await page.locator(W('li.bot .b')).first().innerText()).toContain('Hello, and welcome');
    await send(page, 'The streetlights on Elm Street have been broken for two months');
    expect(await page.locator(W('li.bot .b')).last().innerText()).toMatch(/\?|go on|carry on/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(320);
    await page.screenshot({ path: `${ARTEFACTS}/mobile-320.png` });
    expect(problems).toEqual([]);
  });
});
