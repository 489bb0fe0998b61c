import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CategoryClassifier, loadCategoryCorpora } from '../../src/nlu/category-classifier.js';
import { INTENTS_DIR } from '../../src/nlu/nlu.js';
import { normalizeText } from '../../src/nlu/normalize.js';
import { compareWithCurrent, MIN_SLICE } from '../../src/nlu/retraining.js';
import { ROUTING_MODEL_FILE } from '../../src/nlu/routing-model.js';
import { seededRandom } from '../../src/util/random.js';
import { ADMIN_TOKEN, startTestHub, TEST_MODEL_DIR, type TestHub } from '../helpers/hub.js';
import { api } from '../helpers/webchat-client.js';
import { fileByWebchat } from '../helpers/intake.js';

const dir = mkdtempSync(join(tmpdir(), 'hub-train-db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function train(databaseUrl: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/train.ts', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl, MODEL_DIR: TEST_MODEL_DIR },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// A matter the built-in corpus has never heard of: only the officers' corrections can teach it.
const STORIES = [
  '嘎嘎乐园的积分卡突然不能用了,里面还有八百多块钱,前台说要等通知。',
  '嘎嘎乐园把我们的积分全部清零了,问他们也不给说法。',
  '嘎嘎乐园的积分兑换一直兑换不了,客服电话也打不通。',
];

describe('npm run train -- --from-database', () => {
  let hub: TestHub;
  const refs: string[] = [];
  beforeAll(async () => {
    hub = await startTestHub();
    for (const story of STORIES) {
      const { ref } = await fileByWebchat(hub.url, story, { location: '青川区', time: '上个月开始', desiredOutcome: '希望退钱', priorAttempts: '找过前台', contactName: '钱多多', contactPhone: '13912345671' });
      refs.push(ref);
    }
  });
  afterAll(async () => hub?.drop());

  it('learns the categories officers corrected, and only confirmed cases', async () => {
    const pick = (await api<{ category: string }>(hub.url, `/api/cases/${refs[0]}`, { token: ADMIN_TOKEN })).body.category === 'transport' ? 'health' : 'transport';
    for (const ref of refs.slice(0, 2)) {
      const r = await api(hub.url, `/api/cases/${ref}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'categorise', category: pick, actor: 'officer:lin' } });
      expect(r.status).toBe(200);
    }
    const modelDir = join(dir, 'models');
    const r = train(hub.databaseUrl, '--from-database', '--model-dir', modelDir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain("2 of the hub's cases whose category an officer confirmed or corrected");
    expect(r.out).toMatch(/Not compared with the built-in model in use: fewer than \d+ of your cases/);
    expect(existsSync(join(modelDir, ROUTING_MODEL_FILE))).toBe(true);
    const retrained = CategoryClassifier.create(loadCategoryCorpora(INTENTS_DIR), modelDir, null);
    expect(retrained.classify(normalizeText('嘎嘎乐园的积分又不能兑换了')).code).toBe(pick);
    // Training on the whole corpus with cross-validation, in a child process: seconds, not milliseconds.
  }, 120_000);

  it('says so when no case has a confirmed category', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/train.ts', '--from-database', '--model-dir', join(dir, 'none')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: `file:${join(dir, 'empty.db')}`, MODEL_DIR: TEST_MODEL_DIR },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no case in the database has a confirmed category/);
    expect(existsSync(join(dir, 'none', ROUTING_MODEL_FILE))).toBe(false);
  }, 60_000);
});

describe('the guard against a worse model', () => {
  const builtIn = [
    ...['老板拖欠工资', '公司不交社保', '被辞退没补偿', '加班没有加班费'].map((text) => ({ text, label: 'labour' })),
    ...['公交车晚点', '红绿灯坏了', '出租车绕路', '马路坑太多'].map((text) => ({ text, label: 'transport' })),
  ];
  // Labels no model can learn from the text (drawn at random): only a model that has seen them knows them.
  const random = seededRandom(3);
  const own = Array.from({ length: 100 }, (_, i) => ({ text: `第${i}号事项,情况${(i * 7919) % 1000}`, label: random() < 0.5 ? 'labour' : 'transport' }));
  const truth = new Map(own.map((e) => [e.text, e.label]));

  it('finds the new model worse than one that routes the held-out cases right', () => {
    const c = compareWithCurrent(builtIn, own, { classify: (t) => truth.get(t) ?? 'labour', createdAt: null }, null);
    expect(c?.slice).toBeGreaterThanOrEqual(MIN_SLICE);
    expect(c?.current.macroF1).toBe(1);
    expect(c?.worse).toBe(true);
  });

  it('finds it no worse than one that routes everything to one place', () => {
    const learnable = own.map((e) => ({ ...e, text: `${e.label === 'labour' ? '工资社保' : '公交道路'}${e.text}` }));
    const c = compareWithCurrent(builtIn, learnable, { classify: () => 'labour', createdAt: null }, null);
    expect(c?.worse).toBe(false);
    expect(c?.candidate.macroF1).toBeGreaterThan(c?.current.macroF1 ?? 1);
  });

  it('holds out the cases confirmed after the current model was made, when there are enough', () => {
    const made = new Date('2026-06-01T00:00:00Z');
    const dated = own.map((e, i) => ({ ...e, confirmedAt: new Date(made.getTime() + (i - 70) * 86_400_000) }));
    const c = compareWithCurrent(builtIn, dated, { classify: () => 'labour', createdAt: made }, null);
    expect(c?.slice).toBe(29);
    expect(c?.currentMayHaveSeen).toBe(false);
    expect(compareWithCurrent(builtIn, own.slice(0, 40), { classify: () => 'labour', createdAt: null }, null)).toBeNull();
  });
});
