// A channel written against the channel contract alone, as a new channel (a kiosk, DingTalk, Feishu)
// would be: it imports the contract and nothing else of the hub. The tests that use it check that
// this is enough to run a whole intake.
import type { AttachmentKinds, Channel, ChannelHub, Deliverer, InboundAttachment, Recipient } from '../../src/channels/contract.js';

/** What the contract hands a deliverer (MessageView), as far as a kiosk screen shows it. */
type Shown = Parameters<Deliverer['deliver']>[1];

export class KioskChannel implements Channel {
  readonly deliverer: Deliverer;
  /** Everything delivered, by sender, in order. */
  readonly screens = new Map<string, Shown[]>();
  /** While set, deliveries to these senders fail as the contract says a platform's would. */
  failing: ((to: Recipient) => Error | null) | null = null;
  private hub: ChannelHub | null = null;
  private seq = 0;

  /** @param attachments what the kiosk can take besides words (by default anything, as the contract says). */
  constructor(
    readonly name = 'kiosk',
    readonly attachments?: AttachmentKinds,
  ) {
    this.deliverer = {
      deliver: async (to, message) => {
        const failure = this.failing?.(to);
        if (failure) throw failure;
        const screen = this.screens.get(to.senderId) ?? [];
        screen.push(message);
        this.screens.set(to.senderId, screen);
      },
    };
  }

  connect(hub: ChannelHub): void {
    this.hub = hub;
  }

  get connected(): ChannelHub {
    if (!this.hub) throw new Error('not connected');
    return this.hub;
  }

  /** A person at the kiosk: what they type, and what the screen then shows them. */
  person(senderId: string) {
    const next = () => `k-${senderId}-${++this.seq}`;
    return {
      say: (text: string, messageId = next()) => this.send(senderId, { text, messageId }),
      attach: (attachment: InboundAttachment, messageId = next()) => this.send(senderId, { attachments: [attachment], messageId }),
      screen: () => this.screens.get(senderId) ?? [],
    };
  }

  /** Hands a message to the hub and waits until its answers are on the screen. */
  private async send(senderId: string, m: { text?: string; attachments?: InboundAttachment[]; messageId: string }): Promise<Shown[]> {
    const received = await this.connected.receive({ senderId, ...m }, 'push');
    const ids = new Set(received.replies.map((r) => r.id));
    const until = Date.now() + 10_000;
    const shown = () => (this.screens.get(senderId) ?? []).filter((s) => ids.has(s.id));
    while (shown().length < ids.size && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    if (shown().length < ids.size) throw new Error(`answers to ${m.messageId} were not delivered`);
    return shown();
  }
}
