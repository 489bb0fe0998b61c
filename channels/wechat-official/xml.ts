import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({
  // Entities are never expanded (no XXE, no billion laughs); values stay strings (MsgId exceeds 2^53).
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: false,
});

export class BadXml extends Error {}

/** The fields of a WeChat callback, as strings. Anything with a DTD is refused outright. */
export function parseWechatXml(body: string): Record<string, string> {
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw new BadXml('XML with a DTD or entities is not accepted');
  let doc: unknown;
  try {
    doc = parser.parse(body, true);
  } catch {
    throw new BadXml('malformed XML');
  }
  const root = (doc as { xml?: unknown }).xml;
  if (!root || typeof root !== 'object') throw new BadXml('expected an <xml> root element');
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(root as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = String(value);
  }
  return fields;
}

/** Text inside CDATA: "]]>" in it would end the section early, so it is split across two. */
function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

export function textReplyXml(to: string, from: string, content: string, now: Date): string {
  return `<xml><ToUserName>${cdata(to)}</ToUserName><FromUserName>${cdata(from)}</FromUserName><CreateTime>${Math.floor(now.getTime() / 1000)}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(content)}</Content></xml>`;
}

export function encryptedXml(encrypt: string, signature: string, timestamp: string, nonce: string): string {
  return `<xml><Encrypt>${cdata(encrypt)}</Encrypt><MsgSignature>${cdata(signature)}</MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`;
}
