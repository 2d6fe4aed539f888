import type { ProblemCode } from './types.js';

/**
 * A failed call, typed by the problem+json `code` the server answered with (docs/API.md
 * "Errors"), or by one of the library's own: `network` when the server could not be reached,
 * `invalid_response` when what came back was not the API's JSON.
 */
export class LeaderboardError extends Error {
  override readonly name = 'LeaderboardError';

  constructor(
    readonly code: ProblemCode | 'network' | 'invalid_response',
    /** The HTTP status; 0 when no answer arrived. */
    readonly status: number,
    /** The server's explanation, for people (logs, an error line), not for branching: use `code`. */
    readonly detail: string,
    /** From `Retry-After` on `429` and `503`: how long to wait before trying again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
  }
}

/** Reads a failed response into a LeaderboardError, whatever its body holds. */
export async function problemFrom(response: Response): Promise<LeaderboardError> {
  const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    // Not problem+json (e.g. a proxy's error page): fall back on the status below.
  }
  const problem = typeof body === 'object' && body !== null ? (body as { code?: unknown; detail?: unknown }) : {};
  const code = typeof problem.code === 'string' ? (problem.code as ProblemCode) : response.status >= 500 ? 'unavailable' : 'invalid_request';
  const detail = typeof problem.detail === 'string' ? problem.detail : `HTTP ${response.status} ${response.statusText}`.trim();
  return new LeaderboardError(code, response.status, detail, Number.isFinite(retryAfter) ? retryAfter : undefined);
}
