import type { Locale } from '../domain.js';
import type { HubError } from '../errors.js';
import { hasText, t } from '../i18n.js';

/**
 * What a sender is told when their message cannot be taken: a text of its own for a refused file
 * (what the hub takes, in their language), else the error's own reason.
 */
export function refusalText(locale: Locale, err: HubError): string {
  const own = `refused.${err.code}`;
  return hasText(locale, own) ? t(locale, own) : t(locale, 'message.refused', { reason: err.message });
}

/**
 * What a sender is told of a kind of message no channel can read (a mini-program card, a file on
 * WeChat): in both languages, since it may be their first message and nothing says which they read.
 */
export function unreadableText(): string {
  return `${t('zh-CN', 'message.unreadable')}${t('en', 'message.unreadable')}`;
}
