/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Request } from 'playwright-core';
import type { AxeResults, RunOptions } from 'axe-core';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { contrast, hostPages, launchBrowser, openPage, runBrowser, serverHistory, shownMessages, storedSession, W, type OpenedPage } from '../helpers/browser.js';

/** The focus ring every control of the widget shows when reached from the keyboard (as in widget-a11y). */
const RING = 'rgb(255, 255, 255) 0px 0px 0px 2px, rgb(31, 35, 40) 0px 0px 0px 4px';
/** How the hub writes a photo in the conversation (src/channels/material.ts). */
const PHOTO_LINE = /^\[图片 image\] attachment:\S+$/;
const ATTACHMENTS = /\/api\/webchat\/sessions\/[^/]+\/attachments$/;

// ---------- real image files, made here ----------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
/** A truecolour PNG of a diagonal gradient. */
function png(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter method, no interlace
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) raw.set([(x * 255) / width, (y * 255) / height, 160], row + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
/** A JPEG's size, from its first start-of-frame segment. */
function jpegSize(bytes: Buffer): { width: number; height: number } {
  for (let i = 2; i < bytes.length; ) {
    const marker = bytes[i + 1];
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
    i += 2 + bytes.readUInt16BE(i + 2);
  }
  throw new Error('no frame in this JPEG');
}
/** The JPEG with an EXIF segment (APP1) holding `secret` as its image description, as a camera writes one. */
function withExif(jpeg: Buffer, secret: string): Buffer {
  const text = Buffer.from(`${secret}\0`, 'latin1');
  const tiff = Buffer.alloc(26);
  tiff.write('MM\0*', 0, 'latin1');
  tiff.writeUInt32BE(8, 4); // IFD0 right after the header
  tiff.writeUInt16BE(1, 8); // one entry:
  tiff.writeUInt16BE(0x010e, 10); // ImageDescription
  tiff.writeUInt16BE(2, 12); // ASCII
  tiff.writeUInt32BE(text.length, 14);
  tiff.writeUInt32BE(26, 18); // the text follows the IFD
  tiff.writeUInt32BE(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff, text]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), head, payload, jpeg.subarray(2)]);
}

// ---------- axe-core, evaluated through the DevTools protocol (see console-a11y.test.ts for why) ----------

