import sharp from 'sharp';

/**
 * Files as petitioners send them, made here rather than shipped: real images from sharp, and the
 * opening bytes of the sound, video and document formats (what a content check reads: their
 * signatures and containers), each padded to look like a file.
 */

/** A real PNG photo, `width` × `height`. */
export function png(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3a7bd5' } }).png().toBuffer();
}

/** A location a phone writes into a photo's GPS block, and a camera make: what must not survive. */
export const SECRET_PLACE = 'WGS-84-HOME-OF-PETITIONER';
export const CAMERA = 'PetitionerPhoneMaker';

/** A phone's JPEG: 80 × 40 pixels stored sideways with EXIF orientation 6 (shown 40 × 80), with GPS and camera data. */
export async function phoneJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 80, height: 40, channels: 3, background: '#c0392b' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({ IFD0: { Make: CAMERA }, IFD3: { GPSMapDatum: SECRET_PLACE, GPSLatitudeRef: 'N' } })
    .toBuffer();
}

const padded = (head: Buffer, size = 512) => Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length), 0x11)]);

/** An ISO media file (MP4, M4A, MOV, 3GP, HEIC) with the given major brand. */
function isoMedia(brand: string): Buffer {
  const b = Buffer.alloc(32);
  b.writeUInt32BE(24, 0);
  b.write('ftyp', 4);
  b.write(brand, 8);
  b.write(brand, 16);
  b.write('isom', 20);
  b.writeUInt32BE(8, 24);
  b.write('free', 28);
  return padded(b);
}

function wav(): Buffer {
  const b = Buffer.alloc(44);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + 400, 4);
  b.write('WAVE', 8);
  b.write('fmt ', 12);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(400, 40);
  return padded(b, 444);
}

function ogg(head: Buffer): Buffer {
  const page = Buffer.alloc(28 + head.length);
  page.write('OggS', 0);
  page[5] = 2;
  page[26] = 1;
  page[27] = head.length;
  head.copy(page, 28);
  return padded(page);
}

export const samples = {
  amr: () => padded(Buffer.from('#!AMR\n')),
  /** WeChat's voice: SILK after one 0x02 byte, and plain SILK. */
  wechatSilk: () => padded(Buffer.concat([Buffer.from([0x02]), Buffer.from('#!SILK_V3')])),
  silk: () => padded(Buffer.from('#!SILK_V3')),
  mp3: () => padded(Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0, 0]), Buffer.from([0xff, 0xfb, 0x90, 0x64])])),
  aac: () => padded(Buffer.from([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc])),
  m4a: () => isoMedia('M4A '),
  mp4: () => isoMedia('isom'),
  mov: () => isoMedia('qt  '),
  threeGp: () => isoMedia('3gp4'),
  heic: () => isoMedia('heic'),
  wav,
  opus: () => ogg(Buffer.concat([Buffer.from('OpusHead'), Buffer.alloc(11, 1)])),
  pdf: () => padded(Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n')),
  html: () => Buffer.from('<html><head><title>photo</title></head><body><script>fetch("/console").then(r=>r.text()).then(t=>alert(t))</script></body></html>'),
  svg: () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"><rect width="10" height="10"/></svg>'),
  svgXml: () => Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
  text: () => Buffer.from('这是一段文字，不是照片。'),
  zip: () => padded(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0])),
  exe: () => padded(Buffer.from('MZ')),
  /** An MP3 whose ID3 tag carries a web page: a polyglot. */
  mp3WithPage: () => padded(Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0x40, 0]), Buffer.from('TIT2<html><script>alert(1)</script>'), Buffer.from([0xff, 0xfb, 0x90, 0x64])]), 600),
};
