/**
 * `npm run account -- <command>`: officers' console accounts, from the machine the hub runs on.
 *
 *   create --username li.ming --name "李明" --role officer|supervisor|admin [--departments housing,transport] [--locale zh-CN|en] [--sso-only]
 *   password --username li.ming          (sets a new password; every session of the account ends)
 *   list
 *   sign-out --username li.ming          (signs the account out everywhere)
 *
 * The password is asked for on the terminal (not echoed), or read from the first line of standard
 * input when it is not a terminal (`--password-stdin` scripts), never from the command line.
 * --sso-only creates an account without a password, that signs in only through single sign-on
 * (OIDC_ISSUER): the provider's user name claim must equal --username the first time.
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { useConfiguredKeys } from '../src/db/personal-data.js';
import { closeDb, createDb, providerOf } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { AccountService } from '../src/accounts/account-service.js';
import { ROLES, type Role } from '../src/accounts/officer.js';
import { HubError } from '../src/errors.js';

async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  process.stdout.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  let typed = '';
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stdout.write('\n');
          return resolve(typed);
        }
        if (ch === '\u0003') process.exit(130);
        typed = ch === '\u007f' ? typed.slice(0, -1) : typed + ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, departments: { type: 'string' }, locale: { type: 'string' }, 'sso-only': { type: 'boolean' } },
  });
  const command = positionals[0];
  const config = loadConfig();
  useConfiguredKeys(config.PERSONAL_DATA_KEYS);
  const db = createDb(config.DATABASE_URL);
  try {
    await migrate(db, providerOf(config.DATABASE_URL));
    const departments = new Set(Object.keys(config.routing.departments));
    const accounts = new AccountService({ db, now: () => new Date(), hasDepartment: (id) => departments.has(id) });
    if (command === 'list') {
      for (const a of await accounts.list()) console.log(`${a.username}\t${a.role}\t${a.departments.join(',') || '-'}\t${a.displayName}`);
      return 0;
    }
    if (!values.username) throw new HubError('bad_request', '--username is required');
    if (command === 'create') {
      const role = (values.role ?? 'officer') as Role;
      if (!(ROLES as readonly string[]).includes(role)) throw new HubError('bad_request', `--role is one of ${ROLES.join(', ')}`);
      const password = values['sso-only'] ? undefined : await readPassword('Password (10 characters or more): ');
      const a = await accounts.create({ username: values.username, displayName: values.name ?? values.username, password, role, departments: values.departments?.split(',').map((d) => d.trim()).filter(Boolean), locale: values.locale === 'en' ? 'en' : 'zh-CN' });
      console.log(`account: created ${a.username} (${a.role}); sign in at ${config.PUBLIC_URL ?? `http://localhost:${config.PORT}`}/console`);
      return 0;
    }
    if (command === 'password') {
      await accounts.setPassword(values.username, await readPassword('New password: '));
      console.log(`account: new password for ${values.username}; its sessions were ended`);
      return 0;
    }
    if (command === 'sign-out') {
      const found = (await accounts.list()).find((a) => a.username === values.username?.toLowerCase());
      if (!found) throw new HubError('not_found', `no account ${values.username}`);
      console.log(`account: ${await accounts.signOutEverywhere(found.id)} sessions of ${found.username} ended`);
      return 0;
    }
    console.error('usage: npm run account -- create|password|list|sign-out [--username …]');
    return 2;
  } finally {
    await closeDb(db);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`account: ${err instanceof ConfigError || err instanceof HubError || err instanceof Error ? err.message : String(err)}`);
    process.exit(err instanceof HubError ? 1 : 2);
  },
);
