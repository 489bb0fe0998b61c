/** An NLU thread (nlu-threads.ts): loads the models, then understands the messages it is sent. */
import { workerData } from 'node:worker_threads';
import { warmUpNormalizer } from './normalize.js';
import { Understander } from './understander.js';
import type { NluRequest, NluThreadOptions } from './nlu-threads.js';
import { ThreadRouting } from './filing-assessment.js';
import { serveCalls } from '../util/thread-rpc.js';
import { collectStartupGarbage, releaseMemoryWhenQuiet } from '../util/memory-release.js';

const options = workerData as NluThreadOptions;
const understander = await Understander.load(options);
const routing = new ThreadRouting(options);
warmUpNormalizer();
collectStartupGarbage();
releaseMemoryWhenQuiet();
serveCalls(async (m: NluRequest) => {
  switch (m.kind) {
    case 'understand':
      return understander.understand(m.text, m.locale, m.expecting);
    case 'filing':
      return routing.assess(m.texts, m.generation, m.routingFile);
    case 'category':
      return routing.classify(m.text, m.generation, m.routingFile);
    case 'routing':
      return routing.info(m.generation, m.routingFile);
  }
});
