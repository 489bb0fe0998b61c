import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { sqlOf } from '../db/client.js';
import type { SqlDb } from '../db/sql-driver.js';
import { LocalStorage } from './local-storage.js';
import { S3Storage } from './s3-storage.js';

/**
 * Where attachments' bytes live: a folder (ATTACHMENTS_DIR) or an S3-compatible bucket (S3_BUCKET).
 * Keys are random (storageKey): nothing a sender chose — a file name, a type — reaches a path or a
 * bucket key, and a key says nothing about the case.
 */
export interface AttachmentStorage {
  /** Where it is, for the start-up log and the docs ("folder ./data/attachments", "bucket evidence"). */
  readonly describe: string;
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The bytes, or null when nothing is stored under the key. */
  get(key: string): Promise<Buffer | null>;
  /** Removes what is stored under the key; nothing stored is not an error. */
  delete(key: string): Promise<void>;
}

/** The storage the configuration names. */
export function configuredStorage(config: Pick<Config, 'ATTACHMENTS_DIR' | 'S3_BUCKET' | 'S3_ENDPOINT' | 'S3_REGION' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY' | 'S3_PATH_STYLE'>): AttachmentStorage {
  if (!config.S3_BUCKET) return new LocalStorage(config.ATTACHMENTS_DIR);
  // loadConfig refuses a bucket without both credentials (attachmentStorageProblem).
  return new S3Storage({
    bucket: config.S3_BUCKET,
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID as string,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY as string,
    pathStyle: config.S3_PATH_STYLE === 'true',
  });
}

const beside = new WeakMap<object, AttachmentStorage>();

/**
 * The storage the keeper of this database writes to, for what reads and removes attachments later:
 * the console serving them, retention deleting them. Kept beside the database client (as its SQL
 * driver is, sqlOf), so those find it by the client they already have; the keeper registers it when
 * it is created. Null where no keeper was made for this database (a command-line tool).
 */
export function storageOf(db: Db | SqlDb): AttachmentStorage | null {
  return beside.get(db) ?? null;
}

export function placeStorage(db: Db, storage: AttachmentStorage): void {
  beside.set(db, storage);
  beside.set(sqlOf(db), storage);
}
