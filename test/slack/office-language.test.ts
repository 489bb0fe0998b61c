import { describe, expect, it } from 'vitest';
import { caseCard, type CardCase } from '../../officers/slack/case-card.js';
import { threadLine } from '../../officers/slack/event-lines.js';
import { OfficeTexts } from '../../officers/slack/office-texts.js';
import { SLACK_TEXTS } from '../../officers/slack/texts.js';

/*
 * What officers read in Slack follows OFFICE_LOCALE and TIME_ZONE. The instants are just before
 * midnight UTC, so the date in Shanghai (UTC+8) is the next day: a date formatted in UTC shows.
 */
const ZH = new OfficeTexts('zh-CN', 'Asia/Shanghai');
const EN = new OfficeTexts('en', 'Asia/Shanghai');

const base: CardCase = {
  trackingNumber: 'XF-261128-ABCDE',
  status: 'submitted',
  category: 'labour_social_security',
  categoryLabel: '劳动和社会保障',
  departmentLabel: '人力资源和社会保障局',
  urgency: 'high',
  needsTriage: false,
  assignee: null,
  summary: '<!channel> 宏达电子厂拖欠工资 & 加班费',
  details: {},
  acceptanceDueAt: new Date('2026-12-13T16:30:00Z'), // 2026-12-14 00:30 in Shanghai
  resolutionDueAt: new Date('2027-01-27T18:00:00Z'), // 2027-01-28 02:00 in Shanghai
  resolutionExtended: true,
};

type Block = { type: string; fields?: { text: string }[]; elements?: { action_id?: string; text?: { text: string } | string }[] };
const fields = (blocks: unknown[]) => (blocks as Block[]).flatMap((b) => b.fields ?? []).map((f) => f.text);
const buttons = (blocks: unknown[]) => (blocks as Block[]).find((b) => b.type === 'actions')?.elements ?? [];
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('Slack texts in both office languages', () => {
  it('have the same keys, and the same placeholders in each text', () => {
    const zh = SLACK_TEXTS['zh-CN'];
    const en = SLACK_TEXTS.en;
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    // A department or category option in Chinese shows only the Chinese name.
    const differ = Object.keys(en).filter((k) => k !== 'modal.option' && placeholders(zh[k as keyof typeof zh]).join() !== placeholders(en[k as keyof typeof en]).join());
    expect(differ).toEqual([]);
  });

  it('write dates and times on the office calendar, as each language writes them', () => {
    const at = new Date('2026-03-17T17:05:00Z');
    expect(ZH.date(at)).toBe('2026年3月18日');
    expect(ZH.dateTime(at)).toBe('2026年3月18日 01:05（Asia/Shanghai）');
    expect(EN.date(at)).toBe('2026-03-18');
    expect(EN.dateTime(at)).toBe('2026-03-18 01:05 (Asia/Shanghai)');
    expect(new OfficeTexts('en', 'UTC').date(at)).toBe('2026-03-17');
  });
});

describe('the case card in the office language', () => {
  it('zh-CN with TIME_ZONE=Asia/Shanghai: Chinese labels and buttons, due dates in Shanghai, same action ids', () => {
    const card = caseCard(base, 'https://hub.example/cases/XF-261128-ABCDE', ZH);
    expect(fields(card.blocks)).toEqual([
      '*状态*\n已登记',
      '*紧急程度*\n:warning: 较急',
      '*承办部门*\n人力资源和社会保障局',
      '*承办人*\n—',
      '*受理期限*\n2026年12月14日',
      '*答复期限*\n2027年1月28日（已延期）',
    ]);
    expect(buttons(card.blocks).map((b) => [b.action_id, typeof b.text === 'object' ? b.text.text : b.text])).toEqual([
      ['case:view', '查看完整案件'],
      ['case:claim', '认领'],
      ['case:accept', '受理'],
      ['case:reject', '不予受理'],
      ['case:reply', '回复群众'],
      ['case:transfer', '转办'],
      ['case:categorise', '更正类别'],
    ]);
    expect(card.text).toBe('XF-261128-ABCDE（已登记）：劳动和社会保障');
    const all = JSON.stringify(card.blocks);
    // Petitioners' words are escaped exactly as before, whatever the language around them.
    expect(all).toContain('&lt;!channel&gt; 宏达电子厂拖欠工资 &amp; 加班费');
    expect(all).toContain('案件页面：https://hub.example/cases/XF-261128-ABCDE （');
    expect(all).not.toMatch(/2026-12-13|Status|Accept by/);
  });

  it('en: the English card, with the same Shanghai dates', () => {
    const card = caseCard({ ...base, categoryLabel: 'Labour and social security', departmentLabel: 'Human Resources Bureau' }, null, EN);
    expect(fields(card.blocks)).toEqual([
      '*Status*\nsubmitted',
      '*Urgency*\n:warning: high',
      '*Department*\nHuman Resources Bureau',
      '*Assignee*\n—',
      '*Accept by*\n2026-12-14',
      '*Answer by*\n2027-01-28 (extended)',
    ]);
    expect(buttons(card.blocks).map((b) => (typeof b.text === 'object' ? b.text.text : b.text))).toContain('Open full case');
    expect(card.text).toBe('XF-261128-ABCDE (submitted): Labour and social security');
  });

  it('an emergency nobody took, in each language', () => {
    const emergency = { ...base, urgency: 'emergency', emergencyAckBy: null };
    expect(fields(caseCard(emergency, null, ZH).blocks)[1]).toBe('*紧急程度*\n:rotating_light: 紧急（尚无人接手）');
    expect(fields(caseCard({ ...emergency, emergencyAckBy: 'slack:U0LI' }, null, EN).blocks)[1]).toBe('*Urgency*\n:rotating_light: EMERGENCY (taken by <@U0LI>)');
  });
});

describe('thread lines in the office language', () => {
  const review = { type: 'reopen', actor: 'petitioner', text: null, data: JSON.stringify({ resolutionDueAt: '2026-04-30T20:00:00Z' }) };

  it('a review request, with the new due date in Shanghai time', () => {
    expect(threadLine(review, {}, ZH)).toBe(':leftwards_arrow_with_hook: *群众申请复查* 案件已重新办理。新的答复期限为2026年5月1日 04:00（Asia/Shanghai）。');
    expect(threadLine(review, {}, EN)).toBe(
      ':leftwards_arrow_with_hook: *The petitioner requested a review (复查);* the case is reopened. The new answer is due by 2026-05-01 04:00 (Asia/Shanghai).',
    );
  });

  it("an officer's action in the console, and the petitioner's words escaped as before", () => {
    const accepted = { type: 'accept', actor: 'console:chen', text: '<!here> 已约谈', data: null };
    expect(threadLine(accepted, {}, ZH)).toBe(':bust_in_silhouette: *chen* 受理了案件（在受理系统中）。\n>&lt;!here&gt; 已约谈');
    expect(threadLine({ type: 'message', actor: 'petitioner', text: '补充 <@U1>', data: null }, {}, ZH)).toBe('*群众：* 补充 &lt;@U1&gt;');
    expect(threadLine({ type: 'feedback', actor: 'petitioner', text: null, data: JSON.stringify({ rating: 4, solved: true }) }, {}, ZH)).toBe(
      ':speech_balloon: *回访：* 群众表示问题已解决，评分 4/5。',
    );
  });
});
