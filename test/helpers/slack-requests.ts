import { createHmac } from 'node:crypto';

/** Slack's request signature: v0= HMAC-SHA256 of "v0:{timestamp}:{raw body}" with the signing secret. */
export function slackSignature(secret: string, timestamp: string | number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Posts a correctly signed request to the hub's /slack/events, as Slack does. */
export async function postSigned(
  base: string,
  secret: string,
  body: string,
  options: { contentType?: string; timestamp?: number; signature?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(`${base}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(secret, timestamp, body),
      ...options.headers,
    },
    body,
  });
}

/** An interactivity payload (block_actions, view_submission) as Slack posts it: form-encoded JSON. */
export function interaction(payload: object): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** `actionTs` tells presses apart, as Slack's own timestamps do (a DM petitioner's answers are keyed on it). */
export function buttonClick(user: string, channel: string, actionId: string, value: string, actionTs = '1700000001.000000') {
  return interaction({
    type: 'block_actions',
    team: { id: 'T1', domain: 'office' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: '1234.5678.abcd',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: channel, is_ephemeral: false },
    channel: { id: channel, name: 'dept' },
    message: { ts: '1700000000.000100', text: 'card' },
    actions: [{ type: 'button', action_id: actionId, block_id: 'case_actions', value, action_ts: actionTs, text: { type: 'plain_text', text: 'x' } }],
  });
}

export function modalSubmit(user: string, callbackId: string, privateMetadata: object, values: Record<string, Record<string, object>>) {
  return interaction({
    type: 'view_submission',
    team: { id: 'T1', domain: 'office' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: '1234.5678.efgh',
    view: {
      id: 'V1',
      type: 'modal',
      callback_id: callbackId,
      private_metadata: JSON.stringify(privateMetadata),
      state: { values },
      hash: 'h1',
      title: { type: 'plain_text', text: 'x' },
      blocks: [],
      team_id: 'T1',
      app_id: 'A1',
      bot_id: 'BBOT',
    },
  });
}

/** An Events API delivery (event_callback) around one event, as Slack posts it. */
export function eventCallback(eventId: string, event: object): Record<string, unknown> {
  return { token: 'legacy', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: 1_700_000_000, event };
}

/** Posts an Events API delivery, signed, as JSON. */
export function postEvent(base: string, secret: string, eventId: string, event: object, headers?: Record<string, string>): Promise<Response> {
  return postSigned(base, secret, JSON.stringify(eventCallback(eventId, event)), { contentType: 'application/json', headers });
}
