import type { Express, RequestHandler } from 'express';
import { App, ExpressReceiver, LogLevel, SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import type { Config } from '../config.js';
import { errorBody } from '../errors.js';
import { sendJson } from '../http/error-handler.js';
import type { Logger } from '../logger.js';

/** Slack's window for a request's timestamp: Bolt refuses older ones; this refuses ones from the future. */
const SLACK_WINDOW_SECONDS = 5 * 60;

/**
 * Bolt checks only that a signed request is not too old, so one dated in the future (a forged clock,
 * or a captured request) would stay replayable for as long as its date lies ahead. Wall-clock time,
 * as Slack's own timestamps are.
 */
const refuseFutureRequests: RequestHandler = (req, res, next) => {
  const stamp = Number(req.get('x-slack-request-timestamp'));
  if (Number.isFinite(stamp) && stamp - Date.now() / 1000 > SLACK_WINDOW_SECONDS) {
    sendJson(res, 401, errorBody('unauthorized', 'the request is dated in the future'));
    return;
  }
  next();
};

/** Bolt logs through the hub's logger (and so through its redaction). */
function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ channel: 'slack' });
  let level = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => child.debug(m.map(String).join(' ')),
    info: (...m: unknown[]) => child.info(m.map(String).join(' ')),
    warn: (...m: unknown[]) => child.warn(m.map(String).join(' ')),
    error: (...m: unknown[]) => child.error(m.map(String).join(' ')),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

export interface SlackApp {
  bolt: App;
  /** Serve Slack's requests (HTTP) or open the Socket Mode connection; after every handler is registered. */
  listen(app: Express, connect: boolean): Promise<{ stop(): Promise<void> }>;
}

/**
 * One Bolt app for the workspace, shared by the petitioners' DM channel and the officers' workspace.
 * Over HTTP (POST /slack/events, signed requests; mounted before the JSON body parser, because Bolt
 * checks the signature over the raw body), or over Socket Mode when SLACK_APP_TOKEN is set.
 */
export function createSlackApp(config: Config, logger: Logger): SlackApp {
  // Failures surface to the outbox, which retries from rows (and honours Retry-After) instead of
  // the client retrying in memory for minutes.
  const clientOptions = { slackApiUrl: config.SLACK_API_URL, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  const receiver = socketMode
    ? new SocketModeReceiver({ appToken: config.SLACK_APP_TOKEN as string, logger: boltLogger(logger), installerOptions: { clientOptions: { slackApiUrl: config.SLACK_API_URL } } })
    : new ExpressReceiver({ signingSecret: config.SLACK_SIGNING_SECRET as string, endpoints: '/slack/events', logger: boltLogger(logger) });
  const bolt = new App({ token: config.SLACK_BOT_TOKEN, receiver, socketMode, logger: boltLogger(logger), clientOptions });
  bolt.error(async (err) => {
    logger.error({ err }, 'slack handler failed');
  });
  const none = { stop: async () => undefined };
  return {
    bolt,
    async listen(app, connect) {
      if (receiver instanceof ExpressReceiver) {
        app.use('/slack/events', refuseFutureRequests);
        app.use(receiver.router);
        return none;
      }
      // Socket Mode: Slack connects out from here; no public URL or signing secret needed.
      if (!connect) return none;
      await bolt.start();
      return { stop: async () => void (await bolt.stop()) };
    },
  };
}
