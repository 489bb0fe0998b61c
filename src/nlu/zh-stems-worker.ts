/** Makes the Chinese stem table (zh-stems.ts) in a thread that ends afterwards, taking nlp.js's dictionary with it. */
import { serveCalls } from '../util/thread-rpc.js';
import { buildZhStemFile } from './zh-stems.js';

serveCalls(async () => buildZhStemFile());
