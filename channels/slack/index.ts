import type { App } from '@slack/bolt';
import type { Db } from '../../src/db/client.js';
import type { HubEventBus } from '../../src/events.js';
import type { Logger } from '../../src/logger.js';
import type { Outbox } from '../../src/outbox/outbox.js';
import type { ConversationService } from '../../src/conversation/conversation-service.js';
import { afterPushedSeq, schedulePushes } from '../../src/outbox/push-schedule.js';
import { DM_JOB, dmPusher, registerDmIntake } from './dm.js';

export { DM_JOB };

export interface SlackDmDeps {
  db: Db;
  conversations: ConversationService;
  outbox: Outbox;
  events: HubEventBus;
  logger: Logger;
}

/** The petitioners' side of Slack: employees write to the bot by direct message and are answered there. */
export async function registerSlackDm(bolt: App, deps: SlackDmDeps): Promise<void> {
  deps.outbox.register(DM_JOB, dmPusher(deps.db, bolt.client));
  registerDmIntake(bolt, deps);
  await schedulePushes(deps, 'slack', DM_JOB, afterPushedSeq);
}
