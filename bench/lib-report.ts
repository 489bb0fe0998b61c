/** Machine description, Markdown rendering and the sections of docs/benchmarks.md the benchmarks write. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';

export interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  ramGiB: number;
  node: string;
  /** 1-minute load average when the run began: other work on the machine skews the numbers. */
  load: number;
}

export function machine(): Machine {
  let date: string;
  try {
    date = execFileSync('date', ['-u'], { encoding: 'utf8' }).trim();
  } catch {
    date = new Date().toUTCString();
  }
  let cpuModel = 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux
  }
  return { date, cpus: availableParallelism(), cpuModel, ramGiB: totalmem() / 1024 ** 3, node: process.version, load: loadavg()[0] };
}

export const fmt = {
  ms: (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)) + ' ms' : '–'),
  int: (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–'),
  rate: (v: number) => (Number.isFinite(v) ? (v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US')) : '–'),
  pct: (v: number) => (Number.isFinite(v) ? `${Math.round(v * 100)} %` : '–'),
  s: (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} s` : '–'),
};

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

export const SECTION = '## Web chat throughput';

const INTRO = `# Benchmarks

Measured numbers for the hub, each section written by the script that measures it, so it can be
re-run and replaced. Numbers depend on the machine; each section says which one it ran on.
`;

/** Replaces the section (from its heading to the next \`## \` heading) or appends it. */
export function writeSection(file: string, body: string, heading = SECTION): void {
  const section = `${heading}\n\n${body.trim()}\n`;
  let doc = existsSync(file) ? readFileSync(file, 'utf8') : INTRO;
  const start = doc.indexOf(`${heading}\n`);
  if (start === -1) {
    doc = `${doc.trimEnd()}\n\n${section}`;
  } else {
    const rest = doc.slice(start + heading.length);
    const next = rest.search(/^## /m);
    const after = next === -1 ? '' : rest.slice(next);
    doc = `${doc.slice(0, start)}${section}${after ? `\n${after}` : ''}`;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, doc.endsWith('\n') ? doc : `${doc}\n`);
}
