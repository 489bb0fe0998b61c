/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import type { MessageView } from '../../src/conversation/messages.js';
import { api } from './webchat-client.js';

export const CHROMIUM = '/usr/bin/chromium';
// CI installs Debian's Chromium and sets REQUIRE_BROWSER so a missing browser fails instead of skipping.
export const runBrowser = existsSync(CHROMIUM) || process.env.REQUIRE_BROWSER === '1';
/**
 * Where the browser tests put the screenshots the README shows: docs/screenshots with `npm run
 * screenshots`; otherwise a temporary folder, so that a test run leaves the working tree as it was.
 */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : join(tmpdir(), 'hub-test-screenshots');

export function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

/** A selector inside the widget (Playwright's CSS engine pierces its open shadow root). */
export const W = (s: string) => `petition-chat ${s}`;

export interface OpenedPage {
  page: Page;
  /** Page errors, console errors and CSP violations seen so far. */
  problems: string[];
  /** Every URL the page requested. */
  requests: string[];
}

/** A new context and page that records problems and requests, accepts dialogs, and opens `url`. */
export async function openPage(browser: Browser, url: string, options: BrowserContextOptions = {}): Promise<OpenedPage> {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 }, ...options });
  const page = await ctx.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('dialog', (d) => void d.accept());
  page.on('request', (r) => requests.push(r.url()));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective}`)),
  );
  await page.goto(url);
  return { page, problems, requests };
}

/** Waits until the panel's opening animation (if motion is not reduced) has finished, for exact geometry. */
export async function panelSettled(page: Page): Promise<void> {
  await page.locator(W('.panel')).evaluate((e) => Promise.all(e.getAnimations().map((a) => a.finished)).then(() => undefined));
}

/** Types a message into the widget, sends it with Enter and waits for the next bot message. */
export async function say(page: Page, text: string): Promise<void> {
  const bots = await page.locator(W('li.bot')).count();
  await page.fill(W('textarea'), text);
  await page.press(W('textarea'), 'Enter');
  await page.locator(W('li.bot')).nth(bots).waitFor();
}

/** Answers "不方便" until the summary's quick replies show (the bot never blocks on a detail). */
export async function sayUntilQuickReplies(page: Page, decline = '不方便说'): Promise<void> {
  for (let i = 0; i < 10 && (await page.locator(W('.qr button')).count()) === 0; i++) await say(page, decline);
  await page.locator(W('.qr button')).first().waitFor();
}

/** The session the widget keeps in the browser's storage for `hubUrl`. */
export async function storedSession(page: Page, hubUrl: string): Promise<{ sessionId: string; token: string; pending: Record<string, unknown> }> {
  const raw = await page.evaluate((key) => localStorage.getItem(key), `petitionChat:${hubUrl}`);
  if (!raw) throw new Error('the widget stored no session');
  return JSON.parse(raw) as { sessionId: string; token: string; pending: Record<string, unknown> };
}

/** The conversation as the hub has stored it. */
export async function serverHistory(hubUrl: string, session: { sessionId: string; token: string }): Promise<(MessageView & { from?: string })[]> {
  const r = await api<{ messages: (MessageView & { from?: string })[] }>(hubUrl, `/api/webchat/sessions/${session.sessionId}/messages`, { token: session.token });
  if (r.status !== 200) throw new Error(`history: ${r.status}`);
  return r.body.messages;
}

/** What the widget shows, in order: each message's role and its text (without the screen-reader prefix). */
export function shownMessages(page: Page): Promise<{ role: string; text: string }[]> {
  return page.evaluate(() => {
    const root = document.querySelector('petition-chat')?.shadowRoot;
    return [...(root?.querySelectorAll('li.m') ?? [])].map((li) => {
      const b = li.querySelector('.b')?.cloneNode(true) as HTMLElement;
      b.querySelector('.sr')?.remove();
      const role = ['petitioner', 'bot', 'officer', 'system'].find((r) => li.classList.contains(r)) ?? '';
      return { role, text: b.textContent ?? '' };
    });
  });
}

/** A plain web server on another origin for host pages (no CSP: nothing there would stop an injection). */
export async function hostPages(pages: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const html = pages[new URL(req.url ?? '/', 'http://host').pathname];
    if (html === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** WCAG 2 relative luminance and contrast ratio of two `rgb(...)` colours. */
export function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    return [r, g, bl]
      .map((v) => v / 255)
      .map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  };
  const [x, y] = [lum(a), lum(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}
