import type { IncomingMessage } from 'node:http';
import typeis from 'type-is';
import { z } from 'zod';
import { HubError } from '../errors.js';

/**
 * Parses a JSON body (as the JSON body parser left it) against a schema; any mismatch is a 400 with
 * the first problem named. Takes Node's request, so the message lane and the Express routes share it.
 */
export function parseBody<T extends z.ZodType>(req: IncomingMessage & { body?: unknown }, schema: T): z.infer<T> {
  if (!typeis(req, ['application/json'])) throw new HubError('bad_request', 'send a JSON body with Content-Type: application/json');
  const parsed = schema.safeParse(req.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HubError('bad_request', `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return parsed.data;
}

export const MAX_TEXT = 5000;

// Control characters other than tab and newlines mean binary data or a broken client.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Petitioner or officer text: present, not too long, not binary. Stored as written, never as markup. */
export function checkText(text: unknown, field = 'text'): string {
  if (text === undefined || text === null) throw new HubError('empty_text', `${field} is required`);
  if (typeof text !== 'string') throw new HubError('bad_request', `${field} must be a string`);
  if (text.trim() === '') throw new HubError('empty_text', `${field} must not be empty`);
  if ([...text].length > MAX_TEXT) throw new HubError('text_too_long', `${field} is longer than ${MAX_TEXT} characters`);
  if (CONTROL.test(text) || /\p{Cs}/u.test(text)) throw new HubError('bad_request', `${field} contains binary or control characters`);
  return text;
}
