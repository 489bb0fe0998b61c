import type { Locale } from '../../src/domain.js';
import type { CaseAttachmentView } from '../../src/cases/case-view.js';
import { splitMarks } from '../../src/attachments/attachment-paths.js';
import { escapeHtml as e } from '../../src/http/html.js';
import { when } from './format.js';
import { sizeText } from '../../src/util/size-text.js';
import type { Tr } from './texts.js';


export interface MaterialOptions {
  tr: Tr;
  locale: Locale;
  timeZone: string;
  /** The senders' file names, shown only while the officer has the personal data revealed. */
  names?: ReadonlyMap<string, string>;
}

/** "Photo 2 · 34 KB": what a link to an attachment says (never its content; its name only when revealed). */
function label(a: CaseAttachmentView, n: number, o: MaterialOptions): string {
  const name = o.names?.get(a.id);
  return `${o.tr(`material.${a.kind}`)} ${n}${name ? ` “${name}”` : ''} · ${sizeText(a.size)}`;
}

/**
 * The case's material: each photo as its preview, a link to the full image (the preview's alt text
 * says what it is and when it came); voice messages, videos and files as links named by kind, number
 * and size. Opening any is recorded (the route records it); the section says so.
 */
export function materialSection(attachments: readonly CaseAttachmentView[], o: MaterialOptions): string {
  if (!attachments.length) return '';
  const items = attachments.map((a, i) => {
    const text = label(a, i + 1, o);
    const received = when(new Date(a.createdAt), o.locale, o.timeZone);
    if (a.thumbnailUrl) {
      const alt = o.tr('material.alt', { what: text, when: received });
      return `<li class="preview"><a href="${e(a.url)}"><img src="${e(a.thumbnailUrl)}" alt="${e(alt)}" loading="lazy"></a></li>`;
    }
    return `<li><a href="${e(a.url)}">${e(text)}</a> <small><time datetime="${e(a.createdAt)}">${e(received)}</time></small></li>`;
  });
  return `<section aria-labelledby="material"><h2 id="material">${e(o.tr('case.material'))}</h2><ul class="material">${items.join('')}</ul><p class="hint">${e(o.tr('material.recorded'))}</p></section>`;
}

/**
 * A message's text as HTML, its attachment marks ("attachment:<id>") turned into links to the
 * attachments of this case; a mark of anything else (removed, or typed by someone) stays text.
 */
export function markedText(text: string, attachments: readonly CaseAttachmentView[], show: (text: string) => string, o: MaterialOptions): string {
  return splitMarks(text)
    .map((part) => {
      if ('text' in part) return e(show(part.text));
      const i = attachments.findIndex((a) => a.id === part.attachment);
      return i < 0 ? e(o.tr('material.gone')) : `<a href="${e(attachments[i].url)}">${e(label(attachments[i], i + 1, o))}</a>`;
    })
    .join('');
}
