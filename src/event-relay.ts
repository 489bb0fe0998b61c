import type { HubEventBus, HubEvents } from './events.js';

/**
 * Events that must reach every instance of a deployment, not only the one that emitted them: a
 * petitioner's web chat socket is held by one instance, while an officer may act through another.
 */
export const RELAYED = ['message.outbound'] as const satisfies readonly (keyof HubEvents)[];
type Relayed = (typeof RELAYED)[number];

export interface RelayMessage {
  hubEvent: Relayed;
  payload: HubEvents[Relayed][0];
}

export function isRelay(m: unknown): m is RelayMessage {
  return typeof m === 'object' && m !== null && (RELAYED as readonly string[]).includes(String((m as { hubEvent?: unknown }).hubEvent));
}

/**
 * Sends this instance's relayed events out through `send`, and returns what to call with a message
 * from another instance: it is emitted here, and not sent out again.
 */
export function relayEvents(events: HubEventBus, send: (m: RelayMessage) => void): (m: RelayMessage) => void {
  const remote = new WeakSet<object>();
  for (const name of RELAYED) {
    events.on(name, (payload) => {
      if (!remote.has(payload)) send({ hubEvent: name, payload });
    });
  }
  return (m) => {
    remote.add(m.payload);
    events.emit(m.hubEvent, m.payload);
  };
}
