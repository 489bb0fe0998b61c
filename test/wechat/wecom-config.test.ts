import { describe, expect, it } from 'vitest';
import { channelStatus, ConfigError, loadConfig, wecomPushEnabled } from '../../src/config.js';

const callback = { WECHAT_OA_TOKEN: 't', WECHAT_OA_ENCODING_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };

describe('WeCom settings', () => {
  it('default to WeCom’s API and stay off when unset', () => {
    const c = loadConfig({ WECOM_AGENT_ID: '' });
    expect([c.WECOM_API_URL, c.WECOM_CORP_ID, c.WECOM_AGENT_ID]).toEqual(['https://qyapi.weixin.qq.com', undefined, undefined]);
    expect(channelStatus(c).on.some((ch) => ch.startsWith('wecom'))).toBe(false);
  });

  it('take the agent id as a number and refuse one that is not', () => {
    expect(loadConfig({ WECOM_AGENT_ID: '1000002' }).WECOM_AGENT_ID).toBe(1000002);
    expect(() => loadConfig({ WECOM_AGENT_ID: 'agent-1' })).toThrow(ConfigError);
  });

  it('push only with the CorpID, agent id and secret, and say at start when WeCom cannot be read without the key', () => {
    const full = loadConfig({ ...callback, WECOM_CORP_ID: 'ww1', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 's' });
    expect([wecomPushEnabled(full), channelStatus(full).on]).toEqual([true, ['webchat', 'wechat-official (safe mode)', 'wecom']]);
    const passive = loadConfig({ ...callback, WECOM_CORP_ID: 'ww1' });
    expect([wecomPushEnabled(passive), channelStatus(passive).on.at(-1)]).toEqual([false, 'wecom (passive replies only)']);
    const plain = loadConfig({ WECHAT_OA_TOKEN: 't', WECOM_CORP_ID: 'ww1', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 's' });
    expect([wecomPushEnabled(plain), channelStatus(plain).unavailable]).toEqual([false, ['wecom (needs WECHAT_OA_TOKEN and WECHAT_OA_ENCODING_AES_KEY)']]);
  });
});
