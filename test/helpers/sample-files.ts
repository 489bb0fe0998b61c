/** Small real files, as a phone or a platform would send them, for attachment tests. */

/** A 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** An AMR-NB voice message (WeChat's voice format): the header and silent frames. */
export const AMR = Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(64, 0x7c)]);

/** HTML with a script, as someone would send it named photo.jpg and declared image/jpeg. */
export const HTML_AS_IMAGE = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
