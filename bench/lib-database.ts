/**
 * The database a benchmarked hub runs on: a fresh SQLite file in the hub's own folder (the default),
 * or a fresh database on a PostgreSQL server the user names, created for the run and dropped after
 * it, so that the bench never reads or changes an office's data.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface BenchDatabase {
  /** 'sqlite' or 'postgresql'. */
  provider: 'sqlite' | 'postgresql';
  /** DATABASE_URL for the hub; undefined: a fresh SQLite file in the hub's temporary folder. */
  url?: string;
  /** The server, as the report names it (no password). */
  label: string;
  drop(): Promise<void>;
}

export async function benchDatabase(server: string | undefined): Promise<BenchDatabase> {
  if (!server) return { provider: 'sqlite', label: 'a fresh SQLite file', drop: async () => undefined };
  if (!/^postgres(ql)?:\/\//.test(server)) throw new Error('--database takes a postgresql://… URL (without it the hub runs on a fresh SQLite file)');
  const name = `hub_bench_${randomBytes(5).toString('hex')}`;
  await admin(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    provider: 'postgresql',
    url: url.toString(),
    label: `a fresh database on PostgreSQL ${await serverVersion(server)} ${where(url)}`,
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Where the server is, as the report says it: its TCP address, or its Unix socket (`?host=/var/run/postgresql`). */
function where(url: URL): string {
  const socket = url.searchParams.get('host');
  return socket?.startsWith('/') ? `through its Unix socket in ${socket}` : `at ${url.host} (TCP)`;
}

async function admin(server: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function serverVersion(server: string): Promise<string> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    const r = await client.query<{ server_version: string }>('SHOW server_version');
    return r.rows[0].server_version.split(' ')[0];
  } finally {
    await client.end();
  }
}
