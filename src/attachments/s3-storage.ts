import { createHash } from 'node:crypto';
import { AwsClient } from 'aws4fetch';
import type { AttachmentStorage } from './storage.js';
import { checkedKey } from './storage-keys.js';

export interface S3Settings {
  bucket: string;
  /** The service's base URL; unset: Amazon S3 in `region`. */
  endpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** <endpoint>/<bucket>/<key> (MinIO and most self-hosted services) instead of <bucket>.<host>/<key>. */
  pathStyle: boolean;
  /** How long one request may take before it is abandoned (default 30 s). */
  timeoutMs?: number;
}

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** The error S3 answers with (`<Error><Code>NoSuchBucket</Code>…`), for the log. */
async function s3Code(res: Response): Promise<string> {
  const body = await res.text().catch(() => '');
  return /<Code>([^<]{1,100})<\/Code>/.exec(body)?.[1] ?? `HTTP ${res.status}`;
}

/**
 * Attachments as objects in an S3-compatible bucket (Amazon S3, MinIO, Ceph, a cloud vendor's S3
 * API), with the object API's PUT, GET and DELETE signed by AWS Signature Version 4 (aws4fetch: one
 * small dependency-free module on fetch and WebCrypto, instead of the whole AWS SDK for three calls).
 * Each request signs the SHA-256 of its body, so the service refuses a body changed on the way.
 */
export class S3Storage implements AttachmentStorage {
  private readonly client: AwsClient;
  private readonly base: URL;

  constructor(private readonly s: S3Settings) {
    // A 5xx or 429 is tried twice more, soon: a petitioner's photo waits on it.
    this.client = new AwsClient({ accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, service: 's3', region: s.region, retries: 2, initRetryMs: 200 });
    const endpoint = new URL(s.endpoint ?? `https://s3.${s.region}.amazonaws.com`);
    this.base = s.pathStyle ? new URL(`/${encodeURIComponent(s.bucket)}/`, endpoint) : new URL(`${endpoint.protocol}//${s.bucket}.${endpoint.host}/`);
  }

  get describe(): string {
    return `S3 bucket ${this.s.bucket} at ${this.base.origin}`;
  }

  private async request(method: 'PUT' | 'GET' | 'DELETE', key: string, body?: Buffer, contentType?: string): Promise<Response> {
    const url = new URL(checkedKey(key), this.base);
    const headers: Record<string, string> = { 'x-amz-content-sha256': body ? createHash('sha256').update(body).digest('hex') : EMPTY_SHA256 };
    if (contentType) headers['content-type'] = contentType;
    // A view of the same memory, typed as fetch wants it: the hub's Buffers (files read, images
    // encoded, downloads) are never on a SharedArrayBuffer.
    const payload = body && new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength);
    return this.client.fetch(url, { method, headers, body: payload, signal: AbortSignal.timeout(this.s.timeoutMs ?? 30_000) });
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const res = await this.request('PUT', key, bytes, contentType);
    if (!res.ok) throw new Error(`S3 refused to store an attachment: ${await s3Code(res)}`);
    await res.body?.cancel();
  }

  async get(key: string): Promise<Buffer | null> {
    const res = await this.request('GET', key);
    if (res.status === 404) {
      const code = await s3Code(res);
      // A missing bucket is a setting to fix, not a missing attachment.
      if (code === 'NoSuchKey' || code === 'HTTP 404') return null;
      throw new Error(`S3 could not give an attachment: ${code}`);
    }
    if (!res.ok) throw new Error(`S3 could not give an attachment: ${await s3Code(res)}`);
    return Buffer.from(await res.arrayBuffer());
  }

  async delete(key: string): Promise<void> {
    const res = await this.request('DELETE', key);
    // S3 answers 204 whether or not the object was there; some services say 404 for one that was not.
    if (!res.ok && res.status !== 404) throw new Error(`S3 refused to delete an attachment: ${await s3Code(res)}`);
    await res.body?.cancel();
  }
}
