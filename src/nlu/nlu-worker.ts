/** An NLU thread (nlu-threads.ts): loads the models, then understands the messages it is sent. */
import { workerData } from 'node:worker_threads';
import { warmUpNormalizer } from './normalize.js';
import { Understander, type UnderstanderOptions } from './understander.js';
import type { NluRequest } from './nlu-threads.js';
import { serveCalls } from '../util/thread-rpc.js';

const understander = await Understander.load(workerData as UnderstanderOptions);
warmUpNormalizer();
serveCalls((m: NluRequest) => understander.understand(m.text, m.locale, m.expecting));
