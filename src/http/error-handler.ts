import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { errorBody, HubError, type ErrorBody } from '../errors.js';
import type { Logger } from '../logger.js';

/** Unknown routes get the same JSON error shape as everything else, never an HTML page. */
export const notFound: RequestHandler = (_req, res) => {
  sendJson(res, 404, errorBody('not_found', 'no such endpoint'));
};

/** A JSON response on Node's own response object, as Express's res.json writes it (without an ETag). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

interface BodyParserError {
  type?: string;
  status?: number;
  /** http-errors' mark of an error about the request, safe to tell the client. */
  expose?: boolean;
}

/**
 * What a failed request is answered with: coded errors their status and JSON body; the body
 * parser's errors theirs; anything else a 500 with no details (logged with what was asked).
 */
export function errorResponse(err: unknown, logger: Logger, request: { method?: string; path: string }): { status: number; body: ErrorBody } {
  if (err instanceof HubError) return { status: err.status, body: errorBody(err.code, err.message) };
  const type = (err as BodyParserError | null)?.type;
  if (type === 'entity.parse.failed') return { status: 400, body: errorBody('invalid_json', 'the request body is not valid JSON') };
  if (type === 'entity.too.large') return { status: 413, body: errorBody('payload_too_large', 'the request body is too large') };
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return { status: 415, body: errorBody('unsupported_media_type', 'send the body as UTF-8 JSON') };
  }
  // The body could not be read as sent: a gzip or deflate body that is not one, a request cut short.
  const status = (err as BodyParserError | null)?.status;
  if ((err as BodyParserError | null)?.expose && status !== undefined && status >= 400 && status < 500) {
    return { status: 400, body: errorBody('bad_request', 'the request body could not be read as sent (check its Content-Encoding and length)') };
  }
  logger.error({ err, method: request.method, path: request.path }, 'request failed');
  return { status: 500, body: errorBody('internal', 'something went wrong on our side; nothing you sent was lost') };
}

/** The one final handler of the Express routes (the message lane uses errorResponse directly). */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const { status, body } = errorResponse(err, logger, req);
    sendJson(res, status, body);
  };
}
