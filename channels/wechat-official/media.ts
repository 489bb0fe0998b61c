import { boundedBody } from '../../src/channels/material.js';
import type { AttachmentKind, InboundAttachment } from '../../src/channels/contract.js';
import type { TokenSource } from './access-token.js';

const TOKEN_INVALID = new Set([40001, 40014, 42001]);
const TIMEOUT_MS = 30_000;

/**
 * A photo's PicUrl, when it is on WeChat's own image CDN. The callback is signed, but the hub fetches
 * nothing from an address it has not checked: an address elsewhere is left alone.
 */
function wechatCdn(picUrl: string | undefined): URL | null {
  if (!picUrl) return null;
  try {
    const url = new URL(picUrl);
    return /^https?:$/.test(url.protocol) && /(^|\.)(qpic|qlogo)\.cn$/.test(url.hostname) ? url : null;
  } catch {
    return null;
  }
}

async function fetchPicture(url: URL, maxBytes: number): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok) throw new Error(`WeChat picture download answered HTTP ${res.status}`);
  return boundedBody(res, maxBytes);
}

/** What a callback's fields say about a photo, voice message or video; null for anything else. */
function kindOf(msgType: string | undefined): AttachmentKind | null {
  if (msgType === 'image') return 'image';
  if (msgType === 'voice') return 'voice';
  if (msgType === 'video' || msgType === 'shortvideo') return 'video';
  if (msgType === 'file') return 'file';
  return null;
}

/**
 * A media message's file, fetched through the platform's temporary-media API (GET
 * /cgi-bin/media/get, the same on the Official Account and WeCom) before its id expires (three
 * days). Video comes back as JSON naming a download URL; an error as JSON with an errcode.
 * `token` is null when the hub has no secret for the platform: nothing can be fetched then.
 */
export function wechatMedia(fields: Record<string, string>, apiUrl: string, token: TokenSource | null): InboundAttachment | null {
  const kind = kindOf(fields.MsgType);
  if (!kind || !fields.MediaId) return null;
  const mediaId = fields.MediaId;
  async function get(accessToken: string, maxBytes: number): Promise<{ bytes?: Buffer; errcode?: number }> {
    const url = new URL('/cgi-bin/media/get', apiUrl);
    url.search = new URLSearchParams({ access_token: accessToken, media_id: mediaId }).toString();
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!res.ok) throw new Error(`WeChat media API answered HTTP ${res.status}`);
    const type = res.headers.get('content-type') ?? '';
    if (!/json|text\/plain/.test(type)) return { bytes: await boundedBody(res, maxBytes) };
    const body = (await res.json()) as { errcode?: number; video_url?: string };
    if (body.video_url) {
      const video = await fetch(body.video_url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!video.ok) throw new Error(`WeChat video download answered HTTP ${video.status}`);
      return { bytes: await boundedBody(video, maxBytes) };
    }
    return { errcode: body.errcode ?? -1 };
  }
  const picture = kind === 'image' ? wechatCdn(fields.PicUrl) : null;
  return {
    kind,
    declaredType: kind === 'voice' && fields.Format ? `audio/${fields.Format.toLowerCase()}` : undefined,
    transcript: fields.Recognition || undefined,
    reference: [fields.PicUrl, `media:${mediaId}`].filter(Boolean).join(' '),
    async download(maxBytes) {
      // Without the secret a photo can still be fetched from the CDN address WeChat gave with it.
      if (!token && picture) return fetchPicture(picture, maxBytes);
      if (!token) throw new Error('no AppSecret configured: WeChat media cannot be fetched');
      const used = await token();
      let got = await get(used, maxBytes);
      if (got.errcode && TOKEN_INVALID.has(got.errcode)) got = await get(await token(used), maxBytes);
      if (!got.bytes) throw new Error(`WeChat media API refused: errcode ${got.errcode}`);
      return got.bytes;
    },
  };
}
