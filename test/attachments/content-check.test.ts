import { describe, expect, it } from 'vitest';
import { checkContent, extensionOf } from '../../src/attachments/content-check.js';
import { HubError } from '../../src/errors.js';
import { png, phoneJpeg, samples } from '../helpers/media.js';

/** The refusal a check ends in (fails the test when the content is taken). */
async function refusal(input: Parameters<typeof checkContent>[0]): Promise<HubError> {
  const outcome = await checkContent(input).then(
    (taken) => new Error(`taken as ${taken.contentType}`),
    (err: unknown) => err,
  );
  if (!(outcome instanceof HubError)) throw outcome;
  return outcome;
}

describe('what an attachment is, by its bytes', () => {
  it('takes photos, and a photo sent as a file is a photo', async () => {
    expect(await checkContent({ kind: 'image', bytes: await png(), declaredType: 'image/png' })).toEqual({ contentType: 'image/png', kind: 'image', ext: 'png' });
    expect(await checkContent({ kind: 'image', bytes: await phoneJpeg(), declaredType: 'image/jpeg' })).toMatchObject({ contentType: 'image/jpeg', kind: 'image' });
    // The platform's word for the type is only checked by family: a PNG declared image/jpeg is still a PNG.
    expect(await checkContent({ kind: 'image', bytes: await png(), declaredType: 'image/jpeg' })).toMatchObject({ contentType: 'image/png' });
    expect(await checkContent({ kind: 'file', bytes: await png(), declaredType: 'application/octet-stream' })).toMatchObject({ contentType: 'image/png', kind: 'image' });
  });

  it('takes voice messages in the formats phones and WeChat record, SILK included', async () => {
    const voice = async (bytes: Buffer, declaredType?: string) => (await checkContent({ kind: 'voice', bytes, declaredType })).contentType;
    expect(await voice(samples.amr(), 'audio/amr')).toBe('audio/amr');
    expect(await voice(samples.wechatSilk())).toBe('audio/silk');
    expect(await voice(samples.silk(), 'application/octet-stream')).toBe('audio/silk');
    expect(await voice(samples.mp3(), 'audio/mpeg')).toBe('audio/mpeg');
    expect(await voice(samples.m4a(), 'audio/x-m4a')).toBe('audio/mp4');
    expect(await voice(samples.aac())).toBe('audio/aac');
    expect(await voice(samples.opus(), 'audio/ogg')).toBe('audio/ogg');
    expect(await voice(samples.wav(), 'audio/wav')).toBe('audio/wav');
    // An MP4 container with sound alone, recorded as a voice message.
    expect(await voice(samples.mp4(), 'audio/mp4')).toBe('audio/mp4');
  });

  it('takes videos and PDF documents', async () => {
    expect(await checkContent({ kind: 'video', bytes: samples.mp4(), declaredType: 'video/mp4' })).toEqual({ contentType: 'video/mp4', kind: 'video', ext: 'mp4' });
    expect((await checkContent({ kind: 'video', bytes: samples.mov() })).contentType).toBe('video/quicktime');
    expect((await checkContent({ kind: 'video', bytes: samples.threeGp() })).contentType).toBe('video/3gpp');
    expect(await checkContent({ kind: 'file', bytes: samples.pdf(), declaredType: 'application/pdf' })).toEqual({ contentType: 'application/pdf', kind: 'file', ext: 'pdf' });
  });

  it('refuses a web page that claims to be a photo, by name and by type', async () => {
    const err = await refusal({ kind: 'image', bytes: samples.html(), declaredType: 'image/jpeg' });
    expect(err.code).toBe('attachment_refused');
    expect(err.status).toBe(415);
    expect(err.message).toMatch(/not a photo, voice message, video or PDF/);
    expect((await refusal({ kind: 'file', bytes: samples.html(), declaredType: 'text/html' })).code).toBe('attachment_refused');
  });

  it('refuses SVG, XML, text, archives and programs, whatever they are called', async () => {
    for (const bytes of [samples.svg(), samples.svgXml(), samples.text(), samples.zip(), samples.exe()]) {
      for (const kind of ['image', 'file'] as const) {
        const err = await refusal({ kind, bytes, declaredType: kind === 'image' ? 'image/svg+xml' : undefined });
        expect(err.code, bytes.subarray(0, 20).toString()).toBe('attachment_refused');
      }
    }
  });

  it('refuses HEIC, whose GPS position could not be removed', async () => {
    expect((await refusal({ kind: 'image', bytes: samples.heic(), declaredType: 'image/heic' })).message).toMatch(/image\/heic/);
  });

  it('refuses content that disagrees with the kind it was sent as, or the family it was declared as', async () => {
    expect((await refusal({ kind: 'voice', bytes: await png() })).message).toMatch(/sent as a voice message but the content is an image/);
    expect((await refusal({ kind: 'image', bytes: samples.amr() })).message).toMatch(/sent as a photo but the content is a sound/);
    expect((await refusal({ kind: 'video', bytes: samples.pdf() })).code).toBe('attachment_refused');
    expect((await refusal({ kind: 'file', bytes: await png(), declaredType: 'audio/amr' })).message).toMatch(/says it is audio\/amr but the content is an image/);
    expect((await refusal({ kind: 'file', bytes: samples.pdf(), declaredType: 'image/jpeg' })).message).toMatch(/says it is image\/jpeg/);
  });

  it('refuses a sound that is also a web page, and an empty file', async () => {
    expect((await refusal({ kind: 'voice', bytes: samples.mp3WithPage(), declaredType: 'audio/mpeg' })).message).toMatch(/web page/);
    expect((await refusal({ kind: 'image', bytes: Buffer.alloc(0) })).message).toMatch(/empty/);
  });

  it('names downloads by the stored type', () => {
    expect(['image/jpeg', 'audio/silk', 'audio/mp4', 'audio/ogg', 'video/quicktime', 'application/pdf'].map(extensionOf)).toEqual(['jpg', 'silk', 'm4a', 'ogg', 'mov', 'pdf']);
  });
});
