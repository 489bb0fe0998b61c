/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { contrast, hostPages, launchBrowser, openPage, panelSettled, runBrowser, say, sayUntilQuickReplies, SCREENSHOTS, W } from '../helpers/browser.js';

/** The focus ring every button and the conversation region show when reached from the keyboard. */
const RING = 'rgb(255, 255, 255) 0px 0px 0px 2px, rgb(31, 35, 40) 0px 0px 0px 4px';

/** data-color values, and the text colour the widget must choose on them (the one with more contrast). */
const COLOURS: [string, string][] = [
  ['', 'rgb(255, 255, 255)'], // the default, #1f6feb
  ['#ffd33d', 'rgb(0, 0, 0)'],
  ['#777777', 'rgb(0, 0, 0)'], // white would be 4.48:1, just short of AA
  ['#1f6feb', 'rgb(255, 255, 255)'],
  ['hotpink', 'rgb(0, 0, 0)'],
  ['#0b3d2c', 'rgb(255, 255, 255)'],
  ['rgb(200, 200, 200)', 'rgb(0, 0, 0)'],
  ['not-a-colour', 'rgb(255, 255, 255)'], // ignored: the default
];

/** Text colour pairs (4.5:1 needed) and the parts of controls that must stand out (3:1), as shown. */
function colourPairs(page: Page) {
  return page.evaluate(() => {
    const root = document.querySelector('petition-chat')?.shadowRoot as ShadowRoot;
    const ground = (el: Element | null): string => {
      for (let e = el; e; e = e.parentElement ?? ((e.getRootNode() as ShadowRoot).host ?? null)) {
        const c = getComputedStyle(e).backgroundColor;
        if (c !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(c)) return c;
      }
      return 'rgb(255, 255, 255)';
    };
    const text: [string, string, string?][] = [
      ['launcher', '.launch'], ['title', 'h2'], ['subtitle', 'header p'],
      ['bot', 'li.bot .b'], ['petitioner', 'li.petitioner .b'], ['officer', 'li.officer .b'], ['officer link', 'li.officer .b a'],
      ['officer name', '.who'], ['notice', 'li.system .b'], ['time', 'li.bot .meta time'], ['status', 'li.queued .st'],
      ['retry', 'li.queued .st button'], ['case label', '.case small'], ['tracking number', '.ref'], ['copy', '.cp'],
      ['quick reply', '.qr button'], ['input', 'textarea'], ['placeholder', 'textarea', '::placeholder'], ['note', '.note'], ['hint', '.hint'],
    ];
    const out: { name: string; fg: string; bg: string; min: number }[] = [];
    for (const [name, sel, pseudo] of text) {
      const el = root.querySelector(sel);
      if (el?.checkVisibility()) out.push({ name, fg: getComputedStyle(el, pseudo).color, bg: ground(el), min: 4.5 });
    }
    const qr = root.querySelector('.qr button');
    if (qr?.checkVisibility()) {
      // The buttons' hover ground is the lightest grey; their ink must still read there.
      out.push({ name: 'quick reply on hover ground', fg: getComputedStyle(qr).color, bg: 'rgb(246, 248, 250)', min: 4.5 });
      out.push({ name: 'quick reply border', fg: getComputedStyle(qr).borderTopColor, bg: ground(qr), min: 3 });
    }
    const ta = root.querySelector('textarea') as Element;
    out.push({ name: 'input border', fg: getComputedStyle(ta).borderTopColor, bg: ground(ta.parentElement), min: 3 });
    const send = root.querySelector('.send') as Element;
    out.push({ name: 'send icon', fg: getComputedStyle(send).color, bg: getComputedStyle(send).backgroundColor, min: 3 });
    return out;
  });
}

/** What has the keyboard focus inside the widget: its class, tag and accessible label. */
function focused(page: Page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (a?.tagName !== 'PETITION-CHAT') return { where: 'host', tag: a?.tagName ?? '' };
    const el = a.shadowRoot?.activeElement as HTMLElement | null;
    if (!el) return { where: 'widget', tag: '' };
    const style = getComputedStyle(el);
    return {
      where: 'widget',
      tag: el.tagName,
      name: el.getAttribute('aria-label') ?? (el.tagName === 'BUTTON' ? el.textContent?.trim() : ''),
      ring: style.boxShadow,
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
      visible: el.matches(':focus-visible'),
    };
  });
}

