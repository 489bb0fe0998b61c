import type { ChannelName } from '../domain.js';

/**
 * Channels whose adapter keeps what a petitioner sends besides text (photos, voice, files) with
 * their conversation, so the bot can honestly say "send them here". Today only the WeChat Official
 * Account and WeCom callback does (ConversationService.attach); the others drop such messages.
 */
const ATTACHMENTS: Record<ChannelName, boolean> = { webchat: false, wechat: false, 'wechat-oa': true, wecom: true, slack: false };

export function takesAttachments(channel: string): boolean {
  return ATTACHMENTS[channel as ChannelName] ?? false;
}
