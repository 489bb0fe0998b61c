import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption at rest of the columns that hold personal data (PERSONAL_DATA_KEYS): AES-256-GCM with a
 * random 96-bit nonce per value, stored as "pd1:<key id>:<nonce>:<tag>:<ciphertext>" (base64url), so
 * a copied database file gives away no name, phone number or story. Values written before a key was
 * configured stay readable as they are; `npm run keys:rotate` re-encrypts everything with the
 * current key. The key ring is process-wide, set once at start (and in the SQLite writer thread).
 */
// A control character no petitioner can send (the hub refuses them in text), so a plain value is
// never mistaken for a sealed one.
const MARK = '\u0001pd1:';
const KEY_BYTES = 32;

export class KeyRingError extends Error {}

export class KeyRing {
  private constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    readonly activeId: string,
  ) {}

  /** "id:base64key[,id:base64key…]": the first key encrypts, every key decrypts (for rotation). */
  static parse(text: string): KeyRing {
    const keys = new Map<string, Buffer>();
    for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
      const [id, encoded, extra] = part.split(':');
      if (!id || !encoded || extra !== undefined || !/^[A-Za-z0-9.-]{1,32}$/.test(id)) {
        throw new KeyRingError(`"${part.slice(0, 40)}…": expected <key id>:<base64 key>, the id of letters, digits, . and -`);
      }
      const key = Buffer.from(encoded, 'base64');
      if (key.length !== KEY_BYTES) throw new KeyRingError(`key ${id}: must be ${KEY_BYTES} bytes (openssl rand -base64 32), not ${key.length}`);
      if (keys.has(id)) throw new KeyRingError(`key ${id} is given twice`);
      keys.set(id, key);
    }
    const [activeId] = keys.keys();
    if (!activeId) throw new KeyRingError('no key given');
    return new KeyRing(keys, activeId);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeId) as Buffer, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${MARK}${this.activeId}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${body.toString('base64url')}`;
  }

  /** A key for another use derived from the current key (HKDF-SHA256, `info` naming the use). */
  derive(info: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.keys.get(this.activeId) as Buffer, Buffer.alloc(0), info, KEY_BYTES));
  }

  open(stored: string): string {
    const [id, iv, tag, body] = stored.slice(MARK.length).split(':');
    const key = this.keys.get(id ?? '');
    if (!key) throw new KeyRingError(`a value is sealed with key ${id}, which PERSONAL_DATA_KEYS does not hold`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv ?? '', 'base64url'));
    decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body ?? '', 'base64url')), decipher.final()]).toString('utf8');
  }
}

let ring: KeyRing | null = null;

export function useKeyRing(keys: KeyRing | null): void {
  ring = keys;
}

/** What every value sealed with the current key starts with (for finding the others), or null without keys. */
export function sealedPrefix(): string | null {
  return ring ? `${MARK}${ring.activeId}:` : null;
}

/** The search index's key (case-search.ts), derived from the current key; null without keys. */
export function searchKey(): Buffer | null {
  return ring ? ring.derive('case-search') : null;
}

export function isSealed(value: string): boolean {
  return value.startsWith(MARK);
}

/** A value to store: sealed with the current key when keys are configured, else as it is. */
export function seal(value: string): string;
export function seal(value: string | null): string | null;
export function seal(value: string | null): string | null {
  return value === null || !ring ? value : ring.seal(value);
}

/** A stored value as written: opened when sealed (with whichever configured key sealed it). */
export function open(value: string): string;
export function open(value: string | null): string | null;
export function open(value: string | null): string | null {
  if (value === null || !isSealed(value)) return value;
  if (!ring) throw new KeyRingError('the database holds encrypted personal data, but PERSONAL_DATA_KEYS is not set');
  return ring.open(value);
}

/** Query results as written: every sealed string in them opened (rows, nested includes, arrays). */
export function openDeep<T>(value: T): T {
  if (typeof value === 'string') return (isSealed(value) ? open(value) : value) as T;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = openDeep(value[i]);
    return value;
  }
  if (value && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = openDeep(record[key]);
  }
  return value;
}

/** The key ring of a configuration (PERSONAL_DATA_KEYS), made the process's. */
export function useConfiguredKeys(keys: string | undefined): void {
  useKeyRing(keys ? KeyRing.parse(keys) : null);
}
