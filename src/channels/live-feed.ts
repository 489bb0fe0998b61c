import type { HubEventBus } from '../events.js';
import type { Logger } from '../logger.js';
import type { MessageView } from '../conversation/messages.js';
import type { SqlDb } from '../db/sql-driver.js';
import type { LiveFeed } from './contract.js';
import { PushCatchUp } from './push-catch-up.js';

type Listener = (conversationId: string, messages: MessageView[]) => void;

/**
 * Messages for a channel's watched conversations as they are written: this instance's at once (its
 * events), the other instances' from the database every `pollMs` (PushCatchUp), each message once.
 */
export class ChannelLiveFeed implements LiveFeed {
  private readonly catchUp: PushCatchUp;
  private readonly listeners: Listener[] = [];
  private readonly watched = new Set<string>();
  private readonly poll: NodeJS.Timeout;
  private reading = false;

  constructor(
    channel: string,
    sql: SqlDb,
    events: HubEventBus,
    private readonly logger: Logger,
    pollMs = 1000,
  ) {
    this.catchUp = new PushCatchUp(sql);
    events.on('message.outbound', (e) => {
      if (e.channel !== channel || !this.watched.has(e.conversationId)) return;
      if (this.catchUp.pushed(e.conversationId, e.message.id)) this.emit(e.conversationId, [e.message]);
    });
    this.poll = setInterval(() => void this.readOthers(), pollMs);
    this.poll.unref();
  }

  async watch(conversationId: string): Promise<void> {
    await this.catchUp.watch(conversationId);
    this.watched.add(conversationId);
  }

  forget(conversationId: string): void {
    this.watched.delete(conversationId);
    this.catchUp.forget(conversationId);
  }

  listen(listener: Listener): void {
    this.listeners.push(listener);
  }

  close(): void {
    clearInterval(this.poll);
  }

  private emit(conversationId: string, messages: MessageView[]): void {
    for (const listener of this.listeners) listener(conversationId, messages);
  }

  private async readOthers(): Promise<void> {
    if (this.reading || this.watched.size === 0) return;
    this.reading = true;
    try {
      for (const [conversationId, messages] of await this.catchUp.read()) this.emit(conversationId, messages);
    } catch (err) {
      this.logger.warn({ err }, 'live feed catch-up failed; will try again');
    } finally {
      this.reading = false;
    }
  }
}
