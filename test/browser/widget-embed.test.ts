/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { hostPages, launchBrowser, openPage, panelSettled, runBrowser, say, serverHistory, shownMessages, storedSession, W } from '../helpers/browser.js';

/**
 * The widget on other people's pages: one script tag on another origin, its data-* options, a host
 * page that does its worst with CSS and scripts, and a host page that must come out unchanged.
 */
describe.runIf(runBrowser)('the widget embedded on another site', () => {
  let hub: TestHub;
  let browser: Browser;
  let host: Awaited<ReturnType<typeof hostPages>>;

  const page = (head: string, body: string) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Host</title><link rel="icon" href="data:,">${head}</head><body>${body}</body></html>`;

  beforeAll(async () => {
    hub = await startTestHub();
    browser = await launchBrowser();
    const tag = (attrs: string) => `<script src="${hub.url}/widget.js" async ${attrs}></script>`;
    host = await hostPages({
      '/options': page('', `<h1>Acme Ltd</h1>${tag(`data-hub="${hub.url}" data-lang="en" data-title="Acme grievance desk" data-color="#ffd33d" data-position="left" data-open="true"`)}`),
      '/plain': page('', `<h1>城市服务</h1>${tag('')}`),
      '/kiosk': page('', `<h1>服务大厅</h1>${tag('data-remember="false"')}`),
      '/hostile': page(
        `<style>
          html { font-size: 4px !important; }
          body { font: 2px/0 serif !important; color: transparent !important; letter-spacing: 9px !important; direction: ltr; }
          body *, div, section, header, form, ol, li, p, span, h2, button, textarea, svg, a, i, time, small, petition-chat {
            all: unset !important; display: none !important; visibility: hidden !important; opacity: 0 !important;
            position: static !important; pointer-events: none !important; z-index: -1 !important;
          }
          petition-chat { transform: scale(0) !important; filter: blur(20px) !important; }
          *, *::before, *::after { box-sizing: content-box !important; animation: none !important; }
        </style>`,
        `<main><p>Hostile host</p><button>Buy</button></main>${tag('data-lang="zh-CN"')}`,
      ),
      '/host': page(
        `<style>
          body { font: 16px/1.5 Georgia, serif; color: #222; background: #fafafa; }
          h2 { color: #800; margin: 10px 0; } p { margin: 4px 0; } button { padding: 3px 8px; }
          ol { padding-left: 30px; } textarea { width: 200px; height: 40px; } header { background: #eee; }
        </style>`,
        `<header><h2>Host heading</h2></header>
         <section><p>Host text <a href="#x">a link</a> <span>span</span></p>
           <ol><li>one</li><li>two</li></ol>
           <form><textarea>host field</textarea><button type="button" id="host-button">Host button</button></form>
           <button type="button" id="opener" data-petition-chat-open>Talk to us</button>
         </section>`,
      ),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await hub?.drop();
  });

  it('takes its options from the tag: hub, language, title, colour, position, open on load', async () => {
    const { page, problems, requests } = await openPage(browser, `${host.url}/options`, { locale: 'zh-CN' });
    await page.locator(W('li.bot')).first().waitFor();
    expect(await page.locator(W('.panel')).isVisible()).toBe(true);
    expect(await page.locator(W('.launch')).getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator(W('h2')).innerText()).toBe('Acme grievance desk');
    expect(await page.locator(W('.launch')).innerText()).toBe('Contact us');
    expect(await page.locator(W('textarea')).getAttribute('placeholder')).toBe('Tell us what happened…');
    expect(await page.locator(W('li.bot .b')).first().innerText()).toMatch(/Hello/);
    // Opened on load without taking the focus from the host page.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BODY');
    await panelSettled(page);
    const box = await page.locator(W('.panel')).boundingBox();
    expect(box?.x).toBe(20);
    const launcher = await page.locator(W('.launch')).boundingBox();
    expect(launcher?.x).toBe(20);
    // A light brand colour gets black text; both reach WCAG AA.
    const colours = await page.locator(W('.launch')).evaluate((e) => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]);
    expect(colours).toEqual(['rgb(255, 211, 61)', 'rgb(0, 0, 0)']);
    // Everything came from the host page or the hub: nothing from a CDN or anywhere else.
    expect(requests.filter((u) => !u.startsWith(host.url) && !u.startsWith(hub.url))).toEqual([]);
    expect(requests).toContain(`${hub.url}/widget.js`);
    expect(problems).toEqual([]);
  });

  it('follows the browser language when the tag names none', async () => {
    for (const [locale, launch, greeting] of [
      ['zh-CN', '在线反映问题', /您好/],
      ['en-GB', 'Contact us', /Hello/],
    ] as const) {
      const { page, problems } = await openPage(browser, `${host.url}/plain`, { locale });
      await page.click(W('.launch'));
      await page.locator(W('li.bot')).first().waitFor();
      expect(await page.locator(W('.launch span')).first().innerText()).toBe(launch);
      expect(await page.locator(W('li.bot .b')).first().innerText()).toMatch(greeting);
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });

  it('keeps working on a host page with hostile CSS and scripts that replace fetch, WebSocket, timers and Array methods', async () => {
    const { page, problems } = await openPage(browser, `${host.url}/hostile`);
    await page.locator(W('.launch')).waitFor({ state: 'visible' });
    await page.click(W('.launch'));
    await page.locator(W('li.bot')).first().waitFor();
    // The host's CSS reaches neither the widget's box nor anything inside it.
    await panelSettled(page);
    const panel = await page.locator(W('.panel')).boundingBox();
    expect(panel).toEqual({ x: 876, y: 72, width: 384, height: 640 });
    expect(await page.locator(W('.panel')).evaluate((e) => [getComputedStyle(e).display, getComputedStyle(e).visibility, getComputedStyle(e).opacity])).toEqual(['flex', 'visible', '1']);
    expect(await page.locator(W('.r')).evaluate((e) => [getComputedStyle(e).fontSize, getComputedStyle(e).letterSpacing])).toEqual(['15px', 'normal']);
    // What the petitioner sees is the widget itself, on top of the page.
    const hit = await page.evaluate(() => {
      const r = document.querySelector('petition-chat')?.shadowRoot?.querySelector('.launch')?.getBoundingClientRect() as DOMRect;
      const el = document.querySelector('petition-chat')?.shadowRoot?.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return el?.closest('button')?.className;
    });
    expect(hit).toBe('launch');

    // The host's scripts run after the widget has loaded, as a tag manager or an old library would.
    // (From here on the test reads the page only through Playwright's own isolated world.)
    await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      w.fetch = () => Promise.reject(new Error('fetch replaced by the host'));
      w.WebSocket = function WebSocket() {
        throw new Error('WebSocket replaced by the host');
      };
      w.setTimeout = () => 0;
      w.clearTimeout = () => undefined;
      const proto = Array.prototype as unknown as Record<string, unknown>;
      for (const name of ['forEach', 'map', 'filter', 'some', 'every', 'find', 'findIndex', 'includes', 'indexOf', 'reduce', 'join', 'slice', 'concat']) {
        proto[name] = () => {
          throw new Error(`Array.prototype.${name} replaced by the host`);
        };
      }
      proto.toJSON = () => 'garbled by the host';
      Object.defineProperty(Object.prototype, 'polluted', { value: 'yes', enumerable: true, writable: true, configurable: true });
    });

    await say(page, '我们公司拖欠了三个月工资,老板一直不给,一共两万多块');
    await say(page, '在成都市高新区天府大道100号');
    expect(await page.locator(W('li.petitioner')).count()).toBe(2);
    expect(await page.locator(W('li.petitioner .st')).filter({ hasText: /^已发送$/ }).count()).toBe(2);
    expect(await page.locator(W('li.bot')).count()).toBeGreaterThan(2);
    expect(await page.locator(W('[polluted]')).count()).toBe(0);
    const storage = (await page.context().storageState()).origins.find((o) => o.origin === host.url)?.localStorage ?? [];
    const saved = JSON.parse(storage.find((i) => i.name === `petitionChat:${hub.url}`)?.value ?? 'null') as { pending: unknown } | null;
    expect(saved?.pending).toEqual({});
    expect(problems).toEqual([]);
  });

  it('leaves the host page as it was: no styles leak out, one global, the host still works', async () => {
    const { page, problems } = await openPage(browser, `${host.url}/host`);
    const measure = () =>
      page.evaluate(() => {
        const props = ['display', 'color', 'backgroundColor', 'fontFamily', 'fontSize', 'lineHeight', 'margin', 'padding', 'boxSizing', 'borderTopWidth', 'position', 'listStyleType', 'boxShadow', 'outlineStyle', 'width', 'height'] as const;
        const out: Record<string, string[]> = {};
        for (const sel of ['html', 'body', 'header', 'h2', 'section', 'p', 'a', 'span', 'ol', 'li', 'form', 'textarea', '#host-button', '#opener']) {
          const style = getComputedStyle(document.querySelector(sel) as Element);
          out[sel] = props.map((p) => style[p]);
        }
        return { styles: out, sheets: document.styleSheets.length, adopted: document.adoptedStyleSheets.length, globals: Object.keys(window).sort() };
      });
    const before = await measure();
    await page.evaluate((src) => {
      const s = document.createElement('script');
      s.src = src;
      s.dataset.lang = 'en';
      document.body.append(s);
    }, `${hub.url}/widget.js`);
    await page.locator(W('.launch')).waitFor();

    // The host's own button with data-petition-chat-open opens the chat.
    await page.click('#opener');
    await page.locator(W('li.bot')).first().waitFor();
    await say(page, 'My landlord has kept my deposit for four months');
    const after = await measure();
    expect(after.styles).toEqual(before.styles);
    expect([after.sheets, after.adopted]).toEqual([before.sheets, before.adopted]);
    expect(after.globals.filter((g) => !before.globals.includes(g))).toEqual(['__petitionChat']);

    // The host's controls still behave as the host made them.
    await page.evaluate(() => {
      const b = document.querySelector('#host-button') as HTMLButtonElement;
      b.addEventListener('click', () => (b.dataset.clicked = String(Number(b.dataset.clicked ?? 0) + 1)));
    });
    await page.click('#host-button');
    await page.fill('section textarea', 'typed on the host');
    expect(await page.getAttribute('#host-button', 'data-clicked')).toBe('1');
    expect(await page.inputValue('section textarea')).toBe('typed on the host');
    expect(problems).toEqual([]);
  });

  it('remembers the visitor: a new conversation takes up what they left untold; data-remember="false" keeps nothing', async () => {
    // The new session's greeting as the hub stored it, once the widget shows exactly that.
    const newConversation = async (p: import('playwright-core').Page) => {
      const key = `petitionChat:${hub.url}`;
      const before = (await storedSession(p, hub.url)).sessionId;
      await p.getByRole('button', { name: '开始新的对话', exact: true }).click();
      await p.waitForFunction(([k, id]) => (JSON.parse(localStorage.getItem(k) ?? '{}') as { sessionId?: string }).sessionId !== id, [key, before] as const);
      const greeting = await serverHistory(hub.url, await storedSession(p, hub.url));
      await p.locator(W('li.bot')).nth(greeting.length - 1).waitFor();
      expect(await shownMessages(p)).toEqual(greeting.map((m) => ({ role: m.role, text: m.text })));
      return greeting.map((m) => m.text).join('\n');
    };
    const told = '楼下饭店的油烟每天直冲我家窗户，老人咳嗽得厉害';
    for (const [path, remembers] of [['/plain', true], ['/kiosk', false]] as const) {
      const { page, problems } = await openPage(browser, `${host.url}${path}`, { locale: 'zh-CN' });
      await page.click(W('.launch'));
      await page.locator(W('li.bot')).first().waitFor();
      await say(page, told);
      const greeting = await newConversation(page);
      const key = await page.evaluate((k) => localStorage.getItem(k), `petitionChat:visitor:${hub.url}`);
      if (remembers) {
        expect(key).toMatch(/^[0-9a-f]{48}$/);
        expect(greeting).toContain('还没有登记完');
        expect(greeting).toContain('楼下饭店的油烟');
      } else {
        expect(key).toBeNull();
        expect(greeting).not.toContain('楼下饭店的油烟');
      }
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });
});
