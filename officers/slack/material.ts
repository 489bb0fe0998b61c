import { attachmentPath, splitMarks } from '../../src/attachments/attachment-paths.js';
import type { CaseAttachment } from '../../src/attachments/attachment-rows.js';
import { escapeMrkdwn } from '../../src/slack/mrkdwn.js';
import type { OfficeTexts } from './office-texts.js';
import { sizeText } from '../../src/util/size-text.js';

/** The card lists this many pieces of material; the rest are counted (Slack's context text is short). */
const LISTED = 10;

/** A console link for an attachment of a case, on PUBLIC_URL; null without it (a link to localhost helps nobody). */
export function materialUrl(trackingNumber: string, attachmentId: string, publicUrl: string | undefined): string | null {
  return publicUrl ? new URL(attachmentPath(trackingNumber, attachmentId), publicUrl).toString() : null;
}


/**
 * The card's line of what the petitioner sent: "*Material:* <url|photo 1> (34 KB) · <url|voice message 2>
 * (12 KB)", each a link to the hub's console, which signs the officer in, checks the case is theirs
 * and records the view. Never the file itself, never the sender's file name. Null when there is none.
 */
export function materialLine(trackingNumber: string, attachments: readonly CaseAttachment[], publicUrl: string | undefined, tx: OfficeTexts): string | null {
  if (!attachments.length) return null;
  const items = attachments.slice(0, LISTED).map((a, i) => {
    const label = escapeMrkdwn(tx.t('material.item', { kind: tx.of('material', a.kind), n: i + 1 }));
    const url = materialUrl(trackingNumber, a.id, publicUrl);
    return `${url ? `<${url}|${label}>` : label} (${sizeText(a.size)})`;
  });
  const more = attachments.length > LISTED ? tx.t('material.more', { n: attachments.length - LISTED }) : '';
  return tx.t('card.material', { list: `${items.join(' · ')}${more}`, where: publicUrl ? '' : tx.t('material.inConsole') });
}

/**
 * A petitioner's words for the thread, with the marks of the attachments they sent
 * ("[图片 image] attachment:<id>") as links to the console; `plain` renders the words around them
 * (redacted and escaped by the caller's rules).
 */
export function linkMarks(text: string, trackingNumber: string, publicUrl: string | undefined, plain: (text: string) => string, tx: OfficeTexts): string {
  return splitMarks(text)
    .map((part) => {
      if ('text' in part) return plain(part.text);
      const url = materialUrl(trackingNumber, part.attachment, publicUrl);
      return url ? `<${url}|${escapeMrkdwn(tx.t('material.open'))}>` : escapeMrkdwn(tx.t('material.inConsoleShort'));
    })
    .join('');
}
