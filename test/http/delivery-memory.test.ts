import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { TestClock } from '../helpers/clock.js';

describe('the record of deliveries already handled (Slack and WeChat retries)', () => {
  const clock = new TestClock('2026-03-10T08:00:00Z');
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ now: clock.now });
  });
  afterAll(async () => hub?.drop());

  it('forgets what no platform will retry any more, and keeps the last two days', async () => {
    const at = (iso: string) => new Date(iso);
    await hub.db.processedDelivery.createMany({
      data: [
        { id: 'slack:Ev-old', createdAt: at('2026-03-07T08:00:00Z') },
        { id: 'wechat-oa:event:o1:1', createdAt: at('2026-03-08T07:59:00Z') },
        { id: 'slack:Ev-recent', createdAt: at('2026-03-09T08:00:00Z') },
      ],
    });
    await hub.deadlines.runDue();
    const left = await hub.db.processedDelivery.findMany({ where: { id: { in: ['slack:Ev-old', 'wechat-oa:event:o1:1', 'slack:Ev-recent'] } } });
    expect(left.map((d) => d.id)).toEqual(['slack:Ev-recent']);
  });
});
