import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { MessageView } from '../../src/conversation/messages.js';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

export async function api<T = unknown>(base: string, path: string, init: RequestInit & { json?: unknown; token?: string } = {}): Promise<ApiResponse<T>> {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const res = await fetch(base + path, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the test will see the raw text
  }
  return { status: res.status, body: body as T };
}

/** A petitioner in a browser, speaking the web chat API v1 exactly as docs/api.md (web chat API) gives it. */
export class WebchatClient {
  private constructor(
    readonly base: string,
    readonly sessionId: string,
    readonly token: string,
    readonly greeting: MessageView[],
  ) {}

  static async open(base: string, locale?: 'zh-CN' | 'en'): Promise<WebchatClient> {
    const r = await api<{ sessionId: string; token: string; messages: MessageView[] }>(base, '/api/webchat/sessions', {
      method: 'POST',
      json: locale ? { locale } : {},
    });
    if (r.status !== 201) throw new Error(`session not created: ${r.status} ${JSON.stringify(r.body)}`);
    return new WebchatClient(base, r.body.sessionId, r.body.token, r.body.messages);
  }

  /** Re-attaches to an existing session (after a restart, or from another tab). */
  static resume(base: string, sessionId: string, token: string): WebchatClient {
    return new WebchatClient(base, sessionId, token, []);
  }

  /** `clientMessageId: null` sends none (to test the refusal). */
  /** @param suffix appended to the path: '/' makes it a spelling only the Express route serves (not the message lane). */
  async post(text: unknown, clientMessageId: string | null = randomUUID(), suffix = ''): Promise<ApiResponse<{ messages: MessageView[] }>> {
    return api(this.base, `/api/webchat/sessions/${this.sessionId}/messages${suffix}`, {
      method: 'POST',
      token: this.token,
      json: clientMessageId === null ? { text } : { text, clientMessageId },
    });
  }

  /** Sends and returns the bot's replies; fails loudly on anything but 200. */
  async say(text: string, clientMessageId: string = randomUUID()): Promise<MessageView[]> {
    const r = await this.post(text, clientMessageId);
    if (r.status !== 200) throw new Error(`message refused: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.messages;
  }

  async history(after?: string): Promise<MessageView[]> {
    const q = after ? `?after=${encodeURIComponent(after)}` : '';
    const r = await api<{ messages: MessageView[] }>(this.base, `/api/webchat/sessions/${this.sessionId}/messages${q}`, { token: this.token });
    if (r.status !== 200) throw new Error(`history refused: ${r.status}`);
    return r.body.messages;
  }

  socketUrl(token = this.token): string {
    return `${this.base.replace(/^http/, 'ws')}/api/webchat/socket?sessionId=${encodeURIComponent(this.sessionId)}&token=${encodeURIComponent(token)}`;
  }

  /** Opens the push socket and collects what arrives. */
  async connect(): Promise<{ received: MessageView[]; next(): Promise<MessageView>; close(): void }> {
    const ws = new WebSocket(this.socketUrl());
    const received: MessageView[] = [];
    const waiters: ((m: MessageView) => void)[] = [];
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; message: MessageView };
      if (frame.type !== 'message') return;
      received.push(frame.message);
      waiters.shift()?.(frame.message);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    let seen = 0;
    return {
      received,
      next: () =>
        seen < received.length
          ? Promise.resolve(received[seen++])
          : new Promise<MessageView>((resolve) => waiters.push((m) => { seen++; resolve(m); })),
      close: () => ws.close(),
    };
  }
}

export function lastExpects(messages: MessageView[]) {
  return [...messages].reverse().find((m) => 'expects' in m && m.expects)?.expects;
}
