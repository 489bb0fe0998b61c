import { AccountService, type NewAccount } from '../../src/accounts/account-service.js';
import type { Hub } from '../../src/hub.js';

export const PASSWORD = 'correct horse battery staple';

/** Creates a console account directly in the hub's database (as `npm run account -- create` does). */
export function createAccount(hub: Hub, account: Omit<NewAccount, 'password'> & { password?: string }) {
  const accounts = new AccountService({ db: hub.db, now: () => new Date(), hasDepartment: (id) => id in hub.config.routing.departments });
  return accounts.create({ password: PASSWORD, ...account });
}

export interface Page {
  status: number;
  text: string;
  location: string | null;
  headers: Headers;
}

/** A browser-like client of the console: keeps its session cookie, sends forms with the page's CSRF token. */
export class ConsoleClient {
  /** The console's cookies: the session, and single sign-on's pending one while at the provider. */
  readonly jar = new Map<string, string>();
  constructor(readonly base: string) {}

  static async signIn(base: string, username: string, password = PASSWORD): Promise<ConsoleClient> {
    const c = new ConsoleClient(base);
    const r = await c.signInWith(username, password);
    if (r.status !== 303) throw new Error(`sign-in failed: ${r.status}`);
    return c;
  }

  /** The Cookie header this client sends. */
  get cookie(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async signInWith(username: string, password: string): Promise<Page> {
    return this.post('/console/sign-in', { username, password, next: '/console' }, { csrf: false });
  }

  async get(path: string, accept = 'text/html'): Promise<Page> {
    const r = await fetch(new URL(path, this.base), { headers: { cookie: this.cookie, accept }, redirect: 'manual' });
    return this.page(r);
  }

  /** The CSRF token of the signed-in session (from any console page). */
  async csrf(): Promise<string> {
    const page = await this.get('/console/account');
    const m = /name="_csrf" value="([^"]+)"/.exec(page.text);
    if (!m) throw new Error(`no CSRF token on the page (${page.status})`);
    return m[1];
  }

  async post(path: string, form: Record<string, string>, options: { csrf?: boolean | string; origin?: string } = {}): Promise<Page> {
    const csrf = options.csrf === false ? undefined : typeof options.csrf === 'string' ? options.csrf : await this.csrf();
    const body = new URLSearchParams({ ...form, ...(csrf ? { _csrf: csrf } : {}) });
    const r = await fetch(new URL(path, this.base), {
      method: 'POST',
      body,
      headers: { cookie: this.cookie, origin: options.origin ?? new URL(this.base).origin, 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    return this.page(r);
  }

  /** Reads a response as a page, keeping the cookies it sets. */
  async page(r: Response): Promise<Page> {
    for (const set of r.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const [name, value] = pair.split('=');
      if (!name.includes('hub_console')) continue;
      if (value) this.jar.set(name, value);
      else this.jar.delete(name);
    }
    return { status: r.status, text: await r.text(), location: r.headers.get('location'), headers: r.headers };
  }
}
