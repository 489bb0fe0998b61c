// nlp.js ships no type declarations; these cover only what the hub calls.
declare module '@nlpjs/core' {
  export interface Container {
    use(plugin: unknown): void;
    get(name: string): unknown;
  }
  export function containerBootstrap(): Promise<Container>;
  /** Base of nlp.js tokenizers: `tokenize` normalises, caches and calls `innerTokenize`. */
  export class Tokenizer {
    constructor(container?: Container, shouldTokenize?: boolean);
    name: string;
    innerTokenize(text: string): string[];
    tokenize(text: string, normalize?: boolean): string[];
    normalize(text: string, force?: boolean): string;
    /** Every text tokenized in the last hour (see uncached in jieba-tokenizer.ts). */
    cache?: unknown;
  }
}

declare module '@nlpjs/nlp' {
  export interface NlpResult {
    locale: string;
    intent: string;
    score: number;
    classifications?: { intent: string; score: number }[];
  }
  export class Nlp {
    constructor(settings?: Record<string, unknown>);
    settings: Record<string, unknown>;
    addLanguage(locales: string | string[]): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    process(locale: string, utterance: string): Promise<NlpResult>;
    /** The classifier alone, without Nlp's context, entity, answer and action stages. */
    nluManager: { process(locale: string, utterance: string): Promise<NlpResult> };
    export(minified?: boolean): string;
    import(data: string): void;
    container: Container;
  }
}

declare module '@nlpjs/lang-zh' {
  export const LangZh: unknown;
}

declare module '@nlpjs/lang-en-min' {
  export const LangEn: unknown;
}
