/**
 * The one catalog of error codes the API returns (docs/API.md "Errors"), with their HTTP
 * status and a human title. Services throw `AppError`; `problem-json.ts` turns it into
 * an RFC 9457 body.
 */
export const ERROR_CATALOG = {
  invalid_request: { status: 400, title: 'Invalid request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  token_expired: { status: 401, title: 'Token expired' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unknown_action: { status: 422, title: 'Unknown action' },
  ticket_required: { status: 422, title: 'Ticket required' },
  ticket_invalid: { status: 422, title: 'Ticket invalid' },
  ticket_used: { status: 422, title: 'Ticket already used' },
  too_fast: { status: 422, title: 'Completed too fast' },
  too_slow: { status: 422, title: 'Completed too slowly' },
  implausible_value: { status: 422, title: 'Implausible value' },
  cooldown: { status: 429, title: 'Action cooling down' },
  daily_cap: { status: 429, title: 'Daily cap reached' },
  rate_limited: { status: 429, title: 'Rate limited' },
  unavailable: { status: 503, title: 'Service unavailable' },
  // Not part of the client catalog: only a bug produces it, and it is logged.
  internal_error: { status: 500, title: 'Internal server error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface AppErrorOptions {
  /** Extra response headers, e.g. `Retry-After` on a 429. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/** An expected failure with a catalog code; the HTTP layer renders it as problem+json. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    options: AppErrorOptions = {},
  ) {
    super(detail, { cause: options.cause });
    this.status = ERROR_CATALOG[code].status;
    this.headers = options.headers ?? {};
  }
}

/** The RFC 9457 body every 4xx/5xx carries. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
}

export function problemOf(code: ErrorCode, detail: string, status: number = ERROR_CATALOG[code].status): Problem {
  return { type: `urn:live-leaderboard:problem:${code}`, title: ERROR_CATALOG[code].title, status, code, detail };
}

/** The catalog code for a status that arrived without one (framework errors). */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
    case 405:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 429:
      return 'rate_limited';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'internal_error' : 'invalid_request';
  }
}
