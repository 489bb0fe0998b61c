import { describe, expect, it } from 'vitest';
import { findAsciiPunctuation } from '../helpers/zh-punctuation.js';
import { chineseHtmlTexts, chineseLiterals } from '../helpers/zh-texts.js';

/** The marks found, in order, e.g. ",?" */
const marks = (text: string) => findAsciiPunctuation(text).map((f) => f.mark).join('');

describe('findAsciiPunctuation: what fails', () => {
  it.each([
    ['您好!我是在线接待员。', '!'],
    ['请问您遇到了什么事情?慢慢说,可以具体讲讲经过。', '?,'],
    ['以上内容对吗?没问题我就为您正式登记;需要修改的话请告诉我。', '?;'],
    ['请您核对:', ':'],
    ['好的，记下了.', '.'],
    ['请说说发生了什么...', '.'],
    ['(未提供)', '()'],
    ['拨打 110(报警)或 120(急救)。', '()()'],
    ['答复(可依法延长一次，最多 30 日)。', '()'],
    ['请问怎么称呼您？（不方便的话可以说“不方便”)', ')'],
    ['（未提供）.', '.'],
    ['回复“对”.', '.'],
    ['请在App里,点“提交”', ','],
    ['请在App,点击', ','],
    ['请拨打 110. 我们会尽快联系您', '.'],
  ])('%s', (text, expected) => {
    expect(marks(text)).toBe(expected);
  });

  it('looks past spaces, but not past a line break', () => {
    expect(marks('内容超过 5000 字 , 请分几次发送')).toBe(',');
    expect(marks('请核对 :\n• 地点')).toBe(':');
    expect(marks('请核对\n: then English')).toBe('');
  });

  it('looks past placeholders: a value sits inside the Chinese sentence', () => {
    expect(marks('受理编号是 {trackingNumber},请您记好。')).toBe(',');
    expect(marks('请立即拨打 {contacts}.')).toBe('.');
    expect(marks('理由:{text}')).toBe(':');
    expect(marks('{acceptancePeriod}内({acceptanceDue}前)会告诉您')).toBe('()');
    expect(marks('抱歉，这条消息无法处理:{}')).toBe(':');
  });

  it('says where and what to use instead', () => {
    expect(findAsciiPunctuation('您好!我是')).toEqual([{ index: 2, mark: '!', suggestion: '！', context: '您好⟦!⟧我是' }]);
  });
});

describe('findAsciiPunctuation: what passes', () => {
  it.each([
    ['Chinese punctuation', '您好！我是{office}的在线接待员。请问您遇到了什么事情？慢慢说，可以具体讲讲经过。'],
    ['a decimal number', '拖欠工资共2.5万元，持续3.5个月'],
    ['a time', '下午3:30到10:30之间，噪音很大'],
    ['a version', '请升级到 v1.2.3 后再试'],
    ['a phone number', '例如 138 0013 8000 或 010-12345678。'],
    ['a tracking number', '您的案件 XF-261128-7K3QZ 已办结。'],
    ['a URL with a Chinese host', '请访问 https://信访.例子.中国/查询?id=1 查询'],
    ['a URL', '详见 https://hub.example/widget.js。'],
    ['an e-mail address', '也可以发邮件到 xinfang@example.gov.cn 反映'],
    ['a Slack emoji code', ':leftwards_arrow_with_hook: 已申请复查'],
    ['English glossing a Chinese term', 'The petitioner requested a review (复查); the case is reopened.'],
    ['a bilingual notice', '请用文字或图片告诉我们。Sorry, we cannot read this; please write.'],
    ['an English sentence, a space, then Chinese', 'Sorry, 我们暂时无法处理。'],
    ['English around Chinese names, without marks touching them', 'Transferred to 住建局 by Wang, today.'],
    ['English quoting a Chinese button', 'Use the “Contact us” button. 也可以点击“在线反映问题”按钮。'],
    ['a bracket pair with numbers only, in English', 'Too long (5200/5000).'],
    ['a coordinate pair between placeholders and Chinese brackets... with a full-width comma', '位置：{}（{}，{}）'],
    ['an ellipsis and a dash', '请说说发生了什么……我们会认真登记——一件不落。'],
    ['a middle dot between languages', '市民信访服务中心 · City Petition Office'],
    ['empty and Latin-only texts', ''],
  ])('%s', (_what, text) => {
    expect(findAsciiPunctuation(text)).toEqual([]);
  });

  it('is not about the … / …… choice, ASCII quotes or full-width marks in English (other checks)', () => {
    expect(marks('正在回复…')).toBe('');
    expect(marks('可以说"不方便"')).toBe('');
    expect(marks('Officer：Wang')).toBe('');
  });

  it('flags an English sentence that ends right on a Chinese word (known limit)', () => {
    expect(marks('Transferred to 住建局.')).toBe('.');
  });
});

describe('chineseLiterals: the texts of a source file', () => {
  const source = [
    "// 注释,不检查: comments are never read",
    "/** 文档注释,也不检查 */",
    "const re = /^(?:没有|没了)[。.!！\\s]*$/;",
    "const built = new RegExp(`(?:${'好的,'})`);",
    "const pattern = '(?:号楼|号院)';",
    "import x from './中文,路径.js';",
    "const shown = '抱歉,这条消息无法处理';",
    "const tpl = `位置:${label}(${x})`;",
    "const map = { '键,名': 1 };",
    "type T = '类型,字面量';",
  ].join('\n');

  it('reads string and template literals and skips comments, regular expressions and names', () => {
    expect(chineseLiterals('x.ts', source)).toEqual([
      { line: 7, text: '抱歉,这条消息无法处理' },
      { line: 8, text: '位置:{}({})' },
    ]);
  });

  it('reads browser JavaScript too', () => {
    expect(chineseLiterals('widget.js', "const T = { sub: '依法依规办理', star: n => n + ' 分' };")).toEqual([
      { line: 1, text: '依法依规办理' },
      { line: 1, text: ' 分' },
    ]);
  });
});

describe('chineseHtmlTexts: what a person reads or hears on a page', () => {
  it('reads element text and shown attributes, not scripts, styles, code samples or comments', () => {
    const html = [
      '<html><head><title>服务中心 · Office</title><style>p::after { content: "样式,不算" }</style></head>',
      '<body><!-- 注释,不算 --><p>如遇危险，请拨打 <strong>110</strong>(报警)。</p>',
      '<img alt="图片,说明"><pre><code>data-title="代码,不算"</code></pre>',
      '<script>const a = "脚本,不算";</script><script src="/widget.js" data-title="市民信访服务中心"></script>',
    ].join('\n');
    expect(chineseHtmlTexts(html)).toEqual([
      { line: 3, text: '图片,说明' },
      { line: 4, text: '市民信访服务中心' },
      { line: 1, text: '服务中心 · Office' },
      { line: 2, text: '如遇危险，请拨打 110(报警)。' },
    ]);
  });
});
