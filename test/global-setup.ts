import { Nlu } from '../src/nlu/nlu.js';
import { TEST_MODEL_DIR } from './helpers/hub.js';
import { prepareStart } from '../scripts/start-command.js';

// Train once for the whole run; every hub the tests start then loads the cached model.
export default async function setup(): Promise<void> {
  // The tests that start the hub as `npm start` does (spawnHub) run the compiled code: build it once.
  prepareStart(process.cwd());
  await Nlu.load({ intentThreshold: 0.5, modelDir: TEST_MODEL_DIR });
}
