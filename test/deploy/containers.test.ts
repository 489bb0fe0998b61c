/**
 * The production path in containers (Dockerfile, compose.yaml, deploy/; docs/deploy.md). Without
 * Docker: what the files say is checked against the code they run (the start script, the
 * configuration schema, the folders the hub reads at run time, the proxy the hub trusts), and the
 * health check script is run. Where `docker compose` works, the compose file is validated by it too.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startArgs } from '../../scripts/start-command.js';
import {
  asMap,
  dockerIgnores,
  execForm,
  nginxBlock,
  nginxDirectives,
  nginxSize,
  nginxText,
  parseDockerfile,
  parseYaml,
  repoRoot,
  runtimeEntries,
  type DockerStage,
  type Yaml,
  type YamlMap,
} from '../helpers/deploy-files.js';

const run = promisify(execFile);
const read = (file: string) => readFileSync(join(repoRoot, file), 'utf8');

/** Every variable the hub's configuration reads (src/config.ts), as the schema itself asks for them. */
function settingNames(): Set<string> {
  const names = new Set<string>();
  const recorder = new Proxy({}, {
    get(_target, key) {
      if (typeof key === 'string') names.add(key);
      return undefined;
    },
  });
  loadConfig(recorder);
  return names;
}

const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> };
const dockerfile = parseDockerfile(read('Dockerfile'));
const runtime = dockerfile.stages.at(-1) as DockerStage;
const build = dockerfile.stages.find((s) => s.name === 'build') as DockerStage;
const ignore = read('.dockerignore').split(/\r?\n/);
const compose = asMap(parseYaml(read('compose.yaml')), 'compose.yaml');
const services = asMap(compose.services, 'services');
const nginx = nginxText(read('deploy/nginx.conf'));

