import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

// jieba's general dictionary plus the words of petitions it splits wrongly (欠薪 → 欠/薪, 群租房 →
// 群/租房): one file a deployment can extend, intents/dictionary/zh-petitions.txt ("word freq tag").
const DOMAIN = fileURLToPath(new URL('../../intents/dictionary/zh-petitions.txt', import.meta.url));

let jieba: Jieba | undefined;

function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(readFileSync(DOMAIN));
  }
  return jieba;
}

/** Chinese words (and whatever else is in the text, as jieba splits it). */
export function segment(text: string): string[] {
  return segmenter().cut(text, false);
}

/** Whether this thread has built jieba's dictionary yet (Nlu.load warms it up). */
export function segmenterBuilt(): boolean {
  return jieba !== undefined;
}
