import { describe, expect, it } from 'vitest';
import { caseCard, type CardCase } from '../../officers/slack/case-card.js';
import { threadLine } from '../../officers/slack/event-lines.js';
import { materialLine } from '../../officers/slack/material.js';
import { OfficeTexts } from '../../officers/slack/office-texts.js';
import { markedText, materialSection } from '../../officers/console/material.js';
import { translator } from '../../officers/console/texts.js';
import type { CaseAttachment } from '../../src/attachments/attachment-rows.js';
import type { CaseAttachmentView } from '../../src/cases/case-view.js';

const REF = 'XF-261128-ABCDE';
const HUB = 'https://petitions.example.gov.cn';
const EN = new OfficeTexts('en', 'Asia/Shanghai');
const ZH = new OfficeTexts('zh-CN', 'Asia/Shanghai');
const PHOTO = '0849f4b1-053f-4a04-9183-85824dbfbb55';
const VOICE = '9a496840-1af1-4619-b6e4-76b6e9b6209a';

const attachments: CaseAttachment[] = [
  { id: PHOTO, messageId: 'm1', kind: 'image', contentType: 'image/jpeg', size: 350_000, createdAt: new Date('2026-03-02T08:00:00Z'), hasThumbnail: true },
  { id: VOICE, messageId: 'm2', kind: 'voice', contentType: 'audio/amr', size: 12_800, createdAt: new Date('2026-03-02T08:01:00Z'), hasThumbnail: false },
];

const card: CardCase = {
  trackingNumber: REF, status: 'submitted', category: 'labour_social_security', categoryLabel: 'Labour', departmentLabel: 'Human Resources Bureau',
  urgency: 'normal', needsTriage: false, assignee: null, summary: 'Wages unpaid for three months.', details: {},
  acceptanceDueAt: new Date('2026-03-17T00:00:00Z'), resolutionDueAt: new Date('2026-05-01T00:00:00Z'), resolutionExtended: false,
};

describe('material in Slack: links to the console, never the file or its name', () => {
  it('lists it on the case card, in the office’s language', () => {
    const line = materialLine(REF, attachments, HUB, EN) as string;
    expect(line).toBe(`:paperclip: *Material:* <${HUB}/console/cases/${REF}/attachments/${PHOTO}|photo 1> (342 KB) · <${HUB}/console/cases/${REF}/attachments/${VOICE}|voice message 2> (13 KB)`);
    expect(materialLine(REF, attachments, HUB, ZH)).toBe(`:paperclip: *材料：* <${HUB}/console/cases/${REF}/attachments/${PHOTO}|照片 1> (342 KB) · <${HUB}/console/cases/${REF}/attachments/${VOICE}|语音 2> (13 KB)`);
    const blocks = JSON.stringify(caseCard({ ...card, material: line }, null, EN).blocks);
    expect(blocks).toContain('*Material:*');
    expect(JSON.stringify(caseCard(card, null, EN).blocks)).not.toContain('Material');
    expect(materialLine(REF, [], HUB, EN)).toBeNull();
  });

  it('without PUBLIC_URL names what there is and where to open it, with no link to nowhere', () => {
    expect(materialLine(REF, attachments, undefined, ZH)).toBe(':paperclip: *材料：* 照片 1 (342 KB) · 语音 2 (13 KB)（请在受理台打开案件查看）');
  });

  it('counts what does not fit on the card', () => {
    const many = Array.from({ length: 13 }, (_, i) => ({ ...attachments[1], id: `${VOICE.slice(0, -2)}${String(i).padStart(2, '0')}` }));
    expect(materialLine(REF, many, HUB, EN)).toMatch(/voice message 10> \(13 KB\) and 3 more on the case page$/);
  });

  it('turns the marks in what the petitioner added into links in the case’s thread, the words still redacted and escaped', () => {
    const event = { type: 'info_added', actor: 'petitioner', text: `[图片 image] attachment:${PHOTO}\n我叫王小明 <!channel>`, data: null };
    const details = { contactName: '王小明' };
    const line = threadLine(event, details, ZH, { trackingNumber: REF, publicUrl: HUB }) as string;
    expect(line).toContain(`[图片 image] <${HUB}/console/cases/${REF}/attachments/${PHOTO}|在受理台打开>`);
    expect(line).not.toContain('王小明');
    expect(line).toContain('&lt;!channel&gt;');
    expect(threadLine(event, details, EN, { trackingNumber: REF })).toContain("[图片 image] (in the hub's console)");
    // A mark in another case's thread points at that case's own route, which serves only its own material.
    expect(threadLine(event, details, EN, { trackingNumber: 'XF-261128-OTHER', publicUrl: HUB })).toContain(`/console/cases/XF-261128-OTHER/attachments/${PHOTO}|open in the console>`);
  });
});

describe('material on the console’s case page', () => {
  const views: CaseAttachmentView[] = attachments.map((a) => ({
    id: a.id, messageId: a.messageId, kind: a.kind, contentType: a.contentType, size: a.size, createdAt: a.createdAt.toISOString(),
    url: `/console/cases/${REF}/attachments/${a.id}`, thumbnailUrl: a.hasThumbnail ? `/console/cases/${REF}/attachments/${a.id}/thumbnail` : null,
  }));
  const o = { tr: translator('en'), locale: 'en' as const, timeZone: 'Asia/Shanghai' };

  it('links the marks in a message to this case’s attachments, and says when one is gone', () => {
    const html = markedText(`[图片 image] attachment:${PHOTO} <b>hi</b>\n[语音 voice] attachment:11111111-2222-4333-8444-555555555555`, views, (t) => t, o);
    expect(html).toBe(`[图片 image] <a href="/console/cases/${REF}/attachments/${PHOTO}">Photo 1 · 342 KB</a> &lt;b&gt;hi&lt;/b&gt;\n[语音 voice] (attachment no longer available)`);
  });

  it('shows previews with alt text and the rest with their size; names only when given', () => {
    const html = materialSection(views, { ...o, names: new Map([[VOICE, 'call <1>.amr']]) });
    expect(html).toContain(`<a href="/console/cases/${REF}/attachments/${PHOTO}"><img src="/console/cases/${REF}/attachments/${PHOTO}/thumbnail" alt="Photo 1 · 342 KB, received 02/03/2026, 16:00: opens the full image" loading="lazy"></a>`);
    expect(html).toContain('>Voice message 2 “call &lt;1&gt;.amr” · 13 KB</a>');
    expect(materialSection([], o)).toBe('');
  });
});
