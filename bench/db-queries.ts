// What one database operation costs through each layer, side by side in one run (npm run bench:db):
// Prisma's model API, Prisma raw SQL, and better-sqlite3 directly (the baseline). The turn path's
// budget at 1,000 messages/s is about 1 ms of CPU for everything, so this says where it can come from.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createDb, tuneSqlite } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { machine, table, writeSection } from './lib-report.js';

const N = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'bench-db-'));
const file = join(dir, 'hub.db');
const db = createDb(`file:${file}`);
await tuneSqlite(db);
await migrate(db, 'sqlite');
await db.petitioner.create({ data: { id: 'p', channel: 'webchat', channelUserId: 'u' } });
await db.conversation.create({ data: { id: 'c', petitionerId: 'p', channel: 'webchat', locale: 'zh-CN', state: '{"phase":"intake"}' } });
const raw = new Database(file);
raw.pragma('journal_mode = WAL');
raw.pragma('synchronous = NORMAL');
raw.pragma('busy_timeout = 5000');

async function time(label: string, op: (i: number) => unknown): Promise<[string, number]> {
  for (let i = 0; i < 200; i++) await op(-i - 1);
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < N; i++) await op(i);
  const cpu = process.cpuUsage(cpu0);
  return [label, (cpu.user + cpu.system) / 1000 / N];
}

let seq = 1_000_000;
const selectConv = raw.prepare('SELECT * FROM "Conversation" WHERE "id" = ?');
const bump = raw.prepare('UPDATE "Conversation" SET "lastSeq" = "lastSeq" + 2, "version" = "version" + 1, "state" = ? WHERE "id" = ? RETURNING "lastSeq"');
const insert = raw.prepare('INSERT INTO "Message" ("id", "conversationId", "seq", "role", "text", "createdAt") VALUES (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?)');
const turnDirect = raw.transaction((k: string) => {
  const { lastSeq } = bump.get('{"phase":"intake"}', 'c') as { lastSeq: number };
  const now = Date.now();
  insert.run(`d${k}a`, 'c', lastSeq - 1 + seq, 'petitioner', '在朝阳区幸福小区', now, `d${k}b`, 'c', lastSeq + seq, 'bot', '明白了。这件事大概是什么时候开始的?', now);
});

const rows: [string, number][] = [];
rows.push(await time('read a conversation — Prisma model API (findUnique)', () => db.conversation.findUnique({ where: { id: 'c' } })));
rows.push(await time('read a conversation — Prisma raw SQL ($queryRaw)', () => db.$queryRaw`SELECT * FROM "Conversation" WHERE "id" = ${'c'}`));
rows.push(await time('read a conversation — better-sqlite3 prepared (baseline)', () => selectConv.get('c')));
rows.push(
  await time('save a turn (update + 2 messages) — Prisma model API, interactive tx', (i) =>
    db.$transaction(async (tx) => {
      const c = await tx.conversation.update({ where: { id: 'c' }, data: { lastSeq: { increment: 2 }, version: { increment: 1 } }, select: { lastSeq: true } });
      await tx.message.createMany({
        data: [
          { id: `m${i}a`, conversationId: 'c', seq: c.lastSeq - 1, role: 'petitioner', text: '在朝阳区幸福小区' },
          { id: `m${i}b`, conversationId: 'c', seq: c.lastSeq, role: 'bot', text: '明白了。' },
        ],
      });
    }),
  ),
);
rows.push(
  await time('save a turn — Prisma raw SQL, interactive tx (what the hub does)', (i) =>
    db.$transaction(async (tx) => {
      const [r] = await tx.$queryRaw<{ lastSeq: number }[]>`UPDATE "Conversation" SET "lastSeq" = "lastSeq" + 2, "version" = "version" + 1 WHERE "id" = ${'c'} RETURNING "lastSeq"`;
      const now = new Date();
      await tx.$executeRaw`INSERT INTO "Message" ("id", "conversationId", "seq", "role", "text", "createdAt") VALUES (${`r${i}a`}, ${'c'}, ${Number(r.lastSeq) - 1}, ${'petitioner'}, ${'在朝阳区幸福小区'}, ${now}), (${`r${i}b`}, ${'c'}, ${Number(r.lastSeq)}, ${'bot'}, ${'明白了。'}, ${now})`;
    }),
  ),
);
rows.push(await time('save a turn — better-sqlite3 transaction (baseline)', (i) => turnDirect(String(i))));

await db.$disconnect();
raw.close();
rmSync(dir, { recursive: true, force: true });

const m = machine();
const body = [
  `Run on ${m.date}: ${m.cpus} CPUs (${m.cpuModel}), ${m.ramGiB.toFixed(1)} GiB RAM, Node ${m.node}; load average ${m.load.toFixed(2)} when it began.`,
  `${N} operations each on one SQLite file (WAL, synchronous=NORMAL), CPU time of the process per operation.`,
  'Reproduce with `npm run bench:db -- --write`.',
  '',
  table(['operation', 'CPU per operation'], rows.map(([label, ms]) => [label, `${ms.toFixed(3)} ms`])),
].join('\n');
console.log(body);
if (process.argv.includes('--write')) writeSection('docs/benchmarks.md', body, '## Database operations');
