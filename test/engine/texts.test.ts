import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCALES, SLOTS } from '../../src/domain.js';
import { hasText, t } from '../../src/i18n.js';
import { OFFICER_ACTIONS, STATUSES, toldToPetitioner } from '../../src/cases/status-machine.js';

const keys = (locale: string) => Object.keys(JSON.parse(readFileSync(`intents/responses/${locale}.json`, 'utf8')) as object).sort();

describe('response texts', () => {
  it('has the same keys in every language', () => {
    expect(keys('en')).toEqual(keys('zh-CN'));
  });

  it('has a text for every officer action, status, and detail', () => {
    for (const l of LOCALES) {
      // An internal note has no text to tell: a text for it would mean it could reach the petitioner.
      for (const a of OFFICER_ACTIONS) expect(hasText(l, `notify.${a}`), `${l} notify.${a}`).toBe(toldToPetitioner(a));
      for (const s of STATUSES) {
        expect(hasText(l, `status.${s}`), `${l} status.${s}`).toBe(true);
        expect(hasText(l, `next.${s}`), `${l} next.${s}`).toBe(true);
      }
      for (const slot of SLOTS) {
        expect(hasText(l, `ask.${slot}`), `${l} ask.${slot}`).toBe(true);
        expect(hasText(l, `slot.${slot}`), `${l} slot.${slot}`).toBe(true);
      }
    }
  });

  it('fills placeholders and leaves unknown ones visible rather than blank', () => {
    expect(t('en', 'after.added', { trackingNumber: 'XF-1' })).toContain('XF-1');
    expect(t('en', 'after.added')).toContain('{trackingNumber}');
    expect(() => t('en', 'no.such.key')).toThrow(/missing response text/);
  });
});