const of = (stage: DockerStage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const last = (stage: DockerStage, keyword: string) => of(stage, keyword).at(-1);
const service = (name: string) => asMap(services[name], `service ${name}`);
const env = (s: YamlMap) => asMap(s.environment ?? {}, 'environment') as Record<string, string>;
const list = (value: Yaml | undefined): Yaml[] => (Array.isArray(value) ? value : []);
/** The hub services: those built from this repository's Dockerfile. */
const hubs = Object.keys(services).filter((name) => service(name).build !== undefined);
/** The compose variables ${NAME…} (interpolated by compose, not passed to a container as such). */
const composeVariables = new Set([...read('compose.yaml').matchAll(/\$\{(\w+)/g)].map((m) => m[1] as string));

describe('the image (Dockerfile)', () => {
  it('builds on a pinned official Node.js 20 slim Debian image, in a build stage and a runtime stage', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    expect(build).toBeDefined();
    for (const stage of dockerfile.stages) {
      // A version in the tag (not latest, not a bare major line), or a digest.
      expect(stage.from).toMatch(/^node:20\.\d+\.\d+-bookworm-slim(@sha256:[0-9a-f]{64})?$/);
    }
  });

  it('runs as the unprivileged node user, with the data folder its own and nothing else writable', () => {
    const user = last(runtime, 'USER');
    expect(user?.args).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user?.args);
    expect(user?.args).toBe('node');
    const run = of(runtime, 'RUN').map((r) => r.args).join('\n');
    expect(run).toMatch(/chown node:node \/app\/data/);
    expect(of(runtime, 'VOLUME').map((v) => v.args).join(' ')).toContain('/app/data');
    // COPY into the runtime stage keeps files root's: the code is read-only to the process.
    for (const copy of of(runtime, 'COPY')) expect(copy.args).not.toMatch(/--chown/);
  });

  it('starts node itself with the options of `npm start` (signals reach the hub), in production mode', () => {
    const cmd = execForm(last(runtime, 'CMD')?.args ?? '');
    expect(cmd).toEqual(['node', ...startArgs(repoRoot)]);
    expect(of(runtime, 'ENTRYPOINT')).toEqual([]);
    expect(of(runtime, 'ENV').map((e) => e.args).join('\n')).toMatch(/\bNODE_ENV=production\b/);
    expect(of(runtime, 'WORKDIR').at(-1)?.args).toBe('/app');
  });

  it('exposes the default port and checks health with node against /healthz, with a script it copies', () => {
    expect(of(runtime, 'EXPOSE').map((e) => e.args)).toEqual([String(loadConfig({}).PORT)]);
    const check = last(runtime, 'HEALTHCHECK')?.args ?? '';
    expect(check).toMatch(/--start-period=\d+s/);
    const cmd = execForm(check.replace(/^(--\S+\s+)*CMD\s+/, ''));
    expect(cmd?.[0]).toBe('node');
    const script = cmd?.[1] as string;
    expect(existsSync(join(repoRoot, script))).toBe(true);
    expect(read(script)).toContain('/healthz');
    expect(of(runtime, 'COPY').some((c) => c.args.split(/\s+/).includes(script))).toBe(true);
    expect(dockerIgnores(ignore, script)).toBe(false);
  });

  it('installs only production dependencies, which hold what `npm start` and the Prisma generation need', () => {
    const install = of(build, 'RUN').map((r) => r.args).find((a) => /\bnpm ci\b/.test(a)) ?? '';
    expect(install).toMatch(/--omit=dev/);
    // npm start runs what scripts/build.mjs compiles with esbuild, the operator's commands run through
    // tsx, postinstall runs the Prisma CLI: all must survive --omit=dev.
    expect(pkg.scripts.prestart).toBe('node scripts/build.mjs');
    expect(read('scripts/build.mjs')).toMatch(/from 'esbuild'/);
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['esbuild', 'tsx', 'prisma', '@prisma/client']));
    for (const tool of ['esbuild', 'tsx']) expect(Object.keys(pkg.devDependencies)).not.toContain(tool);
    // The image builds the hub as npm start does and runs the result: dist/ comes from the build stage.
    expect(of(build, 'RUN').map((r) => r.args)).toContain('node scripts/build.mjs');
    expect(startArgs(repoRoot).at(-1)).toMatch(/^dist\//);
    expect(of(runtime, 'COPY').some((c) => /--from=build\b/.test(c.args) && c.args.split(/\s+/).includes('dist'))).toBe(true);
    expect(dockerIgnores(ignore, 'dist')).toBe(true);
    // postinstall generates the clients into generated/ from the schema: the build stage has both inputs.
    expect(pkg.scripts.postinstall).toBe('node scripts/prisma-generate.mjs');
    const copied = of(build, 'COPY').map((c) => c.args).join('\n');
    expect(copied).toContain('scripts/prisma-generate.mjs');
    expect(copied).toContain('prisma/schema.prisma');
    expect(copied).toContain('package-lock.json');
  });

  it('copies every folder the hub and the operators\' commands read at run time, and .dockerignore lets them through', () => {
    const opsScripts = Object.values(pkg.scripts)
      .map((command) => /^tsx (scripts\/[\w-]+\.ts)/.exec(command)?.[1])
      .filter((s): s is string => Boolean(s));
    expect(opsScripts).toEqual(expect.arrayContaining(['scripts/account.ts', 'scripts/train.ts']));
    const needed = runtimeEntries(repoRoot, ['src/main.ts', ...opsScripts]);
    expect([...needed]).toEqual(expect.arrayContaining(['src', 'channels', 'officers', 'intents', 'prisma', 'generated', 'node_modules', 'scripts']));
    const copies = of(runtime, 'COPY').map((c) => {
      const words = c.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      return { fromBuild: /--from=build\b/.test(c.args), sources: words.slice(0, -1).map((w) => w.replace(/^\/app\//, '').split('/')[0] as string) };
    });
    for (const entry of [...needed, 'package.json']) {
      const copy = copies.find((c) => c.sources.includes(entry));
      expect(copy, `${entry} is copied into the image`).toBeDefined();
      if (!copy?.fromBuild) expect(dockerIgnores(ignore, entry), `.dockerignore leaves out ${entry}`).toBe(false);
    }
    // What is built in the image, and secrets, stay out of the build context.
    for (const entry of ['node_modules', 'generated', 'data', '.env', '.git']) expect(dockerIgnores(ignore, entry), entry).toBe(true);
    expect(dockerIgnores(ignore, '.env.example')).toBe(false);
  });
});

describe('the health check script (deploy/healthcheck.mjs)', () => {
  let server: Server;
  let status = 200;
  let port = 0;
  // Its own folder, so that no .env of the working tree decides the port.
  const cwd = mkdtempSync(join(tmpdir(), 'healthcheck-'));
  const check = async (env: Record<string, string>) =>
    run(process.execPath, [join(repoRoot, 'deploy/healthcheck.mjs')], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 15_000 }).then(
      () => 0,
      (err: { code?: number }) => err.code ?? -1,
    );
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === '/healthz' ? status : 404;
      res.end(status === 200 ? '{"status":"ok"}' : '{"error":{"code":"not_ready"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('passes when the hub is ready, and fails while it starts or when nothing answers', async () => {
    status = 200;
    expect(await check({ PORT: String(port), HOST: '0.0.0.0' })).toBe(0);
    expect(await check({ PORT: String(port), HOST: '127.0.0.1' })).toBe(0);
    status = 503;
    expect(await check({ PORT: String(port) })).toBe(1);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const unused = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await check({ PORT: String(unused) })).toBe(1);
  });
});

