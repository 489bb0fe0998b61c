import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ROUTING } from '../../src/cases/routing-defaults.js';
import type { SlackCall } from './fake-slack.js';
import { eventually } from './eventually.js';
import type { TestHub } from './hub.js';

/** A ROUTING_FILE with the labour bureau's cases going to a Slack channel (the tests' petitions are about wages). */
export function routingFileWithHrChannel(channel: string): string {
  const table = structuredClone(DEFAULT_ROUTING);
  table.departments.human_resources_social_security.slackChannel = channel;
  const file = join(mkdtempSync(join(tmpdir(), 'routing-')), 'routing.json');
  writeFileSync(file, JSON.stringify(table));
  return file;
}

export const blocksOf = (c: SlackCall): string => JSON.stringify(c.args.blocks ?? []);

/** Until every queued Slack message has gone out (the outbox runs on its own). */
export async function drained(hub: TestHub): Promise<void> {
  const left = await eventually(() => hub.db.outboxJob.count(), (n) => n === 0, 10_000);
  if (left > 0) throw new Error(`outbox not drained: ${JSON.stringify(await hub.db.outboxJob.findMany())}`);
}

export const SLACK_SECRET = 'slack-test-signing-secret';

/**
 * A hub talking to the fake Slack, labour cases to `hr`, escalations to `supervisors`, office in
 * Shanghai time, officers reading English (the tests assert English texts; office-language tests pass
 * OFFICE_LOCALE: 'zh-CN' in `extra`).
 */
export function slackHubEnv(slackUrl: string, hr: string, supervisors: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    SLACK_API_URL: slackUrl,
    SLACK_INTAKE_CHANNEL: 'C0INTAKE',
    SUPERVISOR_SLACK_CHANNEL: supervisors,
    ROUTING_FILE: routingFileWithHrChannel(hr),
    PUBLIC_URL: 'https://petitions.example.gov',
    TIME_ZONE: 'Asia/Shanghai',
    OFFICE_LOCALE: 'en',
    ...extra,
  };
}
