/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { launchBrowser, openPage, runBrowser, SCREENSHOTS, type OpenedPage } from '../helpers/browser.js';
import { createAccount, PASSWORD } from '../helpers/console-client.js';
import { fileLabourCase } from '../helpers/petitions.js';
import { fileByWebchat } from '../helpers/intake.js';
import { eventually } from '../helpers/eventually.js';

const LABOUR = 'human_resources_social_security';

async function signIn(page: Page, username: string): Promise<void> {
  await page.getByLabel(/用户名|User name/).fill(username);
  await page.getByLabel(/密码|Password/).fill(PASSWORD);
  await page.getByRole('button', { name: /登录|Sign in/ }).click();
}

/** An officer and a supervisor work in the console in a real browser, as they would every day. */
describe.runIf(runBrowser)('the officers’ console in a real browser', () => {
  let hub: TestHub;
  let browser: Browser;
  let officer: OpenedPage;
  let page: Page;
  let ref = '';
  let petitioner: Awaited<ReturnType<typeof fileLabourCase>>['client'];

  beforeAll(async () => {
    hub = await startTestHub();
    await createAccount(hub, { username: 'li', displayName: '李明', role: 'officer', departments: [LABOUR] });
    await createAccount(hub, { username: 'wang', displayName: '王芳', role: 'officer', departments: ['housing_construction'] });
    await createAccount(hub, { username: 'chief', displayName: 'Chief', role: 'supervisor', locale: 'en' });
    ({ client: petitioner, ref } = await fileLabourCase(hub.url));
    await fileByWebchat(hub.url, '小区旁边的工地每天晚上施工到凌晨两点，噪音太大了，根本睡不着。', { location: '宝安区西乡街道', time: '这两个月', desiredOutcome: '希望晚上停工', contactName: '周雪', contactPhone: '13711112222' });
    browser = await launchBrowser();
    officer = await openPage(browser, `${hub.url}/console`, { viewport: { width: 1280, height: 900 } });
    page = officer.page;
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.drop();
  });

  it('signs in and finds a case by searching its words', async () => {
    await signIn(page, 'li');
    await page.waitForURL(/\/console$/);
    await page.locator('table.cases').waitFor();
    expect(await page.locator('table.cases').count()).toBe(1);
    await page.getByLabel('搜索诉求内容').fill('电子厂 工资');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/q=/);
    const rows = page.locator('table.cases tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain(ref);
    await page.screenshot({ path: `${SCREENSHOTS}/console-inbox.png`, animations: 'disabled' });
  });

  it('moves through the list with the keyboard and opens a case with Enter', async () => {
    await page.goto(`${hub.url}/console`);
    await page.keyboard.press('j');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('href'));
    expect(focused).toMatch(/^\/console\/cases\//);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search');
    await page.goto(`${hub.url}/console?q=${encodeURIComponent('电子厂')}`);
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/console/cases/${ref}$`));
  });

  it('shows the case masked, and reveals the personal data on request, recording who saw it', async () => {
    expect(await page.locator('main').innerText()).not.toContain('13912345678');
    await page.getByRole('button', { name: /显示个人信息/ }).click();
    await page.waitForSelector('text=个人信息已显示');
    expect(await page.locator('main').innerText()).toContain('13912345678');
    const c = await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: ref } });
    const views = await hub.db.caseEvent.findMany({ where: { caseId: c.id, type: 'viewed', actor: 'console:li' } });
    expect(views).toHaveLength(1);
  });

  it('accepts and replies; the reply reaches the petitioner’s web chat', async () => {
    await page.getByRole('button', { name: '受理', exact: true }).click();
    await page.waitForSelector('text=已完成：受理');
    await page.locator('summary', { hasText: '回复群众' }).click();
    await page.locator('details[open] textarea[name="text"]').fill('您好，我们已约谈宏达电子厂，工资本周内发放。');
    await page.locator('details[open] button[type="submit"]').click();
    await page.waitForSelector('text=已完成：回复群众');
    const history = await eventually(() => petitioner.history(), (h) => h.some((m) => m.role === 'officer' && m.text.includes('工资本周内发放')));
    expect(history.at(-1)?.text).toContain('工资本周内发放');
    expect(await page.locator('ol.timeline').innerText()).toContain('工资本周内发放');
    await page.screenshot({ path: `${SCREENSHOTS}/console-case.png`, fullPage: true, animations: 'disabled' });
    expect(officer.problems).toEqual([]);
  });

  it('shows a new case in the open list by itself', async () => {
    await page.goto(`${hub.url}/console`);
    const before = await page.locator('table.cases tbody tr').count();
    await page.waitForFunction(() => document.readyState === 'complete');
    const { ref: fresh } = await fileLabourCase(hub.url);
    await page.waitForSelector(`table.cases a[href="/console/cases/${fresh}"]`);
    expect(await page.locator('table.cases tbody tr').count()).toBe(before + 1);
  });

  it('does not open a case of another department for an officer who types its address', async () => {
    const other = await openPage(browser, `${hub.url}/console/cases/${ref}`);
    await signIn(other.page, 'wang');
    await other.page.waitForURL(new RegExp(`/console/cases/${ref}$`));
    expect(await other.page.locator('main').innerText()).toContain('没有这个案件');
    expect(await other.page.locator('main').innerText()).not.toContain('宏达');
    await other.page.context().close();
  });

  it('shows a supervisor the dashboard with the figures of the cases filed, in English, with charts', async () => {
    const chief = await openPage(browser, `${hub.url}/console/dashboard`);
    await signIn(chief.page, 'chief');
    await chief.page.waitForURL(/\/console\/dashboard$/);
    const total = await hub.db.case.count();
    const text = await chief.page.locator('main').innerText();
    expect(text).toContain('Accepted on time');
    // This week's row of the volume table counts every case filed in this test.
    const weekly = await chief.page.locator('#table-categories tbody tr').last().innerText();
    expect(weekly).toContain(String(total));
    await chief.page.waitForSelector('#chart-categories canvas');
    expect(chief.problems).toEqual([]);
    await chief.page.screenshot({ path: `${SCREENSHOTS}/console-dashboard.png`, fullPage: true, animations: 'disabled' });
    await chief.page.context().close();
  });
});
