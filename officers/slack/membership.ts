import type { WebClient } from '@slack/web-api';

const TTL_MS = 60_000;

/** Channel membership, asked of Slack and remembered for a minute (a button click must stay quick). */
export class MembershipCheck {
  private readonly cache = new Map<string, { members: Set<string>; at: number }>();

  async isMember(client: WebClient, channel: string, user: string): Promise<boolean> {
    const hit = this.cache.get(channel);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.members.has(user);
    const members = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await client.conversations.members({ channel, cursor, limit: 1000 });
      for (const m of page.members ?? []) members.add(m);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    this.cache.set(channel, { members, at: Date.now() });
    return members.has(user);
  }
}