const AXE_SOURCE = readFileSync(join(dirname(createRequire(import.meta.url).resolve('axe-core')), 'axe.min.js'), 'utf8');
type Axe = { run(context: unknown, options: RunOptions): Promise<AxeResults> };
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: Axe }).axe;
    const results = await axe.run({ include: [['petition-chat']] }, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'], resultTypes: ['violations'] });
    return results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(' | ')}`);
  });
}

// ---------- the widget's photo controls ----------

/**
 * Has Playwright take the page's file choosers from now on. Done when the page opens: the
 * interception is switched on asynchronously, so a listener added only just before a key press can
 * miss the chooser that press opens.
 */
function takeFileChoosers(page: Page): void {
  page.on('filechooser', () => undefined);
}

/** Picks files with the widget's own button, through the browser's file chooser. */
async function pickWithButton(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click(W('.att'))]);
  await chooser.setFiles(files);
}

/** The photo bubbles' states and what each shows: a loaded preview, or the neutral line. */
function photoBubbles(page: Page) {
  return page.locator(W('li.petitioner')).evaluateAll((lis) =>
    lis
      .filter((li) => li.querySelector('img, .cam'))
      .map((li) => {
        const img = li.querySelector('img');
        // (Not a clone: a cloned <img> would load its object URL again, which is revoked once shown.)
        const text = [...(li.querySelector('.b')?.childNodes ?? [])].filter((n) => !(n instanceof Element && n.classList.contains('sr'))).map((n) => n.textContent).join('');
        return {
          status: li.querySelector('.st')?.textContent ?? '',
          failed: li.classList.contains('failed'),
          retry: li.querySelectorAll('.st button').length,
          preview: img ? { loaded: img.complete && img.naturalWidth > 0, alt: img.alt, src: img.src.slice(0, 5) } : null,
          text,
        };
      }),
  );
}

const botCount = (page: Page) => page.locator(W('li.bot')).count();

describe.runIf(runBrowser)('photos in the web chat widget', () => {
  let hub: TestHub;
  let browser: Browser;
  let host: Awaited<ReturnType<typeof hostPages>>;

  beforeAll(async () => {
    hub = await startTestHub();
    browser = await launchBrowser();
    // Host pages on another origin, without a Content-Security-Policy of their own (the embedding case);
    // the demo page, under the hub's CSP, has its own test below.
    const pageWith = (attrs: string) =>
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>Host</title></head><body><p>Host page</p><script src="${hub.url}/widget.js" async ${attrs}></script></body></html>`;
    host = await hostPages({ '/': pageWith('data-lang="zh-CN"'), '/en': pageWith('data-lang="en"') });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await hub?.drop();
  });

  async function opened(path = '/'): Promise<OpenedPage> {
    const o = await openPage(browser, `${host.url}${path}`);
    takeFileChoosers(o.page);
    await o.page.click(W('.launch'));
    await o.page.locator(W('li.bot')).first().waitFor();
    return o;
  }

  it('sends a photo picked with the attach button: a preview that shows sending, then sent, and the bot acknowledges it', async () => {
    const { page, problems } = await opened();
    const picture = png(64, 48);

    // Held at the hub's door, the photo shows as sending with its preview.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(ATTACHMENTS, async (route) => {
      await held;
      await route.continue();
    });
    const bots = await botCount(page);
    const request = page.waitForRequest((r) => ATTACHMENTS.test(r.url()) && r.method() === 'POST');
    await pickWithButton(page, [{ name: '路灯坏了.png', mimeType: 'image/png', buffer: picture }]);
    const sent: Request = await request;
    await expect.poll(() => photoBubbles(page)).toEqual([{ status: '发送中……', failed: false, retry: 0, preview: { loaded: true, alt: '照片', src: 'blob:' }, text: '' }]);
    release();

    await page.locator(W('li.petitioner .st')).filter({ hasText: /^已发送$/ }).waitFor();
    await page.locator(W('li.bot')).nth(bots).waitFor();
    expect(await page.locator(W('li.bot .b')).nth(bots).innerText()).toContain('收到');

    // The request is the photo itself, as docs/api.md gives it: a small PNG goes as it is.
    const headers = await sent.allHeaders();
    expect(headers['content-type']).toBe('image/png');
    expect(headers['authorization']).toMatch(/^Bearer \S+$/);
    expect(headers['x-client-message-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers['x-file-name']).toBe(encodeURIComponent('路灯坏了.png'));
    expect(sent.postDataBuffer()?.equals(picture)).toBe(true);

    // The hub stored it once, as the petitioner's message with that id, and acknowledged it.
    const session = await storedSession(page, hub.url);
    const history = await serverHistory(hub.url, session);
    const photos = history.filter((m) => m.role === 'petitioner' && PHOTO_LINE.test(m.text));
    expect(photos.map((m) => (m as { clientMessageId?: string }).clientMessageId)).toEqual([headers['x-client-message-id']]);
    expect(history[history.indexOf(photos[0]) + 1]).toMatchObject({ role: 'bot', text: expect.stringContaining('收到') });

    // Once shown, the preview's object URL is revoked: the blob does not stay in the page's memory.
    expect(await photoBubbles(page)).toEqual([{ status: '已发送', failed: false, retry: 0, preview: { loaded: true, alt: '照片', src: 'blob:' }, text: '' }]);
    const src = await page.locator(W('li.petitioner img')).getAttribute('src');
    const complaints = problems.length;
    expect(await page.evaluate((u) => fetch(u as string).then(() => 'still there', () => 'revoked'), src)).toBe('revoked');
    // (The browser logs that fetch of the revoked URL itself.)
    expect(problems.splice(complaints).filter((p) => p !== 'Failed to load resource: net::ERR_FILE_NOT_FOUND')).toEqual([]);
    expect(await page.locator(W('.hint')).isHidden()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // After a reload the history gives the hub's line back: it shows as a neutral "photo sent", not as raw text.
    await page.reload();
    await page.click(W('.launch'));
    await page.locator(W('li.bot')).nth(bots).waitFor();
    const shown = (await shownMessages(page)).filter((m) => m.role === 'petitioner');
    expect(shown).toEqual([{ role: 'petitioner', text: '已发送一张照片' }]);
    expect(await page.locator(W('li.petitioner img')).count()).toBe(0);
    expect(await page.locator(W('li.petitioner .b')).innerText()).not.toContain('attachment:');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('refuses an HTML file named .png with the hub\'s reason, and shows nothing as sent', async () => {
    const { page, problems } = await opened();
    const bots = await botCount(page);
    const html = Buffer.from('<!doctype html><html><body><script>top.__xss = 1</script><p>not a photo</p></body></html>');
    const answer = page.waitForResponse((r) => ATTACHMENTS.test(r.url()) && r.request().method() === 'POST');
    await pickWithButton(page, [{ name: 'photo.png', mimeType: 'image/png', buffer: html }]);
    // The browser cannot read it as an image, so it goes as it is and the hub decides.
    const refused = await answer;
    expect(refused.status()).toBe(415);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('attachment_refused');
    expect(body.error.message.length).toBeGreaterThan(0);

    // The widget says so in its own words, with the hub's reason; the photo is marked not sent, with no Retry (it would be refused again).
    const notice = page.locator(W('li.system .b')).last();
    await notice.waitFor();
    expect(await notice.innerText()).toBe(`这张照片未能发送：文件内容不是可以接收的照片。（${body.error.message}）`);
    // (Its preview could not be drawn either: the bubble says "photo", neutrally.)
    await expect.poll(() => photoBubbles(page)).toEqual([{ status: '未能发送', failed: true, retry: 0, preview: null, text: '照片' }]);
    expect(await page.locator(W('li.petitioner .st')).filter({ hasText: /^已发送$/ }).count()).toBe(0);
    expect(await botCount(page)).toBe(bots);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss ?? null)).toBeNull();

    // Nothing reached the conversation.
    const history = await serverHistory(hub.url, await storedSession(page, hub.url));
    expect(history.filter((m) => m.role === 'petitioner')).toEqual([]);
    // The browser's own line about the refused request is the only complaint.
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 415 (Unsupported Media Type)']);
    await page.context().close();
  });

  it('checks a photo before sending it: only images, and not over 10 MB', async () => {
    const { page, problems } = await opened();
    const uploads: string[] = [];
    page.on('request', (r) => ATTACHMENTS.test(r.url()) && uploads.push(r.url()));
    const input = W('input[type=file]');
    expect(await page.locator(input).evaluate((e: HTMLInputElement) => [e.accept, e.hasAttribute('capture'), e.multiple])).toEqual(['image/*', false, true]);

    await page.setInputFiles(input, { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('just text') });
    await page.locator(W('.hint.bad')).filter({ hasText: '只能发送照片' }).waitFor();
    expect(await page.locator(W('.hint')).innerText()).toBe('只能发送照片（JPG、PNG、WebP 或 GIF 格式）。');

    // A GIF is sent as it is (it may move), so one over the limit is refused at once.
    const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(11 * 1024 * 1024)]);
    await page.setInputFiles(input, { name: 'big.gif', mimeType: 'image/gif', buffer: gif });
    await page.locator(W('.hint.bad')).filter({ hasText: '太大' }).waitFor();
    expect(await page.locator(W('.hint')).innerText()).toBe('这张照片太大（超过 10 MB），无法发送，请换一张较小的照片。');

    expect(await page.locator(W('li.petitioner')).count()).toBe(0);
    expect(uploads).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('makes a large photo smaller before sending it, as a JPEG without its EXIF data', async () => {
    // The DevTools protocol does not hand over a request body this large: the page keeps a copy of
    // what the widget sends (its fetch, captured when it loads, is this one).
    const { page, problems } = await openPage(browser, `${host.url}/`);
    await page.addInitScript(() => {
      const real = window.fetch.bind(window);
      const w = window as unknown as { __bodies: Blob[] };
      w.__bodies = [];
      window.fetch = (input, init) => {
        if (init?.body instanceof Blob) w.__bodies.push(init.body);
        return real(input, init);
      };
    });
    takeFileChoosers(page);
    await page.reload();
    await page.click(W('.launch'));
    await page.locator(W('li.bot')).first().waitFor();
    // A camera-sized JPEG (3200 × 2400), made by this browser, with a location in its EXIF data.
    const made = await page.evaluate(async () => {
      const c = document.createElement('canvas');
      c.width = 3200;
      c.height = 2400;
      const g = c.getContext('2d') as CanvasRenderingContext2D;
      const grad = g.createLinearGradient(0, 0, 3200, 2400);
      grad.addColorStop(0, '#1f5fa8');
      grad.addColorStop(1, '#f0c040');
      g.fillStyle = grad;
      g.fillRect(0, 0, 3200, 2400);
      const blob = await new Promise<Blob>((resolve) => c.toBlob((b) => resolve(b as Blob), 'image/jpeg', 0.95));
      return [...new Uint8Array(await blob.arrayBuffer())];
    });
    const secret = 'GPS 31.2304N 121.4737E';
    const original = withExif(Buffer.from(made), secret);
    expect(jpegSize(original)).toEqual({ width: 3200, height: 2400 });

    const bots = await botCount(page);
    const request = page.waitForRequest((r) => ATTACHMENTS.test(r.url()) && r.method() === 'POST');
    await pickWithButton(page, [{ name: 'IMG_0001.JPG', mimeType: 'image/jpeg', buffer: original }]);
    const sent = await request;
    await page.locator(W('li.bot')).nth(bots).waitFor();
    expect(await page.locator(W('li.bot .b')).nth(bots).innerText()).toContain('收到');

    const bodies = await page.evaluate(() =>
      Promise.all((window as unknown as { __bodies: Blob[] }).__bodies.map(async (b) => [...new Uint8Array(await b.arrayBuffer())])),
    );
    expect(bodies.length).toBe(1);
    const bytes = Buffer.from(bodies[0]);
    expect((await sent.allHeaders())['content-type']).toBe('image/jpeg');
    expect((await sent.allHeaders())['x-file-name']).toBe('IMG_0001.JPG');
    expect(jpegSize(bytes)).toEqual({ width: 2560, height: 1920 });
    expect(bytes.length).toBeLessThan(original.length);
    expect(bytes.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
    expect(bytes.includes(Buffer.from(secret, 'latin1'))).toBe(false);
    expect(await photoBubbles(page)).toEqual([{ status: '已发送', failed: false, retry: 0, preview: { loaded: true, alt: '照片', src: 'blob:' }, text: '' }]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('sends again what could not go out, with the same X-Client-Message-Id, and the hub keeps it once', async () => {
    const { page, problems } = await opened();
    const ids: string[] = [];
    const answers = ['abort', 'rate_limited'];
    // The first try finds no network (the widget tries again by itself); the second is rate limited
    // (it waits for the petitioner's Retry); the third goes through.
    await page.route(ATTACHMENTS, async (route) => {
      ids.push((await route.request().allHeaders())['x-client-message-id']);
      const answer = answers.shift();
      if (answer === 'abort') return route.abort('internetdisconnected');
      if (answer) return route.fulfill({ status: 429, json: { error: { code: 'rate_limited', message: 'too many requests; please wait a moment and try again' } } });
      return route.continue();
    });
    const bots = await botCount(page);
    await pickWithButton(page, [{ name: 'a.png', mimeType: 'image/png', buffer: png(40, 30) }]);
    const retry = page.locator(W('li.petitioner.failed .st button'));
    await retry.waitFor();
    expect(await retry.innerText()).toBe('重试');
    expect(await page.locator(W('li.system .b')).last().innerText()).toBe('发送太频繁，请稍候再试。');
    expect(await photoBubbles(page)).toEqual([{ status: '发送失败 重试', failed: true, retry: 1, preview: { loaded: true, alt: '照片', src: 'blob:' }, text: '' }]);
    expect(ids.length).toBe(2);

    await retry.click();
    await page.locator(W('li.petitioner .st')).filter({ hasText: /^已发送$/ }).waitFor();
    await page.locator(W('li.bot')).nth(bots).waitFor();
    expect(await page.locator(W('li.bot .b')).nth(bots).innerText()).toContain('收到');
    expect(ids.length).toBe(3);
    expect(new Set(ids).size).toBe(1);

    const history = await serverHistory(hub.url, await storedSession(page, hub.url));
    expect(history.filter((m) => m.role === 'petitioner').map((m) => [PHOTO_LINE.test(m.text), (m as { clientMessageId?: string }).clientMessageId])).toEqual([[true, ids[0]]]);
    expect(problems.filter((p) => !/^Failed to load resource: (net::ERR_INTERNET_DISCONNECTED|the server responded with a status of 429)/.test(p))).toEqual([]);
    await page.context().close();
  });

  it('has an attach button that is named in both languages, reachable by keyboard with a visible focus ring, and 44 px at least', async () => {
    const { page, problems } = await opened();
    await page.focus(W('textarea'));
    const focused = () =>
      page.evaluate(() => {
        const el = document.querySelector('petition-chat')?.shadowRoot?.activeElement as HTMLElement | null;
        return el && { tag: el.tagName, name: el.getAttribute('aria-label'), ring: getComputedStyle(el).boxShadow, visible: el.matches(':focus-visible') };
      });
    await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ tag: 'BUTTON', name: '发送', ring: RING, visible: true });
    await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ tag: 'BUTTON', name: '发送照片', ring: RING, visible: true });
    // Enter opens the system's file chooser; the hidden file input itself is never a tab stop.
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Enter')]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles([]);
    await page.keyboard.press('Tab');
    expect(await focused()).not.toMatchObject({ tag: 'INPUT' });

    const button = page.getByRole('button', { name: '发送照片', exact: true });
    const box = await button.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(44);
    expect(box?.height).toBeGreaterThanOrEqual(44);
    // The icon (drawn in CSS, in the ink colour) stands out from the button's ground.
    const [ink, ground] = await button.evaluate((e) => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]);
    expect(contrast(ink, ground)).toBeGreaterThanOrEqual(3);
    expect(problems).toEqual([]);
    await page.context().close();

    // In English: its name, the acknowledgement, and the neutral line after a reload.
    const en = await opened('/en');
    const attach = en.page.getByRole('button', { name: 'Send a photo', exact: true });
    expect(await attach.getAttribute('title')).toBe('Send a photo');
    const bots = await botCount(en.page);
    await pickWithButton(en.page, [{ name: 'pothole.png', mimeType: 'image/png', buffer: png(32, 32) }]);
    await en.page.locator(W('li.petitioner .st')).filter({ hasText: /^Sent$/ }).waitFor();
    await en.page.locator(W('li.bot')).nth(bots).waitFor();
    expect(await en.page.locator(W('li.bot .b')).nth(bots).innerText()).toContain('Received');
    await en.page.reload();
    await en.page.click(W('.launch'));
    await en.page.locator(W('li.bot')).nth(bots).waitFor();
    expect((await shownMessages(en.page)).filter((m) => m.role === 'petitioner')).toEqual([{ role: 'petitioner', text: 'Photo sent' }]);
    expect(en.problems).toEqual([]);
  });

  it('works on the demo page under the hub\'s own Content-Security-Policy', async () => {
    const csp = (await fetch(`${hub.url}/`)).headers.get('content-security-policy') ?? '';
    const blobAllowed = /img-src[^;]*\bblob:/.test(csp);
    const { page, problems } = await openPage(browser, `${hub.url}/`);
    takeFileChoosers(page);
    await page.click(W('.launch'));
    await page.locator(W('li.bot')).first().waitFor();
    const bots = await botCount(page);
    await pickWithButton(page, [{ name: 'a.png', mimeType: 'image/png', buffer: png(48, 48) }]);
    await page.locator(W('li.petitioner .st')).filter({ hasText: /^已发送$/ }).waitFor();
    await page.locator(W('li.bot')).nth(bots).waitFor();
    expect(await page.locator(W('li.bot .b')).nth(bots).innerText()).toContain('收到');
    if (blobAllowed) {
      // The preview shows, and nothing is refused.
      expect(await photoBubbles(page)).toEqual([{ status: '已发送', failed: false, retry: 0, preview: { loaded: true, alt: '照片', src: 'blob:' }, text: '' }]);
      expect(problems).toEqual([]);
    } else {
      // Without blob: in img-src the preview is blocked: the bubble falls back to the neutral line,
      // and the blocked image is the only complaint.
      await expect.poll(() => photoBubbles(page)).toEqual([{ status: '已发送', failed: false, retry: 0, preview: null, text: '照片' }]);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.filter((p) => !/img-src/.test(p))).toEqual([]);
    }
    await page.context().close();
  });
});
