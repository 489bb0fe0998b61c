import type { Locale } from '../../src/domain.js';
import { completeIntake } from './intake.js';
import { api, WebchatClient, type ApiResponse } from './webchat-client.js';
import { ADMIN_TOKEN } from './hub.js';

const STORIES: Record<Locale, { first: string; answers: Record<string, string> }> = {
  'zh-CN': {
    first: '我在宏达电子厂上班,老板已经拖欠我们三个月工资了,一共两万三千元。',
    answers: { location: '深圳市宝安区福永街道', time: '从今年八月开始', desiredOutcome: '希望尽快把工资结清', priorAttempts: '找过老板', contactName: '李建国', contactPhone: '13912345678' },
  },
  en: {
    first: 'My employer at the Hongda electronics factory has not paid my wages for three months.',
    answers: { location: 'Fuyong, Bao an district, Shenzhen', time: 'since August', parties: 'Hongda electronics factory', desiredOutcome: 'pay the wages', priorAttempts: 'asked the boss', contactName: 'Anna Li', contactPhone: '13900001111' },
  },
};

/** A petitioner files a labour case through the web chat, as anyone would; returns the tracking number. */
export async function fileLabourCase(hubUrl: string, locale: Locale = 'zh-CN'): Promise<{ client: WebchatClient; ref: string }> {
  const client = await WebchatClient.open(hubUrl, locale);
  const story = STORIES[locale];
  const { trackingNumber } = await completeIntake(client, story.first, story.answers, client.greeting);
  return { client, ref: trackingNumber };
}

/** An officer answers the petitioner through the admin API of the hub at `hubUrl` (any instance). */
export function officerReply(hubUrl: string, trackingNumber: string, text: string, actor = 'officer:li'): Promise<ApiResponse> {
  return api(hubUrl, `/api/cases/${trackingNumber}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'reply', text, actor } });
}
