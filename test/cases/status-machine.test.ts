import { describe, expect, it } from 'vitest';
import { canApply, nextStatus, STATUSES, TRANSITIONS, type CaseAction } from '../../src/cases/status-machine.js';
import { HubError } from '../../src/errors.js';

describe('case status transition table', () => {
  const path: [CaseAction, string, string][] = [
    ['accept', 'submitted', 'accepted'],
    ['start', 'accepted', 'in_progress'],
    ['request_info', 'in_progress', 'awaiting_petitioner'],
    ['info_received', 'awaiting_petitioner', 'in_progress'],
    ['resolve', 'in_progress', 'resolved'],
    ['reopen', 'resolved', 'reopened'],
    ['start', 'reopened', 'in_progress'],
    ['close', 'resolved', 'closed'],
    ['reject', 'submitted', 'rejected'],
    ['reopen', 'rejected', 'reopened'],
  ];
  it.each(path)('%s takes %s to %s', (action, from, to) => {
    expect(nextStatus(action, from)).toBe(to);
  });

  it('keeps the status for a reply or a transfer on an open case', () => {
    for (const s of ['submitted', 'accepted', 'in_progress', 'awaiting_petitioner', 'reopened']) {
      expect(nextStatus('reply', s)).toBe(s);
      expect(nextStatus('transfer', s)).toBe(s);
    }
  });

  it.each([
    ['resolve', 'rejected'],
    ['resolve', 'submitted'],
    ['accept', 'accepted'],
    ['reply', 'closed'],
    ['transfer', 'resolved'],
    ['reopen', 'closed'],
    ['close', 'in_progress'],
  ] as [CaseAction, string][])('refuses %s on a %s case with a 409', (action, from) => {
    expect(canApply(action, from)).toBe(false);
    try {
      nextStatus(action, from);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(HubError);
      expect((err as HubError).status).toBe(409);
    }
  });

  it('extends the answer period only while it runs: accepted and not yet answered', () => {
    for (const s of ['accepted', 'in_progress', 'awaiting_petitioner', 'reopened']) expect(nextStatus('extend', s)).toBe(s);
    for (const s of ['submitted', 'rejected', 'resolved', 'closed']) expect(canApply('extend', s), s).toBe(false);
    expect(TRANSITIONS.extend.needsText).toBe(true);
  });

  it('names only real statuses, and every status but closed can be left', () => {
    for (const rule of Object.values(TRANSITIONS)) {
      for (const s of rule.from) expect(STATUSES).toContain(s);
      if (rule.to) expect(STATUSES).toContain(rule.to);
    }
    for (const s of STATUSES.filter((x) => x !== 'closed')) {
      expect(Object.values(TRANSITIONS).some((r) => r.to && r.to !== s && r.from.includes(s)), s).toBe(true);
    }
  });
});
