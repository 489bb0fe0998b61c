import { describe, expect, it } from 'vitest';
import { WechatCrypto, wechatSignature } from '../../channels/wechat-official/crypto.js';

// Every value below is published by WeChat: the WeCom sample and the Official Account encryption SDK's
// unit test (docs/test-vectors.md).
describe('WeChat safe mode (published vectors, docs/test-vectors.md)', () => {
  const wecom = new WechatCrypto('jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C');
  const echostr = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
  const encrypted =
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';

  it('verifies and decrypts the URL verification echostr', () => {
    expect(wechatSignature('QDG6eK', '1409659589', '263014780', echostr)).toBe('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3');
    expect(wecom.decrypt(echostr)).toEqual({ message: '1616140317555161061', receiveId: 'wx5823bf96d3bd56c7' });
  });

  it('verifies and decrypts the POSTed message, whose padding is 30 bytes', () => {
    expect(wechatSignature('QDG6eK', '1409659813', '1372623149', encrypted)).toBe('477715d11cdb4164915debcba66cb864d751f3e6');
    const { message, receiveId } = wecom.decrypt(encrypted);
    expect(receiveId).toBe('wx5823bf96d3bd56c7');
    expect(message).toContain('<FromUserName><![CDATA[mycreate]]></FromUserName>');
    expect(message).toContain('<Content><![CDATA[hello]]></Content>');
    expect(message).toContain('<MsgId>4561255354251345929</MsgId>');
    expect(message).toContain('<AgentID>218</AgentID>');
    const raw = Buffer.from(encrypted, 'base64');
    expect(raw.length % 32).toBe(0);
  });

  it('encrypts a reply exactly as the official SDK (length counted in UTF-8 bytes)', () => {
    const oa = new WechatCrypto('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG');
    const sealed = oa.encrypt('我是中文abcd123', 'wxb11529c136998cb6', Buffer.from('aaaabbbbccccdddd'));
    expect(sealed).toBe('jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==');
    expect(oa.decrypt(sealed)).toEqual({ message: '我是中文abcd123', receiveId: 'wxb11529c136998cb6' });
  });

  it('refuses a key of the wrong length and a tampered message', () => {
    expect(() => new WechatCrypto('short')).toThrow(/43 characters/);
    const tampered = Buffer.from(encrypted, 'base64');
    tampered[tampered.length - 1] ^= 0xff;
    expect(() => wecom.decrypt(tampered.toString('base64'))).toThrow();
  });
});
