import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import { projectPath } from '../util/project-root.js';

// The package's dict.js reads its dictionary and its idf table (11 MB) into buffers that its module
// keeps for good, in every thread that imports it; the dictionary is only needed while jieba builds.
const GENERAL = createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt');

// jieba's general dictionary plus the words of petitions it splits wrongly (欠薪 → 欠/薪, 群租房 →
// 群/租房): one file a deployment can extend, intents/dictionary/zh-petitions.txt ("word freq tag").
const DOMAIN = projectPath('intents', 'dictionary', 'zh-petitions.txt');

let jieba: Jieba | undefined;

function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(readFileSync(GENERAL));
    jieba.loadDict(readFileSync(DOMAIN));
  }
  return jieba;
}

/** Chinese words (and whatever else is in the text, as jieba splits it). */
export function segment(text: string): string[] {
  return segmenter().cut(text, false);
}

/** A word with its part of speech (jieba's ICTCLAS tags: v verb, ns place, nr person, t time …) and offsets. */
export interface TaggedWord {
  word: string;
  tag: string;
  start: number;
  end: number;
}

/** Words with their parts of speech and where they are in `text` (UTF-16 offsets). */
export function tagWords(text: string): TaggedWord[] {
  const out: TaggedWord[] = [];
  let at = 0;
  for (const { word, tag } of segmenter().tag(text, true)) {
    const start = text.indexOf(word, at);
    if (start < 0) continue;
    at = start + word.length;
    out.push({ word, tag, start, end: at });
  }
  return out;
}

/** Whether this thread has built jieba's dictionary yet (Nlu.load warms it up). */
export function segmenterBuilt(): boolean {
  return jieba !== undefined;
}
