import { describe, expect, it } from 'vitest';
import { caseCard, type CardCase } from '../../officers/slack/case-card.js';
import { OfficeTexts } from '../../officers/slack/office-texts.js';
import { redact } from '../../src/cases/redaction.js';
import { escapeMrkdwn, splitText } from '../../src/slack/mrkdwn.js';
import { routingReasons } from '../../src/cases/routing-reasons.js';

const base: CardCase = {
  trackingNumber: 'XF-261128-ABCDE',
  status: 'submitted',
  category: 'labour_social_security',
  categoryLabel: 'Labour and social security',
  departmentLabel: 'Human Resources Bureau',
  urgency: 'high',
  needsTriage: false,
  assignee: null,
  summary: '',
  details: { contactName: '王小明', contactPhone: '13800138000' },
  acceptanceDueAt: new Date('2026-12-13T00:00:00Z'),
  resolutionDueAt: new Date('2027-01-27T00:00:00Z'),
  resolutionExtended: false,
};

/** These tests read the English card; office-language.test.ts has the Chinese one. */
const EN = new OfficeTexts('en', 'UTC');

type Block = { type: string; text?: { text: string }; elements?: { action_id?: string }[] };

describe('Slack case card', () => {
  it('escapes exactly &, < and > (Slack\'s escaping rule, docs/test-vectors.md)', () => {
    expect(escapeMrkdwn('<!channel> & <@U123>')).toBe('&lt;!channel&gt; &amp; &lt;@U123&gt;');
  });

  it('keeps names, phones and ID numbers out', () => {
    const text = redact('我是王小明,电话13800138000,身份证11010519491231002X,邮箱 wang@example.com;我叫李四', base.details);
    expect(text).not.toMatch(/王小明|13800138000|11010519491231002X|wang@example.com|李四/);
  });

  it('splits a long petition into sections of at most 3,000 characters, within 50 blocks', () => {
    const long = '工厂拖欠工资。'.repeat(3000); // 21,000 characters
    const card = caseCard({ ...base, summary: long }, 'https://hub.example/cases/XF-261128-ABCDE', EN);
    const blocks = card.blocks as Block[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    const sections = blocks.filter((b) => b.type === 'section' && b.text);
    expect(sections.length).toBeGreaterThan(5);
    for (const s of sections) expect(s.text?.text.length).toBeLessThanOrEqual(3000);
    const huge = caseCard({ ...base, summary: 'x'.repeat(200_000) }, null, EN).blocks as Block[];
    expect(huge.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(huge)).toContain('continued on the case page');
  });

  it('shows why it was routed so: likeliest categories, a second one, the words that weighed most, escaped and free of personal data', () => {
    const labels: Record<string, string> = { labour_social_security: 'Labour and social security', education_culture: 'Education & culture' };
    const reasons = routingReasons(
      {
        ranking: [
          { code: 'labour_social_security', score: 0.82 },
          { code: 'education_culture', score: 0.11 },
          { code: 'health', score: 0.004 },
        ],
        secondary: { code: 'education_culture', score: 0.11 },
        evidence: [
          { term: '拖欠工资', weight: 2.1 },
          { term: '[labour_social_security]', weight: 1.5 },
          { term: '王小明', weight: 0.9 },
          { term: '<b>学费</b>', weight: 0.5 },
        ],
      },
      (code) => labels[code] ?? code,
      (label) => `${label} vocabulary`,
      (word) => redact(word, base.details) === word,
    );
    const card = JSON.stringify(caseCard({ ...base, routing: reasons }, null, EN).blocks);
    expect(card).toContain('*Routing:* Labour and social security 82 % · Education &amp; culture 11 %.');
    expect(card).not.toContain('health 0 %');
    expect(card).toContain('*Also about:* Education &amp; culture');
    expect(card).toContain('拖欠工资 · Labour and social security vocabulary · &lt;b&gt;学费&lt;/b&gt;');
    expect(card).not.toContain('王小明');
    expect(JSON.stringify(caseCard(base, null, EN).blocks)).not.toContain('Routing');
  });

  it('offers only the actions the status table allows', () => {
    const actions = (c: CardCase) =>
      ((caseCard(c, null, EN).blocks as Block[]).find((b) => b.type === 'actions')?.elements ?? []).map((e) => e.action_id);
    expect(actions(base)).toEqual(['case:view', 'case:claim', 'case:accept', 'case:reject', 'case:reply', 'case:transfer', 'case:categorise']);
    expect(actions({ ...base, status: 'resolved', assignee: 'slack:U1' })).toEqual(['case:view', 'case:reopen']);
    const working = { ...base, status: 'in_progress', assignee: 'slack:U1' };
    expect(actions(working)).toEqual(['case:view', 'case:reply', 'case:request_info', 'case:transfer', 'case:categorise', 'case:resolve', 'case:extend']);
    // One extension per case: once used, the button is gone and the date says so.
    const extended = { ...working, resolutionExtended: true };
    expect(actions(extended)).toEqual(['case:view', 'case:reply', 'case:request_info', 'case:transfer', 'case:categorise', 'case:resolve']);
    expect(JSON.stringify(caseCard(extended, null, EN).blocks)).toContain('*Answer by*\\n2027-01-27 (extended)');
  });

  it('splits at sentence ends where it can', () => {
    expect(splitText('aaaa。bbbb。cccc', 6)).toEqual(['aaaa。', 'bbbb。', 'cccc']);
  });
});