describe('compose.yaml', () => {
  it('has PostgreSQL, Redis, a proxy and two hub instances, on pinned images', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'proxy', 'net']));
    expect(hubs).toHaveLength(2);
    for (const [name, s] of Object.entries(services)) {
      const image = String(asMap(s, name).image);
      if (hubs.includes(name)) continue;
      expect(image, name).toMatch(/:(\d+\.\d+[\w.-]*)(@sha256:[0-9a-f]{64})?$/);
    }
  });

  it('passes the hubs only settings the hub reads, and the hub reads every one .env.example lists', () => {
    const settings = settingNames();
    expect(settings.size).toBeGreaterThan(50);
    expect(settings).toContain('DATABASE_URL');
    for (const hub of hubs) {
      for (const name of Object.keys(env(service(hub)))) expect(settings.has(name), `${hub}: ${name} is a setting of src/config.ts`).toBe(true);
      // The whole .env reaches the hubs: what it holds must be a hub setting or a compose variable.
      const files = list(service(hub).env_file).map((f) => asMap(f, 'env_file'));
      expect(files).toEqual([{ path: '.env', required: 'false' }]);
    }
    const example = [...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string);
    expect(example.length).toBeGreaterThan(40);
    for (const name of example) expect(settings.has(name) || composeVariables.has(name), `.env.example: ${name}`).toBe(true);
  });

  it('points the hubs at the postgres and redis services, and waits until both are healthy', () => {
    const pg = service('postgres');
    const pgEnv = env(pg);
    expect(String(list(asMap(pg.healthcheck, 'healthcheck').test))).toContain('pg_isready');
    expect(String(list(asMap(service('redis').healthcheck, 'healthcheck').test))).toMatch(/redis-cli.*ping/);
    for (const hub of hubs) {
      const e = env(service(hub));
      const url = new URL(e.DATABASE_URL as string);
      expect(url.protocol).toBe('postgresql:');
      expect(url.hostname).toBe('postgres');
      expect(url.username).toBe(pgEnv.POSTGRES_USER);
      expect(url.pathname).toBe(`/${pgEnv.POSTGRES_DB}`);
      // The same password both sides, from the same compose variable.
      expect(decodeURIComponent(url.password)).toBe(pgEnv.POSTGRES_PASSWORD);
      expect(e.REDIS_URL).toBe('redis://redis:6379');
      const deps = asMap(service(hub).depends_on, 'depends_on');
      for (const dep of ['postgres', 'redis']) expect(asMap(deps[dep], dep).condition).toBe('service_healthy');
    }
    // One instance migrates and trains the models first; the other finds them done.
    const [first, second] = hubs as [string, string];
    expect(asMap(asMap(service(second).depends_on, 'depends_on')[first], first).condition).toBe('service_healthy');
  });

  it('keeps everything the hubs write in one volume they share, where the image puts its data folder', () => {
    for (const hub of hubs) {
      const mounts = list(service(hub).volumes).map(String);
      const data = mounts.find((m) => m.endsWith(':/app/data'));
      expect(data, `${hub} mounts a volume at /app/data`).toBeDefined();
      expect(Object.keys(asMap(compose.volumes, 'volumes'))).toContain(data?.split(':')[0]);
      const e = env(service(hub));
      for (const path of ['MODEL_DIR', 'ATTACHMENTS_DIR']) expect(e[path], path).toMatch(/^\/app\/data\//);
    }
    const mounts = hubs.map((hub) => list(service(hub).volumes).map(String).find((m) => m.endsWith(':/app/data')));
    expect(new Set(mounts).size).toBe(1);
  });

  it('puts the proxy and the hubs in one network namespace: the hubs listen on loopback, one port is published', () => {
    const published = Object.entries(services).filter(([, s]) => asMap(s, 'service').ports !== undefined);
    expect(published.map(([name]) => name)).toEqual(['net']);
    for (const name of [...hubs, 'proxy']) expect(service(name).network_mode, name).toBe('service:net');
    const ports = hubs.map((hub) => env(service(hub)).PORT);
    for (const hub of hubs) expect(env(service(hub)).HOST).toBe('127.0.0.1');
    expect(new Set(ports).size).toBe(hubs.length);
    // The port published is the one the proxy listens on.
    const [mapping] = list(service('net').ports).map(String);
    const listen = nginxDirectives(nginxBlock(nginx, 'server') ?? '').filter((d) => d.name === 'listen').map((d) => d.args[0]);
    expect(listen).toContain(mapping?.split(':').at(-1));
  });

  // `docker compose config` resolves what this file says as Compose itself reads it.
  const composeCli = (() => {
    const found = ['docker compose', 'docker-compose'].find((cli) => {
      try {
        const [cmd, ...args] = cli.split(' ') as [string, ...string[]];
        const out = execFileSync(cmd, [...args, 'version', '--short'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 });
        return /^v?2\./.test(out.toString().trim());
      } catch {
        return false;
      }
    });
    return found ?? null;
  })();

  it.skipIf(!composeCli)(`is valid for docker compose (docker compose config)${composeCli ? '' : ' — skipped: no docker compose v2 on this machine'}`, async () => {
    const [cmd, ...args] = (composeCli as string).split(' ') as [string, ...string[]];
    const environment = { ...process.env, POSTGRES_PASSWORD: '', HUB_HTTP_PORT: '' };
    await run(cmd, [...args, '-f', 'compose.yaml', 'config', '-q'], { cwd: repoRoot, env: environment, timeout: 60_000 });
    // And reads it as the checks above did.
    const { stdout } = await run(cmd, [...args, '-f', 'compose.yaml', 'config', '--format', 'json'], { cwd: repoRoot, env: environment, timeout: 60_000 });
    const resolved = JSON.parse(stdout) as { services: Record<string, { environment?: Record<string, string>; network_mode?: string }> };
    for (const hub of hubs) {
      expect(Object.keys(resolved.services[hub]?.environment ?? {}).sort()).toEqual(Object.keys(env(service(hub))).sort());
      expect(resolved.services[hub]?.network_mode).toBe('service:net');
    }
  });
});

