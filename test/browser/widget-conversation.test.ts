/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api } from '../helpers/webchat-client.js';
import { DEFAULT_ROUTING } from '../../src/cases/routing-defaults.js';
import {
  launchBrowser,
  openPage,
  runBrowser,
  say,
  sayUntilQuickReplies,
  SCREENSHOTS,
  serverHistory,
  shownMessages,
  storedSession,
  W,
  type OpenedPage,
} from '../helpers/browser.js';

/**
 * One petitioner on the demo page, from the first message to a filed case, an officer's replies,
 * the follow-up visit and a reload. The tests run in order on the same page.
 */
describe.runIf(runBrowser)('a whole conversation in the widget, in a real browser', () => {
  let hub: TestHub;
  let browser: Browser;
  let opened: OpenedPage;
  let page: Page;
  let trackingNumber = '';

  beforeAll(async () => {
    hub = await startTestHub();
    browser = await launchBrowser();
    opened = await openPage(browser, `${hub.url}/`, {
      locale: 'zh-CN',
      viewport: { width: 1280, height: 860 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    page = opened.page;
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.drop();
  });

  const optionLabels = (m: { expects?: { options?: { value: string; label: string }[] } } | undefined) => (m?.expects?.options ?? []).map((o) => o.label);

  it('takes a petition to a filed case: typing indicator, delivery states, quick replies, tracking number, timestamps', async () => {
    await page.click(W('.launch'));
    await page.locator(W('li.bot')).first().waitFor();
    expect(await page.locator(W('.launch')).getAttribute('aria-expanded')).toBe('true');

    // While the hub works on the answer, the message shows as sending and the typing indicator is up.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const hold = async (route: import('playwright-core').Route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      await held;
      return route.continue();
    };
    await page.route('**/api/webchat/sessions/*/messages', hold);
    await page.fill(W('textarea'), '我家楼下的饭店每天半夜还在营业,油烟和噪音特别大。我叫周敏,电话13612345678,在武汉市江汉区青年路18号,从上个月开始的,希望让饭店晚上十点后停止营业,我找过社区两次没用,对方是楼下的川味饭店');
    await page.press(W('textarea'), 'Enter');
    await page.locator(W('.typing')).waitFor({ state: 'visible' });
    expect(await page.locator(W('.typing')).getAttribute('role')).toBe('status');
    expect(await page.locator(W('.typing .sr')).textContent()).toBe('正在回复……');
    expect(await page.locator(W('li.petitioner .st')).textContent()).toBe('发送中……');
    expect(await page.inputValue(W('textarea'))).toBe('');
    release();
    await page.locator(W('li.bot')).nth(2).waitFor();
    await page.unroute('**/api/webchat/sessions/*/messages', hold);
    await page.locator(W('.typing')).waitFor({ state: 'hidden' });
    expect(await page.locator(W('li.petitioner .st')).textContent()).toBe('已发送');

    // The summary is read back with confirm buttons; "需要修改" offers the details as a choice.
    await sayUntilQuickReplies(page);
    const session = await storedSession(page, hub.url);
    let history = await serverHistory(hub.url, session);
    expect(history.at(-1)?.expects?.type).toBe('confirm');
    expect(await page.locator(W('.qr button')).allInnerTexts()).toEqual(optionLabels(history.at(-1)));
    expect(await page.locator(W('.qr')).getAttribute('aria-label')).toBe('快捷回复');
    await page.getByRole('button', { name: '需要修改', exact: true }).click();
    await page.getByRole('button', { name: '地点', exact: true }).waitFor();
    history = await serverHistory(hub.url, session);
    const choice = history.at(-1);
    expect(choice?.expects?.type).toBe('choice');
    expect(await page.locator(W('.qr button')).allInnerTexts()).toEqual(optionLabels(choice));
    const location = choice?.expects?.options?.find((o) => o.value === 'location');
    expect(location?.label).toBe('地点');
    await page.getByRole('button', { name: '地点', exact: true }).click();
    // The petitioner sees the label they chose; the hub got the option's value.
    await page.locator(W('li.petitioner .b')).filter({ hasText: '地点' }).waitFor();
    await page.locator(W('.qr')).waitFor({ state: 'hidden' });
    await say(page, '武汉市江汉区青年路20号');
    await page.getByRole('button', { name: '对，提交', exact: true }).waitFor();
    await page.getByRole('button', { name: '对，提交', exact: true }).click();

    // Filed: the tracking number in its own box, with a copy button that copies exactly it.
    await page.locator(W('.ref')).waitFor();
    trackingNumber = (await page.locator(W('.ref')).innerText()).trim();
    expect(trackingNumber).toMatch(/^XF-\d{6}-[A-Z2-9]{5}$/);
    history = await serverHistory(hub.url, session);
    expect(history.filter((m) => m.caseRef).map((m) => m.caseRef)).toEqual([trackingNumber]);
    const copyButton = page.getByRole('button', { name: `复制 ${trackingNumber}`, exact: true });
    await copyButton.click();
    await page.locator(W('.cp')).filter({ hasText: '已复制' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(trackingNumber);

    // What the widget shows is the hub's conversation, in the hub's order, with quick replies shown
    // by their labels; every message has its time.
    const expected = history.map((m, i) => {
      const before = history.slice(0, i).reverse().find((x) => x.role === 'bot');
      const option = m.role === 'petitioner' ? before?.expects?.options?.find((o) => o.value === m.text) : undefined;
      return { role: m.role, text: option ? option.label : m.text };
    });
    expect(await shownMessages(page)).toEqual(expected);
    expect(expected.filter((m) => m.role === 'petitioner').map((m) => m.text)).toContain('对，提交');
    const times = await page.locator(W('li.m:not(.petitioner) time')).evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
    expect(times).toEqual(history.filter((m) => m.role !== 'petitioner').map((m) => m.createdAt));
    const clock = await page.locator(W('li.m time')).allInnerTexts();
    expect(clock.filter((t) => !/^\d{2}:\d{2}$/.test(t))).toEqual([]);
    expect(opened.problems).toEqual([]);
  });

  it('shows officers apart, with their department, and asks the follow-up with confirm, rating and choice buttons', async () => {
    const c = await api<{ department: string }>(hub.url, `/api/cases/${trackingNumber}`, { token: ADMIN_TOKEN });
    const department = DEFAULT_ROUTING.departments[c.body.department].zh;
    await api(hub.url, `/api/cases/${trackingNumber}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'reply', text: '我们已经联系了饭店,请耐心等待。', actor: 'officer:li' } });
    await page.locator(W('li.officer')).waitFor();
    expect(await page.locator(W('li.officer .who')).innerText()).toBe(`${department} · 工作人员`);
    const look = await page.evaluate(() => {
      const root = document.querySelector('petition-chat')?.shadowRoot;
      const style = (s: string) => getComputedStyle(root?.querySelector(s) as Element);
      return {
        officer: [style('li.officer .b').backgroundColor, style('li.officer .b').borderLeftWidth],
        bot: [style('li.bot .b').backgroundColor, style('li.bot .b').borderLeftWidth],
      };
    });
    expect(look).toEqual({ officer: ['rgb(233, 246, 238)', '4px'], bot: ['rgb(255, 255, 255)', '1px'] });

    // Transferred: the next officer message names the new department; the earlier one keeps its own.
    await api(hub.url, `/api/cases/${trackingNumber}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'transfer', department: 'commerce_tourism', actor: 'officer:li' } });
    await api(hub.url, `/api/cases/${trackingNumber}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'reply', text: '已转我局处理。', actor: 'officer:zhao' } });
    await page.locator(W('li.officer')).nth(1).waitFor();
    expect(await page.locator(W('li.officer .who')).allInnerTexts()).toEqual([`${department} · 工作人员`, '商务和旅游局 · 工作人员']);

    // An officer writes while the petitioner is away; back on the page, the closed chat shows one unread message.
    await page.goto('about:blank');
    await api(hub.url, `/api/cases/${trackingNumber}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'reply', text: '请问您什么时候方便接电话?', actor: 'officer:zhao' } });
    await page.goto(`${hub.url}/`);
    await page.locator(W('.badge')).waitFor();
    expect(await page.locator(W('.badge')).innerText()).toBe('1');
    expect(await page.locator(W('.launch')).getAttribute('aria-label')).toBe('在线反映问题（1 条新消息）');
    await page.click(W('.launch'));
    await page.locator(W('.badge')).waitFor({ state: 'hidden' });
    expect(await page.locator(W('li.officer .who')).allInnerTexts()).toEqual([`${department} · 工作人员`, '商务和旅游局 · 工作人员', '商务和旅游局 · 工作人员']);

    // Resolved: the follow-up visit's questions come with quick replies of each kind.
    for (const action of ['accept', 'resolve']) {
      const r = await api(hub.url, `/api/cases/${trackingNumber}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action, text: '饭店已承诺十点后停止营业。', actor: 'officer:zhao' } });
      expect(r.status).toBe(200);
    }
    await page.getByRole('button', { name: '已解决', exact: true }).waitFor();
    expect(await page.locator(W('.qr button')).allInnerTexts()).toEqual(['已解决', '没有解决']);
    await page.screenshot({ path: `${SCREENSHOTS}/widget-desktop.png`, animations: 'disabled' });
    await page.getByRole('button', { name: '已解决', exact: true }).click();
    await page.getByRole('button', { name: '5 非常满意', exact: true }).waitFor();
    expect(await page.locator(W('.qr button')).allInnerTexts()).toEqual(['1 很不满意', '2 不满意', '3 一般', '4 满意', '5 非常满意']);
    await page.getByRole('button', { name: '5 非常满意', exact: true }).click();
    await page.getByRole('button', { name: '没有了', exact: true }).waitFor();
    expect(await page.locator(W('.qr button')).allInnerTexts()).toEqual(['没有了']);
    await page.getByRole('button', { name: '没有了', exact: true }).click();
    await page.locator(W('.qr')).waitFor({ state: 'hidden' });
    // The answer is stored when the bot's closing words are back, not when the buttons go away.
    await expect
      .poll(async () => (await shownMessages(page)).slice(-2).map((m) => m.role + (m.role === 'petitioner' ? `:${m.text}` : '')))
      .toEqual(['petitioner:没有了', 'bot']);
    const petitioner = (await shownMessages(page)).filter((m) => m.role === 'petitioner');
    expect(petitioner.slice(-3).map((m) => m.text)).toEqual(['已解决', '5 非常满意', '没有了']);
    const stored = await serverHistory(hub.url, await storedSession(page, hub.url));
    expect(stored.filter((m) => m.role === 'petitioner').slice(-3).map((m) => m.text)).toEqual(['yes', '5', 'none']);
    expect(stored.filter((m) => m.role === 'officer').map((m) => m.from)).toEqual([department, '商务和旅游局', '商务和旅游局']);
    expect(opened.problems).toEqual([]);
  });

  it('resumes the same conversation after a reload, and starts a new one only when asked', async () => {
    const before = await shownMessages(page);
    const session = await storedSession(page, hub.url);
    await page.reload();
    // The conversation is loaded while the panel is still closed; everything in it had been read.
    await page.locator(W('li.m')).nth(before.length - 1).waitFor({ state: 'attached' });
    expect(await page.locator(W('.badge')).isHidden()).toBe(true);
    await page.click(W('.launch'));
    expect(await shownMessages(page)).toEqual(before);
    expect((await storedSession(page, hub.url)).sessionId).toBe(session.sessionId);
    expect(await page.locator(W('li.officer .who')).count()).toBe(3);

    await page.getByRole('button', { name: '开始新的对话', exact: true }).click();
    await page.locator(W('li.bot')).first().waitFor();
    const fresh = await storedSession(page, hub.url);
    expect(fresh.sessionId).not.toBe(session.sessionId);
    const greeting = await serverHistory(hub.url, fresh);
    expect(await shownMessages(page)).toEqual(greeting.map((m) => ({ role: m.role, text: m.text })));
    expect(opened.problems).toEqual([]);
  });
});
