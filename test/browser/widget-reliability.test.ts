/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Route } from 'playwright-core';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { WebchatClient } from '../helpers/webchat-client.js';
import { launchBrowser, openPage, runBrowser, say, serverHistory, shownMessages, storedSession, W, type OpenedPage } from '../helpers/browser.js';

const QUEUED = '未发送，连接恢复后自动重发';
const SENT = '已发送';
/**
 * The browser reports refused connections while the hub is down, and the hub's 503 (starting) while
 * it comes back; those are expected here.
 */
const unexpected = (problems: string[]) =>
  problems.filter((p) => !/ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|WebSocket connection to .* failed|status of 503/.test(p));

describe.runIf(runBrowser)('delivery when the hub goes away and comes back', () => {
  let first: TestHub;
  let second: TestHub | undefined;
  let third: TestHub | undefined;
  let browser: Browser;
  let opened: OpenedPage;
  let page: Page;

  beforeAll(async () => {
    first = await startTestHub();
    browser = await launchBrowser();
    opened = await openPage(browser, `${first.url}/`, { locale: 'zh-CN' });
    page = opened.page;
  });
  afterAll(async () => {
    await browser?.close();
    await first?.stop();
    await second?.stop();
    await (third ?? second ?? first)?.drop();
  });

  const statusOf = (text: string) => page.locator(W('li.petitioner')).filter({ hasText: text }).locator('.st');

  it('queues what is typed while the hub is down, then syncs, resends and stores each message once', { timeout: 120_000 }, async () => {
    await page.click(W('.launch'));
    await page.locator(W('li.bot')).first().waitFor();
    await say(page, '小区门口的马路上有个大坑,好几个人骑车摔倒了');
    const session = await storedSession(page, first.url);
    const known = await serverHistory(first.url, session);

    // Another tab of the same petitioner adds to the conversation; this page only learns of it by a sync.
    const otherTab = WebchatClient.resume(first.url, session.sessionId, session.token);
    await otherTab.say('在杭州市西湖区文三路和学院路路口');

    await first.stop();
    await page.locator(W('.note')).filter({ hasText: '网络连接中断' }).waitFor();
    for (const text of ['大坑有一米多宽', '晚上没有路灯,特别危险']) {
      await page.fill(W('textarea'), text);
      await page.press(W('textarea'), 'Enter');
      await statusOf(text).filter({ hasText: QUEUED }).waitFor();
    }
    expect(await page.locator(W('li.petitioner.queued')).count()).toBe(2);
    expect(await page.locator(W('li.petitioner.queued .st button')).allInnerTexts()).toEqual(['重试', '重试']);
    // Kept in the browser's storage too, so a reload now would not lose them.
    expect(Object.values((await storedSession(page, first.url)).pending).map((p) => (p as { text: string }).text)).toEqual(['大坑有一米多宽', '晚上没有路灯,特别危险']);

    // The hub comes back on the same port and database; the widget reconnects by itself.
    second = await startTestHub({ db: first.testDb, env: { PORT: new URL(first.url).port } });
    expect(second.url).toBe(first.url);
    await statusOf('晚上没有路灯,特别危险').filter({ hasText: SENT }).waitFor({ timeout: 90_000 });
    await expect.poll(async () => (await shownMessages(page)).at(-1)?.role, { timeout: 30_000 }).toBe('bot');
    await page.locator(W('.note')).waitFor({ state: 'hidden' });

    const history = await serverHistory(second.url, session);
    expect(history.filter((m) => m.role === 'petitioner').map((m) => m.text)).toEqual([
      '小区门口的马路上有个大坑,好几个人骑车摔倒了',
      '在杭州市西湖区文三路和学院路路口',
      '大坑有一米多宽',
      '晚上没有路灯,特别危险',
    ]);
    // The page shows exactly the hub's conversation, in the hub's order: the other tab's message
    // (fetched with ?after= the last one this page had) before the two that waited.
    expect(await shownMessages(page)).toEqual(history.map((m) => ({ role: m.role, text: m.text })));
    expect(opened.requests).toContain(`${first.url}/api/webchat/sessions/${session.sessionId}/messages?after=${known.at(-1)?.id}`);
    expect((await storedSession(page, first.url)).pending).toEqual({});
    expect(unexpected(opened.problems)).toEqual([]);
  });

  it('resends a message whose answer was lost on the way, and the hub stores it once', { timeout: 60_000 }, async () => {
    const hub = second as TestHub;
    const session = await storedSession(page, hub.url);
    let cut = 0;
    // The request reaches the hub, which stores the message and answers; the browser never gets the answer.
    const lose = async (route: Route) => {
      if (route.request().method() !== 'POST' || cut > 0) return route.fallback();
      cut++;
      await route.fetch();
      return route.abort('connectionreset');
    };
    await page.route('**/api/webchat/sessions/*/messages', lose);
    const text = '从上个月开始的';
    await page.fill(W('textarea'), text);
    await page.press(W('textarea'), 'Enter');
    await statusOf(text).filter({ hasText: QUEUED }).waitFor();
    await statusOf(text).filter({ hasText: SENT }).waitFor({ timeout: 45_000 });
    await expect.poll(async () => (await shownMessages(page)).at(-1)?.role, { timeout: 30_000 }).toBe('bot');
    await page.unroute('**/api/webchat/sessions/*/messages', lose);

    const history = await serverHistory(hub.url, session);
    expect(history.filter((m) => m.text === text)).toHaveLength(1);
    expect(await shownMessages(page)).toEqual(history.map((m) => ({ role: m.role, text: m.text })));
    expect(cut).toBe(1);
    expect(unexpected(opened.problems)).toEqual([]);
  });

  it('holds a first message typed while the hub cannot be reached, and sends it once the hub is back', { timeout: 120_000 }, async () => {
    const hub = second as TestHub;
    const fresh = await openPage(browser, `${hub.url}/`, { locale: 'zh-CN' });
    await hub.stop();
    await fresh.page.click(W('.launch'));
    await fresh.page.locator(W('.err')).filter({ hasText: '暂时无法连接服务，请稍后再试。' }).waitFor();
    const text = '我们村的自来水已经停了三天';
    await fresh.page.fill(W('textarea'), text);
    await fresh.page.press(W('textarea'), 'Enter');
    await fresh.page.locator(W('li.petitioner .st')).filter({ hasText: QUEUED }).waitFor();

    third = await startTestHub({ db: first.testDb, env: { PORT: new URL(first.url).port } });
    await fresh.page.locator(W('li.petitioner .st')).filter({ hasText: SENT }).waitFor({ timeout: 90_000 });
    await expect.poll(async () => (await shownMessages(fresh.page)).at(-1)?.role, { timeout: 30_000 }).toBe('bot');
    expect(await fresh.page.locator(W('.err')).count()).toBe(0);
    const session = await storedSession(fresh.page, third.url);
    const history = await serverHistory(third.url, session);
    expect(history.filter((m) => m.role === 'petitioner').map((m) => m.text)).toEqual([text]);
    expect(await shownMessages(fresh.page)).toEqual(history.map((m) => ({ role: m.role, text: m.text })));
    expect(unexpected(fresh.problems)).toEqual([]);
  });
});
