/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { completeIntake } from '../helpers/intake.js';
import { api, WebchatClient } from '../helpers/webchat-client.js';
import { hostPages, launchBrowser, openPage, runBrowser, say, serverHistory, shownMessages, storedSession, W } from '../helpers/browser.js';

/** Each payload, if it ever ran, would set window.__xss. */
const PETITIONER_XSS = [
  '<img src=x onerror="top.__xss=\'petitioner-img\'">',
  '<script>top.__xss="petitioner-script"</script>',
  '"><svg onload="top.__xss=\'petitioner-svg\'">',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  'javascript:top.__xss="petitioner-js"',
  '我家楼下的饭店每天半夜还在营业,噪音特别大',
].join(' ');
const OFFICER_XSS =
  '<b>已联系</b><img src=x onerror="top.__xss=\'officer-img\'"><script>top.__xss="officer-script"</script> ' +
  'javascript:top.__xss="officer-js" 详见 https://example.gov.cn/a"><svg onload="top.__xss=\'officer-svg\'">';

describe.runIf(runBrowser)('the widget renders every text as text', () => {
  let hub: TestHub;
  let browser: Browser;
  let host: Awaited<ReturnType<typeof hostPages>>;

  beforeAll(async () => {
    hub = await startTestHub();
    browser = await launchBrowser();
    // A host page without any Content-Security-Policy: if the widget ever wrote HTML, the payloads would run here.
    host = await hostPages({
      '/': `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Host</title></head><body><p>Host</p><script src="${hub.url}/widget.js" async></script></body></html>`,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await hub?.drop();
  });

  it('shows HTML and script from the petitioner and from an officer literally, and runs none of it', async () => {
    const { page, problems } = await openPage(browser, `${host.url}/`);
    await page.click(W('.launch'));
    await page.locator(W('li.bot')).first().waitFor();
    await say(page, PETITIONER_XSS);

    // The rest of the intake through the API, as the same petitioner; a reload shows it all.
    const session = await storedSession(page, hub.url);
    const { trackingNumber } = await completeIntake(WebchatClient.resume(hub.url, session.sessionId, session.token), '在武汉市江汉区青年路18号', {});
    await page.reload();
    await page.click(W('.launch'));
    await page.locator(W('.ref')).waitFor();
    expect((await page.locator(W('.ref')).innerText()).trim()).toBe(trackingNumber);

    const reply = await api(hub.url, `/api/cases/${trackingNumber}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'reply', text: OFFICER_XSS, actor: 'officer:1' } });
    expect(reply.status).toBe(200);
    await page.locator(W('li.officer')).waitFor();

    const history = await serverHistory(hub.url, session);
    const officerText = history.find((m) => m.role === 'officer')?.text ?? '';
    expect(officerText).toContain(OFFICER_XSS);
    const shown = await shownMessages(page);
    expect(shown.filter((m) => m.role === 'petitioner')[0]).toEqual({ role: 'petitioner', text: PETITIONER_XSS });
    expect(shown.filter((m) => m.role === 'officer')).toEqual([{ role: 'officer', text: officerText }]);

    const dom = await page.evaluate(() => {
      const root = document.querySelector('petition-chat')?.shadowRoot as ShadowRoot;
      const all = [...root.querySelectorAll('*')];
      return {
        xss: (window as unknown as { __xss?: unknown }).__xss ?? null,
        injected: root.querySelectorAll('img, script, iframe, object, embed, style, b').length,
        icons: root.querySelectorAll('svg').length,
        handlers: all.filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
        links: [...root.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target')]),
        hostElements: document.querySelectorAll('body img, body svg, body iframe').length,
      };
    });
    // Only http(s) addresses become links, cut before the first quote; javascript: stays text.
    expect(dom).toEqual({ xss: null, injected: 0, icons: 4, handlers: 0, links: [['https://example.gov.cn/a', 'noopener noreferrer', '_blank']], hostElements: 0 });
    expect(problems).toEqual([]);
  });

  it('serves its pages under a strict Content-Security-Policy that also refuses HTML sinks', async () => {
    const res = await fetch(`${hub.url}/`);
    const host = new URL(hub.url).host;
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; " +
        `object-src 'none'; require-trusted-types-for 'script'; trusted-types 'none'; connect-src 'self' ws://${host} wss://${host}`,
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const widget = await fetch(`${hub.url}/widget.js`);
    expect([widget.headers.get('content-type'), widget.headers.get('x-content-type-options'), widget.headers.get('cross-origin-resource-policy')]).toEqual([
      'text/javascript; charset=utf-8',
      'nosniff',
      'cross-origin',
    ]);

    // On the demo page the widget works under that policy, and the policy stops any HTML written into the page.
    const { page, problems } = await openPage(browser, `${hub.url}/`);
    await page.click(W('.launch'));
    await page.locator(W('li.bot')).first().waitFor();
    await say(page, '<img src=x onerror=alert(1)> 路灯坏了');
    const sink = await page.evaluate(() => {
      try {
        document.body.insertAdjacentHTML('beforeend', '<img src=x>');
        return 'written';
      } catch (e) {
        return (e as Error).name;
      }
    });
    expect(sink).toBe('TypeError');
    // The only complaint is the browser's, about the blocked write; the widget caused none.
    expect(problems).toEqual(["This document requires 'TrustedHTML' assignment. The action has been blocked."]);
  });
});
