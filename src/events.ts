import { EventEmitter } from 'node:events';
import type { MessageView } from './conversation/messages.js';

/** Facts the officer side and channels react to, emitted after the transaction that made them commits. */
export interface HubEvents {
  'case.filed': [{ trackingNumber: string; urgency: string; department: string; category: string }];
  'case.updated': [{ trackingNumber: string; action: string; status: string; actor: string }];
  'case.info_added': [{ trackingNumber: string }];
  'human.requested': [{ conversationId: string; trackingNumber: string | null }];
  /** A petitioner message while an officer holds the conversation live (the bot stays silent). */
  'conversation.live_message': [{ conversationId: string; messageId: string }];
  /** A message for the petitioner that was not a direct reply to their message (push it). */
  'message.outbound': [{ conversationId: string; channel: string; message: MessageView }];
}

export class HubEventBus extends EventEmitter<HubEvents> {}
