/** An NLU thread (nlu-threads.ts): loads the models, then understands the messages it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { warmUpNormalizer } from './normalize.js';
import { Understander, type UnderstanderOptions } from './understander.js';
import type { NluReply, NluRequest } from './nlu-threads.js';

const port = parentPort;
if (!port) throw new Error('nlu-worker runs as a worker thread');
const understander = await Understander.load(workerData as UnderstanderOptions);
warmUpNormalizer();

const reply = (m: NluReply) => port.postMessage(m);
port.on('message', (m: NluRequest) => {
  understander.understand(m.text, m.locale, m.expecting).then(
    (understanding) => reply({ id: m.id, understanding }),
    (err: unknown) => reply({ id: m.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
reply({ ready: true });
