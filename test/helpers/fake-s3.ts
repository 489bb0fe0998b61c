import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local S3 for tests: the object REST API's PUT, GET and DELETE on one bucket, path-style
 * (/<bucket>/<key>) or virtual-hosted (Host: <bucket>.…), answering as S3 does (XML errors,
 * 204 for DELETE). Every request must carry an AWS Signature Version 4 Authorization header, which
 * it checks as S3 does: the credential scope, the signed headers, and the signature itself with the
 * secret key; a body whose SHA-256 differs from x-amz-content-sha256 is refused.
 */
export interface FakeS3 {
  url: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  objects: Map<string, { body: Buffer; contentType: string }>;
  /** Every request as received: method, key, and its signature header and payload hash. */
  requests: { method: string; key: string; authorization: string; payloadHash: string; status: number }[];
  /** The next `count` requests are answered with this S3 error (an outage: 503 SlowDown). */
  failNext(count: number, status?: number, code?: string): void;
  close(): Promise<void>;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>FAKE</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** S3's canonical URI: each path segment URI-encoded once (RFC 3986), slashes kept. */
function canonicalPath(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => encodeURIComponent(decodeURIComponent(segment)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

function canonicalQuery(search: URLSearchParams): string {
  return [...search]
    .map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Why the request's signature is not S3's, or null when it is. */
function signatureProblem(req: IncomingMessage, url: URL, s: { accessKeyId: string; secretAccessKey: string; region: string }): { code: string; message: string } | null {
  const auth = AUTH.exec(req.headers.authorization ?? '');
  if (!auth) return { code: 'AccessDenied', message: 'an AWS4-HMAC-SHA256 Authorization header is required' };
  const [, keyId, day, region, signedHeaders, signature] = auth;
  if (keyId !== s.accessKeyId) return { code: 'InvalidAccessKeyId', message: 'unknown access key' };
  if (region !== s.region) return { code: 'AuthorizationHeaderMalformed', message: `the region is wrong; expecting '${s.region}'` };
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== day) return { code: 'AccessDenied', message: 'x-amz-date missing or not the credential date' };
  const names = signedHeaders.split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
    if (!names.includes(required)) return { code: 'AccessDenied', message: `${required} must be signed` };
  }
  const headers = names.map((n) => `${n}:${String(req.headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, canonicalPath(url.pathname), canonicalQuery(url.searchParams), headers, signedHeaders, String(req.headers['x-amz-content-sha256'])].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${s.secretAccessKey}`, day), region), 's3'), 'aws4_request');
  if (hmac(key, toSign).toString('hex') !== signature) return { code: 'SignatureDoesNotMatch', message: 'the request signature we calculated does not match the signature you provided' };
  return null;
}

export async function startFakeS3(options: { bucket?: string; region?: string; accessKeyId?: string; secretAccessKey?: string } = {}): Promise<FakeS3> {
  const settings = {
    bucket: options.bucket ?? 'petition-material',
    region: options.region ?? 'cn-north-1',
    accessKeyId: options.accessKeyId ?? 'AKIAFAKEHUBTEST00001',
    secretAccessKey: options.secretAccessKey ?? 'fake/secret/key/for/the/hub/tests/0123456',
  };
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  const requests: FakeS3['requests'] = [];
  let failing: { count: number; status: number; code: string } | null = null;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://fake-s3');
      const host = String(req.headers.host ?? '');
      const virtual = host.startsWith(`${settings.bucket}.`);
      const [bucket, ...rest] = virtual ? [settings.bucket, ...url.pathname.slice(1).split('/')] : url.pathname.slice(1).split('/');
      const key = decodeURIComponent(rest.join('/'));
      const record = (status: number) => requests.push({ method: req.method ?? '', key, authorization: String(req.headers.authorization ?? ''), payloadHash: String(req.headers['x-amz-content-sha256'] ?? ''), status });
      const fail = (status: number, code: string, message: string) => {
        record(status);
        xmlError(res, status, code, message);
      };
      if (failing && failing.count > 0) {
        failing.count--;
        return fail(failing.status, failing.code, 'please try again');
      }
      const problem = signatureProblem(req, url, settings);
      if (problem) return fail(403, problem.code, problem.message);
      const payloadHash = String(req.headers['x-amz-content-sha256']);
      if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body)) return fail(400, 'XAmzContentSHA256Mismatch', 'the provided x-amz-content-sha256 header does not match what was computed');
      if (bucket !== settings.bucket) return fail(404, 'NoSuchBucket', 'the specified bucket does not exist');
      if (!key) return fail(400, 'InvalidRequest', 'this fake serves objects only');
      if (req.method === 'PUT') {
        objects.set(key, { body, contentType: String(req.headers['content-type'] ?? 'binary/octet-stream') });
        record(200);
        res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"`, 'content-length': 0 });
        return res.end();
      }
      if (req.method === 'GET') {
        const o = objects.get(key);
        if (!o) return fail(404, 'NoSuchKey', 'the specified key does not exist');
        record(200);
        res.writeHead(200, { 'content-type': o.contentType, 'content-length': o.body.length, etag: `"${createHash('md5').update(o.body).digest('hex')}"` });
        return res.end(o.body);
      }
      if (req.method === 'DELETE') {
        objects.delete(key);
        record(204);
        res.writeHead(204);
        return res.end();
      }
      fail(405, 'MethodNotAllowed', 'the specified method is not allowed against this resource');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...settings,
    url: `http://127.0.0.1:${port}`,
    objects,
    requests,
    failNext(count, status = 503, code = 'SlowDown') {
      failing = { count, status, code };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
