/**
 * Coded errors: everything the hub refuses on purpose is a HubError with a machine code and an HTTP
 * status; one final handler turns them into the JSON error body (docs/api.md, errors).
 */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'empty_text'
  | 'text_too_long'
  | 'missing_client_message_id'
  | 'unauthorized'
  | 'forbidden'
  | 'weak_password'
  | 'account_locked'
  | 'account_exists'
  | 'csrf_failed'
  | 'sso_failed'
  | 'no_account'
  | 'not_found'
  | 'session_not_found'
  | 'case_not_found'
  | 'invalid_transition'
  | 'missing_text'
  | 'missing_department'
  | 'unknown_department'
  | 'missing_category'
  | 'unknown_category'
  | 'complaint_about_department'
  | 'invalid_extension_days'
  | 'extension_already_used'
  | 'not_an_emergency'
  | 'already_acknowledged'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'attachment_refused'
  | 'attachment_too_large'
  | 'conflict'
  | 'not_ready'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  empty_text: 400,
  text_too_long: 400,
  missing_client_message_id: 400,
  missing_text: 400,
  missing_department: 400,
  unknown_department: 400,
  missing_category: 400,
  unknown_category: 400,
  complaint_about_department: 400,
  invalid_extension_days: 400,
  unauthorized: 401,
  forbidden: 403,
  csrf_failed: 403,
  sso_failed: 401,
  no_account: 403,
  weak_password: 400,
  account_exists: 409,
  account_locked: 429,
  not_found: 404,
  session_not_found: 404,
  case_not_found: 404,
  invalid_transition: 409,
  conflict: 409,
  extension_already_used: 409,
  not_an_emergency: 409,
  already_acknowledged: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  // A petitioner's photo, voice message, video or file the hub does not take (src/attachments).
  attachment_too_large: 413,
  attachment_refused: 415,
  rate_limited: 429,
  not_ready: 503,
  internal: 500,
};

export class HubError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HubError';
    this.status = STATUS[code];
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}
