import { hash, verify } from '@node-rs/argon2';
import { HubError } from '../errors.js';

/** OWASP's argon2id settings (19 MiB, 2 passes): slow for a guesser, ~30 ms for the hub. */
// algorithm 2 is Argon2id (the package's Algorithm is a const enum, which isolated modules cannot read).
const OPTIONS = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 10;

/** A password an account may have: long enough, not the user name, at most 200 characters. */
export function checkNewPassword(password: string, username: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new HubError('weak_password', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 200) throw new HubError('weak_password', 'a password may have at most 200 characters');
  if (password.toLowerCase().includes(username.toLowerCase())) throw new HubError('weak_password', 'a password must not contain the user name');
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Compared against when the user name is unknown, so an unknown name takes as long as a wrong password.
let decoy: Promise<string> | null = null;

export async function passwordMatches(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    decoy ??= hashPassword('decoy password that matches nothing');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
