/**
 * Readers for the deployment files (Dockerfile, .dockerignore, compose.yaml, deploy/nginx.conf),
 * enough for test/deploy/containers.test.ts to check what they say without Docker. No YAML library
 * is a dependency of the hub, so compose.yaml is read by a small parser of the block style it is
 * written in: mappings, sequences, quoted and plain scalars, JSON-style flow sequences, comments,
 * anchors, aliases and merge keys (<<). Anything else is refused with its line number rather than
 * read wrongly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Yaml = string | null | Yaml[] | { [key: string]: Yaml };
export type YamlMap = { [key: string]: Yaml };

interface Line {
  indent: number;
  text: string;
  no: number;
}

/** The line without its comment: a # at the start or after a space, outside quotes. */
function withoutComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) {
      return line.slice(0, i);
    }
  }
  return line;
}

const isItem = (text: string) => text === '-' || text.startsWith('- ');
const KEY = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s"'#][^:]*?):(?:\s+(.*))?$/;

export function parseYaml(source: string): Yaml {
  const lines: Line[] = source
    .split(/\r?\n/)
    .map((raw, i) => ({ raw: withoutComment(raw).replace(/\s+$/, ''), no: i + 1 }))
    .filter((l) => l.raw.trim() !== '')
    .map((l) => {
      if (/^\s*\t/.test(l.raw)) throw new Error(`line ${l.no}: tabs are not allowed for indentation`);
      return { indent: l.raw.search(/\S/), text: l.raw.trim(), no: l.no };
    });
  const anchors = new Map<string, Yaml>();
  let i = 0;

  const scalar = (text: string, no: number): Yaml => {
    if (text.startsWith('*')) {
      const name = text.slice(1);
      if (!anchors.has(name)) throw new Error(`line ${no}: unknown alias *${name}`);
      return anchors.get(name) ?? null;
    }
    if (text.startsWith('"')) return JSON.parse(text) as string;
    if (text.startsWith("'")) {
      if (!text.endsWith("'") || text.length < 2) throw new Error(`line ${no}: unterminated string`);
      return text.slice(1, -1).replace(/''/g, "'");
    }
    if (text.startsWith('[')) {
      try {
        const list = JSON.parse(text) as unknown;
        if (Array.isArray(list) && list.every((v) => typeof v === 'string')) return list as string[];
      } catch {
        // refused below
      }
      throw new Error(`line ${no}: only flow sequences of double-quoted strings are read`);
    }
    if (text.startsWith('{') || text.startsWith('|') || text.startsWith('>') || text.startsWith('&')) {
      throw new Error(`line ${no}: "${text}" is not in the subset this reader takes`);
    }
    return text === '~' || text === 'null' ? null : text;
  };

  const block = (indent: number): Yaml => (isItem(lines[i]?.text ?? '') ? sequence(indent) : mapping(indent));

  /** What follows "key:" or "-" with nothing after it on the line. */
  const nested = (indent: number, allowSameIndentList: boolean): Yaml => {
    const next = lines[i];
    if (!next) return null;
    if (next.indent > indent) return block(next.indent);
    if (allowSameIndentList && next.indent === indent && isItem(next.text)) return sequence(indent);
    return null;
  };

  const mapping = (indent: number): YamlMap => {
    const own: YamlMap = {};
    const merged: YamlMap[] = [];
    while (i < lines.length) {
      const line = lines[i] as Line;
      if (line.indent < indent || isItem(line.text)) break;
      if (line.indent > indent) throw new Error(`line ${line.no}: unexpected indentation`);
      const m = KEY.exec(line.text);
      if (!m) throw new Error(`line ${line.no}: expected "key: value", found "${line.text}"`);
      const key = (m[1] as string).startsWith('"') ? (JSON.parse(m[1] as string) as string) : (m[1] as string).replace(/^'(.*)'$/, '$1');
      let rest = (m[2] ?? '').trim();
      i++;
      let anchor: string | undefined;
      const a = /^&(\S+)\s*(.*)$/.exec(rest);
      if (a) {
        anchor = a[1];
        rest = (a[2] ?? '').trim();
      }
      const value = rest === '' ? nested(indent, true) : scalar(rest, line.no);
      if (anchor) anchors.set(anchor, value);
      if (key === '<<') {
        for (const v of Array.isArray(value) ? value : [value]) {
          if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`line ${line.no}: << takes a mapping`);
          merged.push(v);
        }
      } else {
        if (Object.hasOwn(own, key)) throw new Error(`line ${line.no}: duplicate key ${key}`);
        own[key] = value;
      }
    }
    // Keys written in the mapping win over merged ones, whatever their order.
    return Object.assign({}, ...merged, own) as YamlMap;
  };

  const sequence = (indent: number): Yaml[] => {
    const out: Yaml[] = [];
    while (i < lines.length) {
      const line = lines[i] as Line;
      if (line.indent !== indent || !isItem(line.text)) break;
      const rest = line.text.slice(1).trim();
      if (rest === '') {
        i++;
        out.push(nested(indent, false));
      } else if (KEY.test(rest) && !rest.startsWith('"') && !rest.startsWith("'")) {
        // "- key: value" opens a mapping whose other keys line up with "key".
        lines[i] = { indent: indent + 2, text: rest, no: line.no };
        out.push(mapping(indent + 2));
      } else {
        i++;
        out.push(scalar(rest, line.no));
      }
    }
    return out;
  };

  if (lines.length === 0) return null;
  const top = block(lines[0]?.indent ?? 0);
  if (i < lines.length) throw new Error(`line ${lines[i]?.no}: not read (indentation?)`);
  return top;
}

