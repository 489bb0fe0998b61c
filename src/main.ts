import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startHub } from './hub.js';
import { isClusterPrimary, isLeadProcess, joinCluster, runPrimary } from './cluster.js';

async function main(): Promise<void> {
  // A .env file beside package.json is read if present; the real environment wins.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  if (isClusterPrimary(config.HUB_PROCESSES)) return runPrimary(config.HUB_PROCESSES, logger);
  const hub = await startHub(config, { logger, lead: isLeadProcess(), clustered: config.HUB_PROCESSES > 1 });
  // With Redis every process relays through it; without, through the cluster's primary.
  if (config.HUB_PROCESSES > 1) joinCluster(hub, logger, { relay: !config.REDIS_URL });
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await hub.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // After `npm run train`: the new routing model, without a restart.
  process.on('SIGHUP', () => {
    hub.nlu.reloadRouting().then(
      (routing) => logger.info({ routing }, 'routing model reloaded'),
      (err: unknown) => logger.error({ err }, 'routing model not reloaded; the previous one stays'),
    );
  });
  // A bug in one request must not take every conversation down with it.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}

main().catch((err: unknown) => {
  console.error('the hub could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