describe.runIf(runBrowser)('the widget is accessible', () => {
  let hub: TestHub;
  let browser: Browser;
  let host: Awaited<ReturnType<typeof hostPages>>;

  beforeAll(async () => {
    hub = await startTestHub();
    browser = await launchBrowser();
    const pageWith = (attrs: string) =>
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>Host</title></head><body><p>Host page</p><script src="${hub.url}/widget.js" async ${attrs}></script></body></html>`;
    host = await hostPages({
      ...Object.fromEntries(COLOURS.map(([c], i) => [`/colour-${i}`, pageWith(c ? `data-color="${c}"` : '')])),
      '/en': pageWith('data-lang="en" data-title="Grievance desk"'),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await hub?.drop();
  });

  it('can be used with the keyboard alone: Tab, Enter and Space from the launcher to a sent message and a quick reply', async () => {
    const { page, problems } = await openPage(browser, `${hub.url}/`, { permissions: ['clipboard-read', 'clipboard-write'] });
    const tab = async (key = 'Tab') => {
      await page.keyboard.press(key);
      return focused(page);
    };
    // Tab through the host page until the launcher has the focus.
    let stop = await focused(page);
    for (let i = 0; i < 30 && stop.name !== '在线反映问题'; i++) stop = await tab();
    expect(stop).toEqual({ where: 'widget', tag: 'BUTTON', name: '在线反映问题', ring: RING, outline: 'solid 2px', visible: true });
    await page.keyboard.press('Enter');
    await page.locator(W('li.bot')).first().waitFor();
    expect(await focused(page)).toMatchObject({ tag: 'TEXTAREA', name: '', outline: 'solid 2px', visible: true });

    const bots = () => page.locator(W('li.bot')).count();
    const type = async (text: string) => {
      const before = await bots();
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
      await page.locator(W('li.bot')).nth(before).waitFor();
    };
    await type('我们公司拖欠了三个月工资,老板一直不给,一共两万多块');
    expect(await page.locator(W('li.petitioner .st')).innerText()).toBe('已发送');

    // Backwards from the input to the launcher and forwards again: every stop shows where it is.
    const back = [];
    for (let i = 0; i < 4; i++) back.push(await tab('Shift+Tab'));
    expect(back.map((s) => [s.tag, s.name, s.ring, s.visible])).toEqual([
      ['DIV', '', RING, true],
      ['BUTTON', '关闭对话窗口', RING, true],
      ['BUTTON', '开始新的对话', RING, true],
      ['BUTTON', '在线反映问题', RING, true],
    ]);
    for (let i = 0; i < 4; i++) stop = await tab();
    expect(stop).toMatchObject({ tag: 'TEXTAREA' });

    // Answer until the summary's buttons come, then choose one with Space.
    for (let i = 0; i < 10 && (await page.locator(W('.qr button')).count()) === 0; i++) await type('不方便说');
    expect(await tab('Shift+Tab')).toMatchObject({ tag: 'BUTTON', name: '需要修改', ring: RING, visible: true });
    expect(await tab('Shift+Tab')).toMatchObject({ tag: 'BUTTON', name: '对，提交', ring: RING, visible: true });
    await page.keyboard.press('Space');
    await page.locator(W('.ref')).waitFor();
    expect(await focused(page)).toMatchObject({ tag: 'TEXTAREA' });
    const ref = (await page.locator(W('.ref')).innerText()).trim();

    // The tracking number's copy button is the last control of the conversation.
    expect(await tab('Shift+Tab')).toMatchObject({ tag: 'BUTTON', name: `复制 ${ref}`, ring: RING, visible: true });
    await page.keyboard.press('Enter');
    await page.locator(W('.cp')).filter({ hasText: '已复制' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(ref);

    // Escape closes the panel and puts the focus back on the launcher.
    await page.keyboard.press('Escape');
    await page.locator(W('.panel')).waitFor({ state: 'hidden' });
    expect(await focused(page)).toMatchObject({ tag: 'BUTTON', name: '在线反映问题' });
    expect(await page.locator(W('.launch')).getAttribute('aria-expanded')).toBe('false');
    expect(problems).toEqual([]);
  });

  it('names every control and region, in Chinese and in English, and announces new messages politely', async () => {
    const zh = await openPage(browser, `${hub.url}/`);
    await zh.page.click(W('.launch'));
    await zh.page.locator(W('li.bot')).first().waitFor();
    expect(await zh.page.locator(W('header')).ariaSnapshot()).toBe(
      ['- banner:', '  - heading "市民信访服务中心 · City Petition Office" [level=2]', '  - paragraph: 我们会认真倾听，依法依规办理', '  - button "开始新的对话"', '  - button "关闭对话窗口"'].join('\n'),
    );
    expect(await zh.page.locator(W('form')).ariaSnapshot()).toBe(
      ['- text: 输入您想反映的情况', '- textbox "输入您想反映的情况":', '  - /placeholder: 请说说发生了什么……', '- button "发送"'].join('\n'),
    );
    expect(await zh.page.getByRole('dialog', { name: '市民信访服务中心 · City Petition Office', exact: true }).count()).toBe(1);
    const log = zh.page.getByRole('log', { name: '对话记录', exact: true });
    expect(await log.evaluate((e) => [e.getAttribute('aria-live'), e.getAttribute('aria-relevant')])).toEqual(['polite', 'additions']);
    expect(await zh.page.getByRole('button', { name: '在线反映问题', exact: true }).getAttribute('aria-controls')).toBe('pc-panel');
    // Each message says who speaks, also to a screen reader.
    expect(await zh.page.locator(W('li.bot .b .sr')).first().textContent()).toBe('服务助手：');
    expect(zh.problems).toEqual([]);

    const en = await openPage(browser, `${host.url}/en`, { locale: 'zh-CN' });
    await en.page.click(W('.launch'));
    await en.page.locator(W('li.bot')).first().waitFor();
    expect(await en.page.locator(W('header')).ariaSnapshot()).toBe(
      ['- banner:', '  - heading "Grievance desk" [level=2]', '  - paragraph: We listen, and follow up on every case', '  - button "Start a new conversation"', '  - button "Close chat"'].join('\n'),
    );
    expect(await en.page.locator(W('form')).ariaSnapshot()).toBe(
      ['- text: Type your message', '- textbox "Type your message":', '  - /placeholder: Tell us what happened…', '- button "Send"'].join('\n'),
    );
    expect(await en.page.getByRole('log', { name: 'Conversation', exact: true }).count()).toBe(1);
    expect(await en.page.locator(W('.r')).getAttribute('lang')).toBe('en');
    expect(en.problems).toEqual([]);
  });

  it('meets WCAG AA contrast with any data-color, choosing the text colour on it by itself', async () => {
    const officer = { role: 'officer', from: '生态环境局', text: '请看 https://example.gov.cn/notice 的说明' };
    const results: Record<string, { launcherText: string; low: string[] }> = {};
    for (const [i, [colour]] of COLOURS.entries()) {
      const { page } = await openPage(browser, `${host.url}/colour-${i}`, { locale: 'zh-CN' });
      // The real session, with one message of every other kind added to its greeting.
      await page.route(`${hub.url}/api/webchat/sessions`, async (route) => {
        const res = await route.fetch();
        const body = (await res.json()) as { messages: ({ createdAt: string } & Record<string, unknown>)[] };
        const at = new Date(Date.parse(body.messages[0].createdAt) - 60_000).toISOString();
        body.messages.push(
          { id: 'x-officer', createdAt: at, ...officer },
          { id: 'x-notice', role: 'system', text: '您的案件已被受理。', createdAt: at },
          { id: 'x-filed', role: 'bot', text: '已经登记。', caseRef: 'XF-261128-ABCDE', createdAt: at },
          { id: 'x-ask', role: 'bot', text: '以上内容对吗？', expects: { type: 'confirm' }, createdAt: at },
        );
        await route.fulfill({ response: res, json: body });
      });
      await page.click(W('.launch'));
      await page.locator(W('.qr button')).first().waitFor();
      const first = await colourPairs(page);
      // A message that cannot go out (the request fails), and the length hint under the input.
      await page.route(`${hub.url}/api/webchat/sessions/*/messages`, (route) => (route.request().method() === 'POST' ? route.abort() : route.fallback()));
      await page.fill(W('textarea'), '路灯坏了');
      await page.press(W('textarea'), 'Enter');
      await page.locator(W('li.queued')).waitFor();
      // The widget keeps trying on its back-off schedule, so the message is "sending" now and then:
      // sample its colours at a moment it shows as queued, with its status, retry and note.
      let queued: Awaited<ReturnType<typeof colourPairs>> = [];
      await expect
        .poll(async () => (queued = await colourPairs(page)).map((p) => p.name), { timeout: 30_000 })
        .toEqual(expect.arrayContaining(['note', 'retry', 'status']));
      await page.fill(W('textarea'), '长'.repeat(4600));
      await page.locator(W('.hint')).waitFor();
      const second = await colourPairs(page);
      await page.fill(W('textarea'), '长'.repeat(5001));
      await page.locator(W('.hint.bad')).waitFor();
      const third = (await colourPairs(page)).filter((p) => p.name === 'hint').map((p) => ({ ...p, name: 'hint (too long)' }));
      const pairs = new Map([...first, ...queued, ...second, ...third].map((p) => [p.name, p]));
      expect([...pairs.keys()].sort()).toEqual(
        ['launcher', 'title', 'subtitle', 'bot', 'petitioner', 'officer', 'officer link', 'officer name', 'notice', 'time', 'status', 'retry', 'case label',
          'tracking number', 'copy', 'quick reply', 'input', 'placeholder', 'note', 'hint', 'hint (too long)', 'quick reply on hover ground',
          'quick reply border', 'input border', 'send icon'].sort(),
      );
      results[colour || 'default'] = {
        launcherText: pairs.get('launcher')?.fg ?? '',
        low: [...pairs.values()].filter((p) => contrast(p.fg, p.bg) < p.min).map((p) => `${p.name}: ${p.fg} on ${p.bg} = ${contrast(p.fg, p.bg).toFixed(2)}`),
      };
      await page.context().close();
    }
    expect(results).toEqual(Object.fromEntries(COLOURS.map(([c, text]) => [c || 'default', { launcherText: text, low: [] }])));
  });

  it('respects prefers-reduced-motion', async () => {
    const motion = async (reducedMotion: 'reduce' | 'no-preference') => {
      const { page } = await openPage(browser, `${hub.url}/`, { reducedMotion });
      await page.click(W('.launch'));
      await page.locator(W('li.bot')).first().waitFor();
      const names = await page.evaluate(() => {
        const root = document.querySelector('petition-chat')?.shadowRoot as ShadowRoot;
        return ['.panel', '.typing i'].map((s) => getComputedStyle(root.querySelector(s) as Element).animationName);
      });
      await page.context().close();
      return names;
    };
    expect(await motion('no-preference')).toEqual(['in', 'dot']);
    expect(await motion('reduce')).toEqual(['none', 'none']);
  });

  it('fills a 320 px screen without sideways scrolling and keeps every control reachable', async () => {
    const { page, problems } = await openPage(browser, `${hub.url}/`, { viewport: { width: 320, height: 640 } });
    await page.click(W('.launch'));
    await page.locator(W('li.bot')).first().waitFor();
    await panelSettled(page);
    expect(await page.locator(W('.panel')).boundingBox()).toEqual({ x: 0, y: 0, width: 320, height: 640 });
    expect(await page.locator(W('.launch')).isVisible()).toBe(false);
    await say(page, '我家楼下的饭店每天半夜还在营业,油烟和噪音特别大,在武汉市江汉区青年路18号,从上个月开始的');
    await sayUntilQuickReplies(page);
    const layout = await page.evaluate(() => {
      const root = document.querySelector('petition-chat')?.shadowRoot as ShadowRoot;
      const body = root.querySelector('.body') as HTMLElement;
      const boxes = [...root.querySelectorAll('header button, .qr button, textarea, .send')].map((e) => e.getBoundingClientRect());
      return {
        page: document.documentElement.scrollWidth,
        sideways: body.scrollWidth - body.clientWidth,
        outside: boxes.filter((b) => b.left < 0 || b.right > 320 || b.bottom > 640).length,
        small: boxes.filter((b) => b.width < 24 || b.height < 24).length,
        fontSize: getComputedStyle(root.querySelector('.b') as Element).fontSize,
      };
    });
    expect(layout).toEqual({ page: 320, sideways: 0, outside: 0, small: 0, fontSize: '15px' });
    await page.screenshot({ path: `${SCREENSHOTS}/widget-320.png`, animations: 'disabled' });
    expect(problems).toEqual([]);
  });
});
