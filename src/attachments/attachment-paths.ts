/**
 * Where an officer opens an attachment of a case: the console's route
 * (officers/console/attachment-routes.ts), which checks the officer may see the case and records the
 * view. A path on the hub; Slack and the admin API put it on PUBLIC_URL or give it as it is.
 */
export function attachmentPath(trackingNumber: string, attachmentId: string, thumbnail = false): string {
  return `/console/cases/${encodeURIComponent(trackingNumber)}/attachments/${encodeURIComponent(attachmentId)}${thumbnail ? '/thumbnail' : ''}`;
}

/**
 * The mark the channel gateway writes in a petitioner's message for each attachment it kept
 * (src/channels/material.ts: "[图片 image] attachment:<id>"), which officers' views turn into a link.
 */
export const ATTACHMENT_MARK = /\battachment:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/g;

/** A text in pieces: plain text, and the attachment ids its marks name, in order. */
export function splitMarks(text: string): ({ text: string } | { attachment: string })[] {
  const parts: ({ text: string } | { attachment: string })[] = [];
  let at = 0;
  for (const m of text.matchAll(ATTACHMENT_MARK)) {
    if (m.index > at) parts.push({ text: text.slice(at, m.index) });
    parts.push({ attachment: m[1] });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}