describe('the proxy (deploy/nginx.conf)', () => {
  const server = nginxBlock(nginx, 'server') ?? '';
  const serverDirectives = nginxDirectives(server);
  const upstreamServers = (name: string) =>
    nginxDirectives(nginxBlock(nginx, `upstream\\s+${name}`) ?? '')
      .filter((d) => d.name === 'server')
      .map((d) => d.args[0]);

  it('sends every request to both hubs, at the ports compose gives them', () => {
    const hubAddresses = hubs.map((hub) => `127.0.0.1:${env(service(hub)).PORT}`).sort();
    const passes = [...server.matchAll(/proxy_pass\s+http:\/\/(\w+)\s*;/g)].map((m) => m[1] as string);
    expect(passes.length).toBeGreaterThan(0);
    for (const upstream of new Set(passes)) expect(upstreamServers(upstream).sort(), upstream).toEqual(hubAddresses);
  });

  it('forwards the web chat socket upgrade', () => {
    const socket = nginxBlock(server, 'location\\s+=\\s+/api/webchat/socket');
    expect(socket, 'a location for /api/webchat/socket').not.toBeNull();
    const d = nginxDirectives(socket ?? '');
    const header = (name: string) => d.find((x) => x.name === 'proxy_set_header' && x.args[0]?.toLowerCase() === name.toLowerCase())?.args[1];
    expect(d.find((x) => x.name === 'proxy_http_version')?.args).toEqual(['1.1']);
    expect(header('Upgrade')).toBe('$http_upgrade');
    const connection = header('Connection') ?? '';
    if (connection.startsWith('$')) {
      // A map turns a request's Upgrade header into "upgrade".
      const map = nginxBlock(nginx, `map\\s+\\$http_upgrade\\s+${connection.replace(/\$/g, '\\$')}`);
      expect(map, `map $http_upgrade ${connection}`).not.toBeNull();
      expect(nginxDirectives(map ?? '').find((x) => x.name === 'default')?.args).toEqual(['upgrade']);
    } else {
      expect(connection.toLowerCase()).toBe('upgrade');
    }
    expect(d.some((x) => x.name === 'proxy_pass')).toBe(true);
    // proxy_set_header in a location replaces the server's: the socket needs the client's address too.
    expect(header('X-Forwarded-For')).toBe('$remote_addr');
    expect(header('Host')).toBe('$http_host');
  });

  it('gives the hub the client\'s address and the Host with its port (the console compares Origin with it)', () => {
    const header = (name: string) => serverDirectives.find((x) => x.name === 'proxy_set_header' && x.args[0] === name)?.args[1];
    expect(header('X-Forwarded-For')).toBe('$remote_addr');
    expect(header('Host')).toBe('$http_host');
    expect(header('X-Forwarded-Proto')).toBe('$scheme');
  });

  it('takes request bodies as large as the largest attachment the hub takes', () => {
    const limit = nginxSize(serverDirectives.find((d) => d.name === 'client_max_body_size')?.args[0] ?? '1m');
    const example = Number(/^ATTACHMENT_MAX_BYTES=(\d+)/m.exec(read('.env.example'))?.[1]);
    expect(limit).toBeGreaterThanOrEqual(loadConfig({}).ATTACHMENT_MAX_BYTES);
    expect(limit).toBeGreaterThanOrEqual(example);
    for (const hub of hubs) expect(limit).toBeGreaterThanOrEqual(Number(env(service(hub)).ATTACHMENT_MAX_BYTES ?? 0));
  });

  it('logs no query strings or referrers (socket URLs carry session tokens, case links one-time tokens)', () => {
    const formats = [...nginx.matchAll(/log_format\s+\w+([^;]*);/g)].map((m) => m[1] as string);
    expect(formats.length).toBeGreaterThan(0);
    for (const f of formats) expect(f).not.toMatch(/\$(request|request_uri|args|query_string|http_referer|arg_\w+)\b/);
    const logs = serverDirectives.filter((d) => d.name === 'access_log');
    expect(logs.length).toBeGreaterThan(0);
    for (const log of logs) expect(log.args[1], 'access_log names its format').toBeDefined();
  });
});
