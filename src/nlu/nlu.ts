import type { Locale, Slot, Urgency } from '../domain.js';
import { normalizeText, warmUpNormalizer } from './normalize.js';
import { estimateUrgency } from './urgency.js';
import { CategoryClassifier, loadCategoryCorpora, loadLexicon } from './category-classifier.js';
import type { CategoryGuess, Understanding } from './understanding.js';
import type { PetitionSimilarity } from './text-similarity.js';
import { petitionSimilarity } from './similarity-model.js';
import type { Understander } from './understander.js';
import { WARM_UP } from './warm-up-texts.js';
import { NluThreads } from './nlu-threads.js';
import { assessFiling, routingInfo, type FilingAssessment, type FilingTexts, type RoutingInfo } from './filing-assessment.js';
import { projectPath } from '../util/project-root.js';

export const INTENTS_DIR = projectPath('intents');

export interface NluOptions {
  intentThreshold: number;
  modelDir?: string;
  intentsDir?: string;
  /**
   * Threads that understand petitioners' messages beside the hub's own (nlu-threads.ts); 0 (the
   * default) understands them in the hub's thread.
   */
  threads?: number;
  /** Warm up the models at load (default true; see Understander.warmUp). */
  warmUp?: boolean;
  /** Told how long each message's understanding and each filing's assessment took, and whether a thread did it (/metrics). */
  observe?: (call: 'understand' | 'filing', threaded: boolean, ms: number) => void;
}

/** Everything the hub understands of a message: the one place classifiers and extractors meet. */
export class Nlu {
  /** Reloads of the routing model so far; NLU threads compare it with their own (ThreadRouting). */
  private routingGeneration = 0;

  private constructor(
    private readonly local: () => Promise<Understander>,
    /** The routing model in this thread: loaded at start without NLU threads, else only if one fails (localCategories). */
    private categories: CategoryClassifier | null,
    private routingModel: RoutingInfo,
    private readonly options: NluOptions,
    private readonly similarities: PetitionSimilarity,
    private readonly threads: NluThreads | null,
  ) {}

  static async load(options: NluOptions): Promise<Nlu> {
    const intentsDir = options.intentsDir ?? INTENTS_DIR;
    const understanderOptions = { intentThreshold: options.intentThreshold, modelDir: options.modelDir, intentsDir, warmUp: options.warmUp };
    // With threads, the hub thread loads its own copy of the models (the intent model, the routing
    // model and jieba, which both cut Chinese with: about 60 MiB) only if a thread fails.
    let understander: Promise<Understander> | undefined;
    // Imported when first needed: with threads, nlp.js and the extractors need not be in this thread at all.
    const local = () => (understander ??= import('./understander.js').then((m) => m.Understander.load(understanderOptions)));
    if (!options.threads) await local();
    const corpora = loadCategoryCorpora(intentsDir);
    // The traditional→simplified dictionary loads on first use; load it now, not on a petitioner's turn.
    warmUpNormalizer();
    let categories: CategoryClassifier | null = null;
    let threads: NluThreads | null = null;
    let routing: RoutingInfo;
    if (options.threads) {
      // The first thread reads the routing model, or trains and caches it, and says which it holds.
      threads = await NluThreads.start(options.threads, { ...understanderOptions, routingFile: null }, local);
      const held = await threads.routing(0, null)?.catch(async (err: unknown) => {
        await threads?.close();
        throw err;
      });
      if (!held) throw new Error('no NLU thread answered after starting');
      routing = { source: held.source, threshold: held.threshold, file: held.file };
    } else {
      categories = CategoryClassifier.create(corpora, options.modelDir, loadLexicon(intentsDir));
      routing = routingInfo(categories);
    }
    const nlu = new Nlu(local, categories, routing, options, petitionSimilarity(corpora), threads);
    if (options.warmUp !== false) nlu.warmUp();
    return nlu;
  }

  /**
   * jieba builds its dictionary on first use (about 0.3 s), so route once now rather than on a
   * petitioner's turn, in this thread when it routes (no NLU threads); petitions are compared for
   * grouping here either way.
   */
  private warmUp(): void {
    for (const [text, locale] of WARM_UP) {
      if (!this.threads) this.classifyCategory(text);
      this.urgency(text, locale);
      this.similarity(text, text);
    }
  }

  /** The routing model in this thread, read from the threads' file when first needed with threads. */
  private localCategories(): CategoryClassifier {
    if (this.categories) return this.categories;
    const dir = this.options.intentsDir ?? INTENTS_DIR;
    const file = this.routingModel.file;
    this.categories = file ? CategoryClassifier.fromFile(file) : CategoryClassifier.create(loadCategoryCorpora(dir), this.options.modelDir, loadLexicon(dir));
    return this.categories;
  }

