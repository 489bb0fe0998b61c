import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'public' || name === 'node_modules') return [];
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return /\.ts$/.test(name) ? [path] : [];
  });
}

const importsOf = (file: string) => [...readFileSync(join(ROOT, file), 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);

describe('channel boundaries', () => {
  it('channel folders hold no database code: no database module, client or query', () => {
    const offending = sources('channels').flatMap((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const bad = importsOf(file).filter((m) => /\/src\/db\/|\/generated\/|^@prisma\/|^pg$|^better-sqlite3$/.test(m));
      if (/\$queryRaw|\$executeRaw|\.findMany\(|\.findUnique\(|\.updateMany\(/.test(text)) bad.push('a database query');
      return bad.map((b) => `${relative(ROOT, join(ROOT, file))}: ${b}`);
    });
    expect(offending).toEqual([]);
  });

  it('the engine, the conversation and case services never import a transport or a channel', () => {
    const offending = ['src/engine', 'src/conversation', 'src/cases', 'src/channels'].flatMap((dir) =>
      sources(dir).flatMap((file) =>
        importsOf(file)
          .filter((m) => /^(@slack\/|wechaty|express$|ws$)|\/channels\/(webchat|slack|wechaty|wechat-official)\//.test(m) || /^\.\.\/\.\.\/channels\//.test(m))
          .map((m) => `${file}: ${m}`),
      ),
    );
    expect(offending).toEqual([]);
  });
});
