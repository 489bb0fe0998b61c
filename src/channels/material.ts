import { HubError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AttachmentKeeper } from '../attachments/attachment-keeper.js';
import type { AttachmentKind, InboundMessage } from './contract.js';

/** Officers read both languages; the label says what it was even where no file could be kept. */
const LABEL: Record<AttachmentKind, string> = { image: '[图片 image]', voice: '[语音 voice]', video: '[视频 video]', file: '[文件 file]' };

/**
 * Downloads and keeps each attachment of a message, and writes the line that stands for them in the
 * conversation (what officers read in the thread and on the case): the kind and the stored
 * attachment's id, a voice message's transcript, a shared link. A file the hub refuses (not what it
 * claims, too large) refuses the whole message, so the sender is told; a download that fails (the
 * platform unreachable, the media expired) is noted in the line, so an officer knows something was sent.
 */
export async function describeMaterial(input: {
  channel: string;
  conversationId: string;
  message: InboundMessage;
  keeper: AttachmentKeeper;
  logger: Logger;
}): Promise<{ description: string; keptIds: string[] }> {
  const { channel, conversationId, message, keeper, logger } = input;
  const lines: string[] = [];
  const keptIds: string[] = [];
  for (const a of message.attachments ?? []) {
    let bytes: Buffer;
    try {
      bytes = await a.download(keeper.maxBytes);
    } catch (err) {
      if (err instanceof HubError) throw err;
      logger.warn({ err, channel, conversationId, kind: a.kind }, 'attachment could not be downloaded; noted in the conversation');
      lines.push(`${LABEL[a.kind]} （未能取回 could not be fetched${a.reference ? ` ${a.reference}` : ''}）${a.transcript ? ` ${a.transcript}` : ''}`);
      continue;
    }
    const kept = await keeper.keep({ conversationId, channel, kind: a.kind, bytes, declaredType: a.declaredType, name: a.name });
    keptIds.push(kept.id);
    lines.push(`${LABEL[kept.kind]} attachment:${kept.id}${a.transcript ? ` ${a.transcript}` : ''}`);
  }
  if (message.link) lines.push(`[链接 link] ${[message.link.title, message.link.url].filter(Boolean).join(' ')}`);
  return { description: lines.join('\n'), keptIds };
}

/** The refusal of a file over the hub's limit, as every channel's download says it. */
export function tooLarge(maxBytes: number): HubError {
  return new HubError('attachment_too_large', `the file is larger than ${Math.floor(maxBytes / 1048576)} MB`);
}

/** Reads a fetch response's body, refusing past `maxBytes` without holding more than that. */
export async function boundedBody(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  for (let part = await reader?.read(); reader && part && !part.done; part = await reader.read()) {
    size += part.value.length;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(Buffer.from(part.value));
  }
  return Buffer.concat(chunks);
}
