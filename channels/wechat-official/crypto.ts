import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { sameSecret } from '../../src/http/secrets.js';

/** sha1 over the sorted parts joined: the plain signature (token, timestamp, nonce) and msg_signature (+ Encrypt). */
export function wechatSignature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

export function signatureMatches(expected: string, given: string | undefined): boolean {
  return sameSecret(given, expected);
}

const BLOCK = 32;

/**
 * WeChat's "safe mode" message encryption (Official Accounts and WeCom share it): AES-256-CBC with
 * the key from EncodingAESKey, IV = the key's first 16 bytes, and PKCS#7 padding to 32-byte blocks —
 * not AES's own 16 — so Node's automatic padding is turned off and done here.
 */
export class WechatCrypto {
  private readonly key: Buffer;

  constructor(encodingAesKey: string) {
    this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
    if (this.key.length !== 32) throw new Error('EncodingAESKey must be 43 characters that decode to 32 bytes');
  }

  /** Returns the message and the receiver id (AppID / CorpID) it was sealed for. */
  decrypt(encrypted: string): { message: string; receiveId: string } {
    const decipher = createDecipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16));
    decipher.setAutoPadding(false);
    const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
    const pad = padded[padded.length - 1];
    if (pad < 1 || pad > BLOCK) throw new Error('bad padding');
    const plain = padded.subarray(0, padded.length - pad);
    const length = plain.readUInt32BE(16);
    if (20 + length > plain.length) throw new Error('bad message length');
    return { message: plain.subarray(20, 20 + length).toString('utf8'), receiveId: plain.subarray(20 + length).toString('utf8') };
  }

  encrypt(message: string, receiveId: string, random: Buffer = randomBytes(16)): string {
    const body = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const plain = Buffer.concat([random, length, body, Buffer.from(receiveId, 'utf8')]);
    const pad = BLOCK - (plain.length % BLOCK);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16));
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  }
}
