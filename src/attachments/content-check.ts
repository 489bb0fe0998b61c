import { fileTypeFromBuffer } from 'file-type';
import type { AttachmentKind } from '../channels/contract.js';
import { HubError } from '../errors.js';

/** What the bytes were found to be: the type it is stored and served as, and which kind of material it is. */
export interface CheckedContent {
  contentType: string;
  kind: AttachmentKind;
  /** The usual file extension, for the name an officer's download is given. */
  ext: string;
}

type Family = 'image' | 'audio' | 'video' | 'application';

interface Allowed {
  contentType: string;
  family: Family;
}

/**
 * What the hub takes, by what file-type reads in the bytes (its extension names), and what each is
 * stored as. Everything else is refused, whatever it is called: HTML, SVG, XML, scripts, text,
 * archives, programs, office documents. HEIC is refused too: the sharp build installed from npm
 * cannot decode it, so its metadata (GPS position included) could not be removed.
 */
const ALLOWED: Record<string, Allowed> = {
  jpg: { contentType: 'image/jpeg', family: 'image' },
  png: { contentType: 'image/png', family: 'image' },
  webp: { contentType: 'image/webp', family: 'image' },
  gif: { contentType: 'image/gif', family: 'image' },
  amr: { contentType: 'audio/amr', family: 'audio' },
  mp3: { contentType: 'audio/mpeg', family: 'audio' },
  m4a: { contentType: 'audio/mp4', family: 'audio' },
  aac: { contentType: 'audio/aac', family: 'audio' },
  ogg: { contentType: 'audio/ogg', family: 'audio' },
  opus: { contentType: 'audio/ogg', family: 'audio' },
  wav: { contentType: 'audio/wav', family: 'audio' },
  mp4: { contentType: 'video/mp4', family: 'video' },
  mov: { contentType: 'video/quicktime', family: 'video' },
  '3gp': { contentType: 'video/3gpp', family: 'video' },
  pdf: { contentType: 'application/pdf', family: 'application' },
};

const KIND_FAMILY: Record<Exclude<AttachmentKind, 'file'>, Family> = { image: 'image', voice: 'audio', video: 'video' };
const FAMILY_KIND: Record<Family, AttachmentKind> = { image: 'image', audio: 'voice', video: 'video', application: 'file' };

/** WeChat's voice messages (personal accounts): Skype's SILK codec, "#!SILK_V3", in WeChat after one 0x02 byte. */
const SILK = Buffer.from('#!SILK_V3');

function isSilk(bytes: Buffer): boolean {
  return bytes.subarray(0, SILK.length).equals(SILK) || (bytes[0] === 0x02 && bytes.subarray(1, 1 + SILK.length).equals(SILK));
}

/**
 * Markup near the start of a file. A sound, a video or a PDF is stored as it came, so one that is
 * also a web page (a polyglot) is refused: the hub serves it with its checked type and nosniff, but a
 * program an officer downloads it to may trust its own sniffing. Images are re-encoded from their
 * pixels, which leaves nothing of the sort.
 */
const MARKUP = /<\s*(?:!doctype\s+html|html|head|body|script|iframe|object|embed|svg|\?xml)\b/i;

/** A declared type that says nothing (platforms send these for everything). */
const UNSAID = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown']);

const refused = (message: string) => new HubError('attachment_refused', message);

/**
 * Decides what an attachment is by its bytes alone. The kind the channel gave and the type the
 * platform declared are only checked against that: a "photo" that is a sound, or a declared
 * image/jpeg that is a PDF, is refused. A `file` may be any allowed type, and takes the kind of what
 * it is (a photo sent as a document is still a photo). Names are never read.
 */
export async function checkContent(input: { kind: AttachmentKind; bytes: Buffer; declaredType?: string }): Promise<CheckedContent> {
  const { kind, bytes } = input;
  if (bytes.length === 0) throw refused('the file is empty');
  const declared = (input.declaredType ?? '').split(';')[0].trim().toLowerCase();
  const declaredFamily = UNSAID.has(declared) ? null : declared.split('/')[0];
  let found: Allowed & { ext: string };
  if (isSilk(bytes)) {
    found = { contentType: 'audio/silk', family: 'audio', ext: 'silk' };
  } else {
    const type = await fileTypeFromBuffer(bytes);
    const allowed = type && ALLOWED[type.ext];
    if (!type || !allowed) throw refused(type ? `files of this type (${type.mime}) are not taken; send a photo, a voice message, a video or a PDF` : 'the content is not a photo, voice message, video or PDF the hub takes');
    found = { ...allowed, ext: type.ext };
    // An MP4 container holds sound alone as often as a video: a voice message, or one declared as sound, is sound.
    if (type.ext === 'mp4' && (kind === 'voice' || declaredFamily === 'audio')) found = { contentType: 'audio/mp4', family: 'audio', ext: 'm4a' };
  }
  if (kind !== 'file' && KIND_FAMILY[kind] !== found.family) throw refused(`it was sent as ${kindWords(kind)} but the content is ${familyWords(found.family)}`);
  if (declaredFamily !== null && declaredFamily !== found.family) throw refused(`it says it is ${declared} but the content is ${familyWords(found.family)}`);
  if (found.family !== 'image' && MARKUP.test(bytes.subarray(0, 1024).toString('latin1'))) throw refused('the file contains web page code');
  return { contentType: found.contentType, kind: FAMILY_KIND[found.family], ext: found.ext };
}

function kindWords(kind: AttachmentKind): string {
  return kind === 'image' ? 'a photo' : kind === 'voice' ? 'a voice message' : kind === 'video' ? 'a video' : 'a file';
}

function familyWords(family: Family): string {
  return family === 'image' ? 'an image' : family === 'audio' ? 'a sound' : family === 'video' ? 'a video' : 'a document';
}

/** The usual extension of a stored type, for the name a download is given. */
export function extensionOf(contentType: string): string {
  if (contentType === 'audio/silk') return 'silk';
  if (contentType === 'audio/mp4') return 'm4a';
  return Object.entries(ALLOWED).find(([, a]) => a.contentType === contentType)?.[0] ?? 'bin';
}
