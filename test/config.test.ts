import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { DEFAULT_ROUTING } from '../src/cases/routing-defaults.js';

function routingFile(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'routing-')), 'routing.json');
  writeFileSync(file, content);
  return file;
}

describe('configuration', () => {
  it('has working defaults: SQLite under ./data, port 3000, 15/60 days, the default taxonomy', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, DATABASE_URL: 'file:./data/hub.db', ACCEPTANCE_DAYS: 15, RESOLUTION_DAYS: 60 });
    expect(c.ADMIN_TOKEN).toBeUndefined();
    expect(c.routing).toBe(DEFAULT_ROUTING);
  });

  it('names every bad variable in one clear error', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrowError(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(/PORT[\s\S]*DATABASE_URL/);
  });

  it('loads a routing table from ROUTING_FILE', () => {
    const file = routingFile(JSON.stringify({
      categories: { health: { department: 'hc', zh: '卫生', en: 'Health' }, other: { department: 'desk', zh: '其他', en: 'Other' } },
      departments: { hc: { zh: '卫健委', en: 'Health Commission', slackChannel: 'dept-health' }, desk: { zh: '接待', en: 'Desk' } },
    }));
    expect(loadConfig({ ROUTING_FILE: file }).routing.departments.hc.slackChannel).toBe('dept-health');
  });

  it.each([
    ['not JSON', '{categories:'],
    ['no other category', JSON.stringify({ categories: { health: { department: 'hc', zh: 'a', en: 'b' } }, departments: { hc: { zh: 'a', en: 'b' } } })],
    ['an unknown department', JSON.stringify({ categories: { other: { department: 'nope', zh: 'a', en: 'b' } }, departments: {} })],
  ])('refuses a routing file with %s', (_name, content) => {
    expect(() => loadConfig({ ROUTING_FILE: routingFile(content) })).toThrowError(ConfigError);
  });
});
