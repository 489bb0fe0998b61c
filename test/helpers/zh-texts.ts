/**
 * Where the hub's Chinese texts live, pulled out as the strings people see, for the punctuation
 * check in test/texts/chinese-punctuation.test.ts.
 *
 *  - Source files (.ts/.js): the TypeScript parser lists the string literals and template literals,
 *    so comments are never read and regular-expression literals (/…/) are separate tokens that are
 *    not collected. Not collected either, because they are patterns for reading petitioners'
 *    messages rather than text anyone is shown: every literal inside the arguments of `RegExp(…)` /
 *    `new RegExp(…)`, and string literals that are regular-expression source (they contain a group
 *    such as `(?:`, `(?=`, `(?!`, `(?<` or an escape such as `\d`, `\s`, `\w`, `\b`). Import
 *    paths, property names and literal types are skipped. A template literal is read as one text with
 *    `{}` where each `${…}` goes, so a mark next to a value counts as inside the sentence.
 *  - HTML: the text people read or hear — element text outside <script>, <style> and code samples
 *    (<pre>, <code>), plus the attributes shown or announced (title, alt, aria-label, placeholder,
 *    the page description, and data-title, which the widget shows as its heading).
 */
import ts from 'typescript';

export interface Text {
  /** 1-based line of the text in its file. */
  line: number;
  text: string;
}

const HAN = /\p{Script=Han}/u;
const REGEX_SOURCE = /\(\?[:=!<]|\\[dswbDSWB]/;

function isRegExpCall(node: ts.Node): boolean {
  return (ts.isCallExpression(node) || ts.isNewExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp';
}

/** Chinese string and template literals of a .ts or .js source file, as the text they produce. */
export function chineseLiterals(fileName: string, source: string): Text[] {
  const kind = fileName.endsWith('.js') || fileName.endsWith('.mjs') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, kind);
  const out: Text[] = [];
  const add = (node: ts.Node, text: string) => {
    if (HAN.test(text)) out.push({ line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text });
  };
  const visit = (node: ts.Node): void => {
    if (isRegExpCall(node) || ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isLiteralTypeNode(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const parent = node.parent;
      const isName = (ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent)) && parent.name === node;
      if (!isName && !REGEX_SOURCE.test(node.text)) add(node, node.text);
      return;
    }
    if (ts.isTemplateExpression(node)) {
      const text = node.head.text + node.templateSpans.map((span) => `{}${span.literal.text}`).join('');
      if (!REGEX_SOURCE.test(text)) add(node, text);
      // Literals nested in the ${…} expressions are texts of their own.
      for (const span of node.templateSpans) visit(span.expression);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e] ?? m),
  );

const SHOWN_ATTRIBUTES = /\s(?:title|alt|aria-label|placeholder|content|data-title)\s*=\s*("([^"]*)"|'([^']*)')/gi;

/** Chinese texts a person reads or hears on an HTML page, line by line. */
export function chineseHtmlTexts(html: string): Text[] {
  const lineAt = (offset: number) => html.slice(0, offset).split('\n').length;
  // Blank out what is not page text, keeping offsets (and so line numbers) intact.
  const blank = (s: string, re: RegExp) => s.replace(re, (m) => m.replace(/[^\n]/g, ' '));
  // The content of <script>, <style>, <pre>, <code> goes; their opening tags stay, so a shown
  // attribute on them (the widget's <script data-title>) is still read.
  let body = html.replace(/(<(script|style|pre|code)\b[^>]*>)([\s\S]*?)(<\/\2>)/gi, (_m, open: string, _n, inner: string, end: string) => open + inner.replace(/[^\n]/g, ' ') + end);
  body = blank(body, /<!--[\s\S]*?-->/g);
  const out: Text[] = [];
  for (const tag of body.matchAll(/<[^>]*>/g)) {
    for (const a of tag[0].matchAll(SHOWN_ATTRIBUTES)) {
      const value = decode(a[2] ?? a[3] ?? '');
      if (HAN.test(value)) out.push({ line: lineAt(tag.index), text: value });
    }
  }
  // Element text: tags removed (an inline tag joins the words either side, as the reader sees them).
  const lines = body.replace(/<[^>]*>/g, (m) => m.replace(/[^\n]/g, '')).split('\n');
  // Tags can span lines; re-derive line numbers from the stripped text, which keeps every newline.
  lines.forEach((line, i) => {
    const text = decode(line).trim();
    if (HAN.test(text)) out.push({ line: i + 1, text });
  });
  return out;
}
