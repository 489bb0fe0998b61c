import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../src/logger.js';

const TTL_MS = 10 * 60_000;

/**
 * An officer's names as Slack has them (real name, display name, each as the profile gives them), to
 * tell whether a petition names them. Kept a few minutes per user: a card's buttons are pressed in
 * bursts, and a renamed officer is seen again soon enough.
 */
export class OfficerNames {
  private readonly cache = new Map<string, { names: string[]; at: number }>();

  constructor(private readonly logger: Logger) {}

  /**
   * Without the users:read scope (an app installed from an older manifest) no names are known: the
   * officer is let through, and the log says why the check could not run.
   */
  async of(client: WebClient, user: string): Promise<string[]> {
    const hit = this.cache.get(user);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.names;
    const info = await client.users.info({ user }).catch((err: unknown) => {
      this.logger.warn({ err, user }, 'officer names unavailable (does the Slack app have users:read?); petitions naming them cannot be kept from them');
      return null;
    });
    if (!info) return [];
    const u = info.user;
    const names = [u?.real_name, u?.profile?.real_name, u?.profile?.display_name, u?.profile?.real_name_normalized, u?.profile?.display_name_normalized]
      .filter((n): n is string => typeof n === 'string' && n.trim() !== '');
    this.cache.set(user, { names: [...new Set(names)], at: Date.now() });
    return this.cache.get(user)?.names ?? [];
  }
}