export function asMap(value: Yaml | undefined, what: string): YamlMap {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what} is not a mapping`);
  return value;
}

export interface DockerInstruction {
  keyword: string;
  args: string;
  line: number;
}

export interface DockerStage {
  /** The image, with the global ARG defaults put in. */
  from: string;
  name: string | undefined;
  instructions: DockerInstruction[];
}

/** The Dockerfile's stages and their instructions (continuation lines joined, comments dropped). */
export function parseDockerfile(source: string): { args: Record<string, string>; stages: DockerStage[] } {
  const instructions: DockerInstruction[] = [];
  let pending = '';
  let start = 0;
  source.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) return;
    if (pending !== '' && line.startsWith('#')) return;
    if (pending === '') start = index + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const whole = (pending + line).trim();
    pending = '';
    const m = /^(\S+)\s*(.*)$/s.exec(whole);
    if (m) instructions.push({ keyword: (m[1] as string).toUpperCase(), args: (m[2] as string).trim(), line: start });
  });
  const args: Record<string, string> = {};
  const stages: DockerStage[] = [];
  const expand = (text: string) => text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => args[(a ?? b) as string] ?? '');
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!m) throw new Error(`Dockerfile line ${instruction.line}: FROM ${instruction.args}`);
      stages.push({ from: expand(m[1] as string), name: m[2], instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`Dockerfile line ${instruction.line}: ${instruction.keyword} before FROM`);
      const m = /^(\w+)(?:=(.*))?$/.exec(instruction.args);
      if (m) args[m[1] as string] = (m[2] ?? '').replace(/^"(.*)"$/, '$1');
    } else {
      (stages.at(-1) as DockerStage).instructions.push(instruction);
    }
  }
  return { args, stages };
}

/** An exec-form argument list (["node", "…"]), or null for the shell form. */
export function execForm(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  const list = JSON.parse(args) as unknown;
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) throw new Error(`not an exec form: ${args}`);
  return list as string[];
}

/** Whether a .dockerignore pattern list leaves out a path of the build context (Go filepath.Match, ** and ! as Docker reads them). */
export function dockerIgnores(patterns: string[], path: string): boolean {
  const toRegExp = (pattern: string) =>
    new RegExp(
      `^${pattern
        .replace(/^\/+|\/+$/g, '')
        .split('/')
        .map((part) => (part === '**' ? '.*' : part.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
        .join('/')
        .replace(/\.\*\//g, '(?:.*/)?')}(?:/.*)?$`,
    );
  let ignored = false;
  for (const raw of patterns) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (toRegExp(negated ? line.slice(1) : line).test(path)) ignored = !negated;
  }
  return ignored;
}

/** nginx configuration without comments. */
export function nginxText(source: string): string {
  return source
    .split(/\r?\n/)
    .map((l) => withoutComment(l))
    .join('\n');
}

/** The body of the first block `head {…}` (head a regular expression source), or null. */
export function nginxBlock(text: string, head: string): string | null {
  const m = new RegExp(`${head}\\s*\\{`).exec(text);
  if (!m) return null;
  let depth = 0;
  for (let i = m.index + m[0].length - 1; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(m.index + m[0].length, i);
  }
  throw new Error(`unbalanced braces after ${head}`);
}

/** The directives (name and arguments) written directly in a block body, not in blocks nested in it. */
export function nginxDirectives(body: string): { name: string; args: string[] }[] {
  const out: { name: string; args: string[] }[] = [];
  let depth = 0;
  let current = '';
  for (const c of body) {
    if (c === '{') {
      depth++;
      current = '';
    } else if (c === '}') {
      depth--;
      current = '';
    } else if (c === ';' && depth === 0) {
      const words = current.match(/'[^']*'|"[^"]*"|\S+/g) ?? [];
      if (words.length) out.push({ name: words[0] as string, args: words.slice(1).map((w) => w.replace(/^(['"])(.*)\1$/, '$2')) });
      current = '';
    } else if (depth === 0) {
      current += c;
    }
  }
  return out;
}

/** nginx sizes: 21m, 512k, 1g, or bytes. */
export function nginxSize(size: string): number {
  const m = /^(\d+)([kKmMgG]?)$/.exec(size);
  if (!m) throw new Error(`not an nginx size: ${size}`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] as string).toLowerCase()] as number;
  return Number(m[1]) * unit;
}

/**
 * The top-level entries of the repository (folders and files) that code reached from the given
 * entry points needs at run time: relative imports and exports that are not type-only, dynamic
 * imports, and files or folders named by `new URL('…', import.meta.url)` or by projectPath('…') from the
 * project's top, followed from file to file.
 */
export function runtimeEntries(root: string, entries: string[]): Set<string> {
  const tops = new Set<string>();
  const seen = new Set<string>();
  const queue = entries.map((e) => resolve(root, e));
  const note = (path: string) => {
    const rel = relative(root, path);
    if (rel === '' || rel.startsWith('..')) return;
    tops.add(rel.split(sep)[0] as string);
  };
  const patterns = [
    /(?:^|[\n;])\s*(?:import|export)\s+(?!type\s)[^;'"]*?\sfrom\s+['"](\.{1,2}\/[^'"]+)['"]/g,
    /(?:^|[\n;])\s*import\s+['"](\.{1,2}\/[^'"]+)['"]/g,
    /\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
    /new URL\(\s*['"`](\.{1,2}\/[^'"`$]*)/g,
  ];
  while (queue.length) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    note(file);
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) {
      for (const m of text.matchAll(pattern)) {
        let target = resolve(dirname(file), m[1] as string);
        if (/\.js$/.test(target) && existsSync(target.replace(/\.js$/, '.ts'))) target = target.replace(/\.js$/, '.ts');
        note(target);
        if (/\.(ts|mts)$/.test(target) && existsSync(target)) queue.push(target);
      }
    }
    // Files the code reads from the project's top folder (src/util/project-root.ts).
    for (const m of text.matchAll(/\bprojectPath\(\s*['"]([^'"]+)['"]/g)) note(resolve(root, m[1] as string));
  }
  return tops;
}

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
