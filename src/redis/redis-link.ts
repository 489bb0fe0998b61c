import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { RedisStore } from 'rate-limit-redis';
import type { Store } from 'express-rate-limit';
import type { HubEventBus } from '../events.js';
import { isRelay, relayEvents, type RelayMessage } from '../event-relay.js';
import type { Logger } from '../logger.js';
import { oncePer } from '../util/once-per.js';

/** What REDIS_URL gives a deployment of several hub instances (docs/api.md, configuration: multi-instance mode). */
export interface RedisLink {
  /** A rate-limit store shared by every instance, one per limiter (`name` keeps their counts apart). */
  rateLimitStore(name: string): Store;
  close(): Promise<void>;
}

export interface RedisLinkOptions {
  url: string;
  /** Namespace of this deployment's keys and channel, so deployments can share one Redis. */
  prefix: string;
  events: HubEventBus;
  logger: Logger;
}

/**
 * Connects to Redis (refusing to start without it: the operator asked for shared limits) and relays
 * the hub's cross-instance events through a pub/sub channel. Once running, Redis going away
 * degrades without losing anything: limits fall back to letting requests through (logged), and
 * pushes to sockets held elsewhere come from the database poll, as without Redis.
 */
export async function connectRedis(options: RedisLinkOptions): Promise<RedisLink> {
  const { url, prefix, events, logger } = options;
  let connected = false;
  const client = createClient({
    url,
    // Fail at once while disconnected rather than queue: a petitioner's request must not wait on Redis.
    disableOfflineQueue: true,
    commandOptions: { timeout: 2000 },
    pingInterval: 10_000,
    // Retry only once connected: a Redis that cannot be reached at start stops the start.
    socket: { connectTimeout: 5000, reconnectStrategy: (retries, cause) => (connected ? Math.min(200 * 2 ** retries, 5000) : cause) },
  });
  const subscriber = client.duplicate();
  const log = oncePer(60_000, (err: unknown) => logger.warn({ err }, 'Redis connection error; retrying (limits let requests through meanwhile)'));
  client.on('error', log);
  subscriber.on('error', log);
  try {
    await Promise.all([client.connect(), subscriber.connect()]);
    connected = true;
  } catch (err) {
    client.destroy();
    subscriber.destroy();
    throw new Error(`could not connect to Redis at REDIS_URL (${redacted(url)}): ${err instanceof Error ? err.message : String(err)}`);
  }

  const channel = `${prefix}:events`;
  const instance = randomUUID();
  const relayFailed = oncePer(60_000, (err: unknown) => logger.warn({ err }, 'could not relay events through Redis; other instances read them from the database'));
  const receive = relayEvents(events, (m) => {
    client.publish(channel, JSON.stringify({ from: instance, ...m })).catch(relayFailed);
  });
  await subscriber.subscribe(channel, (raw) => {
    const m = parse(raw);
    if (m && m.from !== instance) receive(m);
  });

  return {
    rateLimitStore(name) {
      return new RedisStore({ prefix: `${prefix}:rl:${name}:`, sendCommand: (...args: string[]) => client.sendCommand(args) });
    },
    async close() {
      await Promise.allSettled([subscriber.close(), client.close()]);
    },
  };
}

function parse(raw: string): (RelayMessage & { from: string }) | null {
  try {
    const m = JSON.parse(raw) as unknown;
    return isRelay(m) && typeof (m as { from?: unknown }).from === 'string' ? (m as RelayMessage & { from: string }) : null;
  } catch {
    return null;
  }
}

/** The URL without its password, for a log line. */
function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'an unparsable URL';
  }
}
