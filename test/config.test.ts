import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, ssoEnabled, ssoProblem } from '../src/config.js';
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

  it('turns single sign-on on only with issuer, client id, secret and PUBLIC_URL, and says what is missing', () => {
    expect(ssoProblem(loadConfig({}))).toBeNull();
    expect(ssoEnabled(loadConfig({}))).toBe(false);
    const full = { OIDC_ISSUER: 'https://login.example.gov.cn/realms/office', OIDC_CLIENT_ID: 'hub', OIDC_CLIENT_SECRET: 's', PUBLIC_URL: 'https://hub.example.gov.cn' };
    expect(ssoEnabled(loadConfig(full))).toBe(true);
    expect(loadConfig(full).OIDC_USERNAME_CLAIM).toBe('preferred_username');
    expect(ssoProblem(loadConfig({ ...full, OIDC_CLIENT_SECRET: '' }))).toMatch(/OIDC_CLIENT_SECRET/);
    expect(ssoEnabled(loadConfig({ ...full, OIDC_CLIENT_SECRET: '' }))).toBe(false);
    expect(ssoProblem(loadConfig({ ...full, PUBLIC_URL: '' }))).toMatch(/PUBLIC_URL/);
    expect(() => loadConfig({ ...full, OIDC_ISSUER: 'login.example' })).toThrow(/OIDC_ISSUER/);
  });

  it('counts calendar days by default; working days, holidays and make-up days are lists of dates', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ DEADLINE_DAY_KIND: 'calendar', HOLIDAYS: [], MAKEUP_WORKDAYS: [], EXTENSION_MAX_DAYS: 30, DEADLINE_REMINDER_HOURS: 48 });
    expect(c.TIME_ZONE).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(c.SUPERVISOR_SLACK_CHANNEL).toBeUndefined();
    const w = loadConfig({ DEADLINE_DAY_KIND: 'working', HOLIDAYS: '2026-10-01, 2026-10-02,', MAKEUP_WORKDAYS: '2026-10-10', TIME_ZONE: 'Asia/Shanghai' });
    expect(w).toMatchObject({ DEADLINE_DAY_KIND: 'working', HOLIDAYS: ['2026-10-01', '2026-10-02'], MAKEUP_WORKDAYS: ['2026-10-10'], TIME_ZONE: 'Asia/Shanghai' });
  });

  it('asks for all seven details by default; an office may list fewer, and an unknown detail is refused', () => {
    expect(loadConfig({}).ASKED_DETAILS).toEqual(['location', 'time', 'parties', 'desiredOutcome', 'priorAttempts', 'contactName', 'contactPhone']);
    expect(loadConfig({ ASKED_DETAILS: 'location, contactPhone,' }).ASKED_DETAILS).toEqual(['location', 'contactPhone']);
    expect(() => loadConfig({ ASKED_DETAILS: 'location,age' })).toThrow(ConfigError);
    expect(() => loadConfig({ ASKED_DETAILS: 'issue' })).toThrow(ConfigError);
    expect(loadConfig({}).RETURNING_AFTER_HOURS).toBe(8);
    expect(() => loadConfig({ RETURNING_AFTER_HOURS: '-1' })).toThrow(ConfigError);
  });

  it.each([
    ['HOLIDAYS', { HOLIDAYS: '2026-10-01,2026-02-30' }],
    ['MAKEUP_WORKDAYS', { MAKEUP_WORKDAYS: '10/10/2026' }],
    ['TIME_ZONE', { TIME_ZONE: 'Mars/Olympus' }],
    ['DEADLINE_DAY_KIND', { DEADLINE_DAY_KIND: 'lunar' }],
    ['EXTENSION_MAX_DAYS', { EXTENSION_MAX_DAYS: '0' }],
    ['FEEDBACK_TIMEOUT_DAYS', { FEEDBACK_TIMEOUT_DAYS: '0' }],
    ['REVIEW_WINDOW_DAYS', { REVIEW_WINDOW_DAYS: '2.5' }],
    ['GROUP_MIN_PETITIONERS', { GROUP_MIN_PETITIONERS: '1' }],
    ['GROUP_WINDOW_HOURS', { GROUP_WINDOW_HOURS: 'soon' }],
    ['REDIS_URL', { REDIS_URL: 'http://127.0.0.1:6379' }],
    ['REDIS_PREFIX', { REDIS_PREFIX: 'my hub' }],
    ['WEBCHAT_PUSH_POLL_MS', { WEBCHAT_PUSH_POLL_MS: '10' }],
    ['WEBCHAT_SESSION_RATE_LIMIT', { WEBCHAT_SESSION_RATE_LIMIT: '0' }],
  ])('refuses a bad %s', (name, env) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(name));
  });

  it('follows up for 7 days, allows a review for 30, and flags 5 petitioners within 48 hours by default', () => {
    expect(loadConfig({})).toMatchObject({ FEEDBACK_TIMEOUT_DAYS: 7, REVIEW_WINDOW_DAYS: 30, GROUP_WINDOW_HOURS: 48, GROUP_MIN_PETITIONERS: 5 });
    expect(loadConfig({ FEEDBACK_TIMEOUT_DAYS: '14', REVIEW_WINDOW_DAYS: '15' })).toMatchObject({ FEEDBACK_TIMEOUT_DAYS: 14, REVIEW_WINDOW_DAYS: 15 });
  });

  it('has officers read Slack in Chinese unless OFFICE_LOCALE says English', () => {
    expect(loadConfig({}).OFFICE_LOCALE).toBe('zh-CN');
    expect(loadConfig({ OFFICE_LOCALE: '' }).OFFICE_LOCALE).toBe('zh-CN');
    expect(loadConfig({ OFFICE_LOCALE: 'en' }).OFFICE_LOCALE).toBe('en');
    expect(() => loadConfig({ OFFICE_LOCALE: 'fr' })).toThrow(/OFFICE_LOCALE/);
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