  /** Stops the NLU threads, if any. */
  async close(): Promise<void> {
    await this.threads?.close();
  }

  /**
   * @param locale the conversation's language, used when the message itself does not say.
   * @param expecting the detail the bot just asked for, if any.
   */
  understand(raw: string, locale: Locale, expecting: Slot | null = null): Promise<Understanding> {
    const threaded = this.threads?.available ?? false;
    const started = performance.now();
    const understood = this.threads ? this.threads.understand(raw, locale, expecting) : this.local().then((u) => u.understand(raw, locale, expecting));
    return this.options.observe ? understood.finally(() => this.options.observe?.('understand', threaded, performance.now() - started)) : understood;
  }

  /** How alike two petitions of one category are, 0..1 (text-similarity.ts; SAME_MATTER is the threshold). */
  similarity(a: string, b: string, category?: string): number {
    return this.similarities.similarity(a, b, category);
  }

  /**
   * Routing and urgency for a case about to be filed, on an NLU thread when there is one: filing is
   * the heaviest turn, and this is most of what it asks of the models. Falls back to this thread.
   */
  async assessFiling(texts: FilingTexts): Promise<FilingAssessment> {
    const generation = this.routingGeneration;
    const started = performance.now();
    const fromThread = await this.threads?.assessFiling(texts, generation, this.routingModel.file)?.catch(() => null);
    const fresh = fromThread && fromThread.generation === this.routingGeneration ? fromThread : null;
    const assessment = fresh ? { category: fresh.category, urgency: fresh.urgency } : assessFiling(this.localCategories(), texts);
    this.options.observe?.('filing', Boolean(fresh), performance.now() - started);
    return assessment;
  }

  /** The category of an account (Router.text of its details), on an NLU thread when there is one. */
  async category(text: string): Promise<CategoryGuess> {
    const generation = this.routingGeneration;
    const fromThread = await this.threads?.category(text, generation, this.routingModel.file)?.catch(() => null);
    return fromThread && fromThread.generation === this.routingGeneration ? fromThread.category : this.classifyCategory(text);
  }

  /** Whether accounts are routed on NLU threads (Nlu.category) rather than in this thread. */
  get routesOnThreads(): boolean {
    return this.threads?.available ?? false;
  }

  /** Where the routing model came from and its triage threshold (start-up log, /api/nlu). */
  get routing(): { source: string; threshold: number } {
    return { source: this.routingModel.source, threshold: this.routingModel.threshold };
  }

  /**
   * Loads the routing model again (after `npm run train`): the new one takes over from the next
   * message; if it cannot be read the current one stays and the error is thrown to the caller. With
   * NLU threads a thread reads it, and the others from its file when next asked.
   */
  async reloadRouting(): Promise<{ source: string; threshold: number }> {
    const next = this.routingGeneration + 1;
    const onThread = await this.threads?.routing(next, null);
    if (onThread) {
      this.routingModel = { source: onThread.source, threshold: onThread.threshold, file: onThread.file };
      // Read again from the new file if this thread needs it.
      this.categories = null;
    } else {
      const dir = this.options.intentsDir ?? INTENTS_DIR;
      this.categories = CategoryClassifier.create(loadCategoryCorpora(dir), this.options.modelDir, loadLexicon(dir));
      this.routingModel = routingInfo(this.categories);
    }
    this.routingGeneration = next;
    return this.routing;
  }

  /** How urgent an account sounds: normal, high or emergency (urgency.ts). */
  urgency(text: string, locale: Locale): Urgency {
    return estimateUrgency(normalizeText(text), locale);
  }

  /** The category of an account in this thread (the dialogue's routing when no NLU thread can; transcripts). */
  classifyCategory(text: string): CategoryGuess {
    return this.localCategories().classify(normalizeText(text));
  }

  /** POST /api/nlu/classify */
  async classify(text: string) {
    const u = await this.understand(text, 'zh-CN');
    const category = await this.category(text);
    return {
      language: u.language,
      intent: { name: u.intent.name, score: round(u.intent.score) },
      category: {
        code: category.code,
        score: round(category.score),
        // Below it a case goes to general intake for triage.
        ...(category.threshold !== undefined ? { threshold: round(category.threshold) } : {}),
        alternatives: (category.ranking ?? []).slice(1).map((r) => ({ code: r.code, score: round(r.score) })),
        ...(category.secondary ? { secondary: category.secondary.code } : {}),
        evidence: category.evidence ?? [],
      },
      entities: u.entities.map((e) => ({ type: e.type, value: e.value })),
    };
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
