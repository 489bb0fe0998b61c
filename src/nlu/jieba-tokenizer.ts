import { Tokenizer, type Container } from '@nlpjs/core';
import { segment } from './segmenter.js';

const WORDLIKE = /[\p{L}\p{N}]/u;

/**
 * nlp.js's Chinese tokenizer replaced by jieba (with the petitions dictionary): @nlpjs/lang-zh
 * segments with a small dictionary of its own and splits words such as 欠薪 or 物业费 apart.
 * Registered under the same name after LangZh, so the rest of the nlp.js pipeline is unchanged.
 */
export class JiebaTokenizer extends Tokenizer {
  constructor(container?: Container) {
    super(container, true);
    this.name = 'tokenizer-zh';
  }

  override innerTokenize(text: string): string[] {
    return segment(text).filter((t) => WORDLIKE.test(t));
  }
}

/**
 * nlp.js's tokenizers keep every text they tokenize for an hour, to answer a repeat at once. A
 * petition hub sees mostly new text, so that cache only grows (at 1,000 messages/s, millions of
 * entries an hour) and slows every major garbage collection; tokenizing again costs microseconds.
 */
export function uncached(tokenizer: Tokenizer): void {
  tokenizer.tokenize = (text: string, normalize?: boolean) => tokenizer.innerTokenize(tokenizer.normalize(text, normalize));
}
