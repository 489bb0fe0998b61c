import type { ErrorRequestHandler, RequestHandler } from 'express';
import { errorBody, HubError } from '../errors.js';
import type { Logger } from '../logger.js';

/** Unknown routes get the same JSON error shape as everything else, never an HTML page. */
export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json(errorBody('not_found', 'no such endpoint'));
};

interface BodyParserError {
  type?: string;
  status?: number;
}

/** The one final handler: coded errors become their status and JSON body; anything else is a 500 with no details. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof HubError) {
      res.status(err.status).json(errorBody(err.code, err.message));
      return;
    }
    const type = (err as BodyParserError).type;
    if (type === 'entity.parse.failed') {
      res.status(400).json(errorBody('invalid_json', 'the request body is not valid JSON'));
      return;
    }
    if (type === 'entity.too.large') {
      res.status(413).json(errorBody('payload_too_large', 'the request body is too large'));
      return;
    }
    if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
      res.status(415).json(errorBody('unsupported_media_type', 'send the body as UTF-8 JSON'));
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    res.status(500).json(errorBody('internal', 'something went wrong on our side; nothing you sent was lost'));
  };
}
