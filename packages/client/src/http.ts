import { LeaderboardError, problemFrom } from './errors.js';
import { backoffDelay, sleep } from './timers.js';

export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

export interface RequestOptions {
  body?: unknown;
  /** An access token or a server secret, sent as `Authorization: Bearer …`. */
  bearer?: string;
  query?: Record<string, string | number | undefined>;
  /**
   * Whether sending the request twice is harmless (reads, and actions carrying an idempotency
   * key): only then is it retried after a network failure or a `503`.
   */
  idempotent?: boolean;
}

/** Retries after a network failure or `503`, and after `429` when the server says when. */
const MAX_RETRIES = 2;
/** A `Retry-After` longer than this is the caller's to wait out, not ours. */
const MAX_RETRY_AFTER_SECONDS = 10;

/**
 * The HTTP side of the API: JSON in and out, every failure a LeaderboardError. A `4xx` is
 * never retried here except `429` with a short `Retry-After` (`token_expired` is the
 * session's to handle): the same request would fail the same way.
 */
export class Http {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly fetchFunction: FetchFunction,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  url(path: string, query: RequestOptions['query'] = {}): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, String(value));
    const text = search.toString();
    return `${this.baseUrl}${path}${text ? `?${text}` : ''}`;
  }

  async json<T>(method: 'GET' | 'POST' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) return undefined as T;
    try {
      return (await response.json()) as T;
    } catch {
      throw new LeaderboardError('invalid_response', response.status, `${method} ${path} did not answer with JSON.`);
    }
  }

  /** The successful response itself (e.g. to stream a CSV export), or the failure as an error. */
  async send(method: 'GET' | 'POST' | 'DELETE', path: string, options: RequestOptions = {}): Promise<Response> {
    const idempotent = options.idempotent ?? method === 'GET';
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this.attempt(method, path, options);
      if (outcome instanceof Response) return outcome;
      const error = outcome;
      const retryable =
        attempt < MAX_RETRIES &&
        ((error.code === 'network' && idempotent) ||
          (error.status === 503 && idempotent) ||
          (error.status === 429 && error.retryAfterSeconds !== undefined && error.retryAfterSeconds <= MAX_RETRY_AFTER_SECONDS));
      if (!retryable) throw error;
      await sleep(error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : backoffDelay(attempt, 250, 2_000));
    }
  }

  private async attempt(method: string, path: string, { body, bearer, query }: RequestOptions): Promise<Response | LeaderboardError> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
    let response: Response;
    try {
      response = await this.fetchFunction(this.url(path, query), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      return new LeaderboardError('network', 0, `The server at ${this.baseUrl || 'this origin'} could not be reached.`);
    }
    return response.ok ? response : problemFrom(response);
  }
}
