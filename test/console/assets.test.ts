import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const PUBLIC = new URL('../../officers/console/public/', import.meta.url);
const gzipped = (...files: string[]) => gzipSync(Buffer.concat(files.map((f) => readFileSync(new URL(f, PUBLIC)))), { level: 9 }).length;

describe('the console’s browser assets', () => {
  it('type-check strictly (checkJs against the DOM and ECharts types), with no build step', () => {
    const configPath = new URL('tsconfig.json', PUBLIC).pathname;
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
    if (!parsed) throw new Error('no tsconfig');
    expect(parsed.fileNames.map((f) => f.split('/').pop()).sort()).toEqual(['console.js', 'dashboard.js', 'globals.d.ts']);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName.split('/').pop()}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(problems).toEqual([]);
  });

  it('stay within their budget: what every page loads under 8 KB gzipped; ECharts only on the dashboard', () => {
    expect(gzipped('console.css', 'console.js')).toBeLessThan(8 * 1024);
    expect(gzipped('dashboard.js')).toBeLessThan(2 * 1024);
    const echarts = gzipSync(readFileSync(new URL('../../node_modules/echarts/dist/echarts.min.js', import.meta.url)), { level: 6 }).length;
    expect(echarts).toBeLessThan(450 * 1024);
  });
});
