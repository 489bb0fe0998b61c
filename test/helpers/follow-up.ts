import type { MessageView } from '../../src/conversation/messages.js';
import { ADMIN_TOKEN } from './hub.js';
import { api } from './webchat-client.js';

/** The query code the filing message gave, next to the tracking number. */
export function queryCodeIn(messages: MessageView[]): string {
  const filed = messages.find((m) => m.caseRef);
  const code = /(?:查询码：|query code is )([2-9A-HJ-NP-Z]{6})/.exec(filed?.text ?? '')?.[1];
  if (!code) throw new Error(`no query code in ${JSON.stringify(filed)}`);
  return code;
}

/** An officer's action through the admin API; fails loudly on anything but 200. */
export async function act(hubUrl: string, ref: string, json: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await api<Record<string, unknown>>(hubUrl, `/api/cases/${ref}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { actor: 'officer:wang', ...json } });
  if (r.status !== 200) throw new Error(`${String(json.action)} refused: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** The case as the admin API gives it. */
export async function adminCase(hubUrl: string, ref: string): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON body checked field by field
  const r = await api<Record<string, unknown>>(hubUrl, `/api/cases/${ref}`, { token: ADMIN_TOKEN });
  if (r.status !== 200) throw new Error(`case ${ref}: ${r.status}`);
  return r.body;
}

/** [role, text] of messages, for transcript assertions. */
export const lines = (messages: MessageView[]) => messages.map((m) => [m.role, m.text]);
