import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const SOURCE = readFileSync(new URL('../../channels/webchat/public/widget.js', import.meta.url), 'utf8');
/** The code without its block comments (the header comment shows an example embed tag). */
const CODE = SOURCE.replace(/\/\*[\s\S]*?\*\//g, '');

describe('widget.js', () => {
  it('stays under 20 KB gzipped', () => {
    expect(gzipSync(SOURCE, { level: 9 }).length).toBeLessThan(20 * 1024);
  });

  it('loads nothing from anywhere: no URL in its code but the SVG namespace name, no script or frame it adds', () => {
    const quotedUrls = CODE.match(/["'`]https?:\/\/[^"'`]*/g) ?? [];
    expect(quotedUrls.map((u) => u.slice(1))).toEqual(['http://www.w3.org/2000/svg']);
    expect(SOURCE).not.toMatch(/createElement\(\s*['"](script|iframe|link)['"]/);
    expect(SOURCE).not.toMatch(/\bimport\s*\(|importScripts|new Worker/);
  });

  it('exchanges no cross-window messages (so there is no postMessage origin to check) and writes no HTML', () => {
    expect(SOURCE).not.toMatch(/postMessage\s*\(/);
    expect(SOURCE).not.toMatch(/addEventListener\(\s*['"]message['"]/);
    expect(SOURCE).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\s*\(|new Function/);
  });

  it('is plain browser JavaScript without a build step', () => {
    expect(SOURCE).not.toMatch(/^\s*(import|export)\s/m);
    expect(SOURCE).not.toMatch(/\brequire\(/);
    expect(() => new Function(SOURCE)).not.toThrow();
  });
});
