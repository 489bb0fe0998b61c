import { BlockList, isIP } from 'node:net';
import type { Request, RequestHandler } from 'express';
import { errorBody } from '../errors.js';
import { sameSecret } from '../http/secrets.js';
import type { Logger } from '../logger.js';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether an address is this machine's own: 127.0.0.0/8 (also written as ::ffff:127.x.y.z) or ::1. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;
  const family = isIP(v4);
  return family !== 0 && LOOPBACK.check(v4, family === 4 ? 'ipv4' : 'ipv6');
}

export type MetricsAccess = 'allowed' | 'unauthorized' | 'forbidden';

/**
 * Who may read /metrics: with METRICS_TOKEN, whoever presents it as a bearer token; without, only
 * this machine. `clientAddress` is Express's `req.ip`: the hub trusts X-Forwarded-For only from a
 * proxy on this machine, so a request a local reverse proxy passes on is judged by the address it
 * came from, not by the proxy's.
 */
export function metricsAccess(token: string | undefined, authorization: string | undefined, clientAddress: string | undefined): MetricsAccess {
  if (token) {
    const presented = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1]?.trim();
    return sameSecret(presented, token) ? 'allowed' : 'unauthorized';
  }
  return isLoopback(clientAddress) ? 'allowed' : 'forbidden';
}

export interface MetricsSource {
  scrape(): Promise<string>;
  readonly contentType: string;
}

/**
 * GET /metrics: Prometheus's text format. Not behind the web chat's rate limits, and not logged per
 * request; a refusal is a plain JSON error like the API's.
 */
export function metricsRoute(source: MetricsSource, options: { token?: string; logger: Logger }): RequestHandler {
  return (req: Request, res) => {
    const access = metricsAccess(options.token, req.headers.authorization, req.ip);
    if (access === 'unauthorized') {
      res.set('WWW-Authenticate', 'Bearer realm="metrics"').status(401).json(errorBody('unauthorized', 'send Authorization: Bearer <METRICS_TOKEN>'));
      return;
    }
    if (access === 'forbidden') {
      res.status(403).json(errorBody('forbidden', 'metrics are served to this machine only; set METRICS_TOKEN to scrape them from elsewhere'));
      return;
    }
    source.scrape().then(
      (text) => void res.set('Cache-Control', 'no-store').type(source.contentType).send(text),
      (err: unknown) => {
        options.logger.warn({ err }, 'metrics could not be gathered');
        res.set('Retry-After', '1').status(503).json(errorBody('not_ready', 'metrics could not be gathered; try again'));
      },
    );
  };
}
