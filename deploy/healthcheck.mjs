// The container's health check (Dockerfile HEALTHCHECK): GET /healthz on the port this container's
// hub listens on. Exit 0 when it answers 200 (the hub is ready), 1 otherwise: 503 while it starts
// (migrations, models), no answer, or none within 4 s. What it prints is kept in `docker inspect`.
// Node itself, because the slim image has no curl or wget.
import { existsSync } from 'node:fs';

// As src/main.ts: a .env file in the working folder is read, the real environment wins.
if (existsSync('.env')) process.loadEnvFile('.env');

const port = process.env.PORT || '3000';
const bound = process.env.HOST || '0.0.0.0';
// A hub bound to every address answers on the loopback one; one bound to a single address, there.
const host = bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound;
const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/healthz`;

try {
  const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
  console.log(`GET ${url}: ${res.status}`);
  process.exit(res.status === 200 ? 0 : 1);
} catch (err) {
  console.log(`GET ${url}: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
