import type { RequestOptions } from './http.js';
import type { AdminUser, AuditPage, CreatedCredential, Credential, DeliveryPage, ReviewPage } from './types.js';

type Method = 'GET' | 'POST' | 'DELETE';
/** A request as the logged-in session (its token renewed once on `token_expired`): the JSON answer, or the response itself. */
type Authed = <T>(method: Method, path: string, request?: RequestOptions) => Promise<T>;
type AuthedResponse = (method: Method, path: string, request?: RequestOptions) => Promise<Response>;
interface Page {
  limit?: number;
  offset?: number;
}
/** The audit log is read by `before` (a `next` cursor), not by offset. */
interface AuditQuery {
  limit?: number;
  before?: string;
  userId?: string;
  event?: string;
}

/** The administration routes (docs/API.md "Administration"), as the operator console uses them. */
export class AdminApi {
  constructor(
    private readonly authed: Authed,
    private readonly authedResponse: AuthedResponse,
  ) {}

  /** Players whose username starts with `query` (any case), by name. */
  async searchUsers(query: string, limit = 20): Promise<AdminUser[]> {
    return (await this.authed<{ users: AdminUser[] }>('GET', '/api/v1/admin/users', { query: { query, limit } })).users;
  }

  /** Takes the player off every board at once; they can no longer score. */
  ban(userId: string): Promise<void> {
    return this.authed('POST', `/api/v1/admin/users/${encodeURIComponent(userId)}/ban`);
  }

  unban(userId: string): Promise<void> {
    return this.authed('POST', `/api/v1/admin/users/${encodeURIComponent(userId)}/unban`);
  }

  /** The audit log, newest first; the next page starts `before` the `next` of this one. */
  audit(query: AuditQuery = {}): Promise<AuditPage> {
    return this.authed('GET', '/api/v1/admin/audit', { query: { ...query } });
  }

  /** Actions held for review, oldest first. */
  heldActions(page: Page = {}): Promise<ReviewPage> {
    return this.authed('GET', '/api/v1/admin/review', { query: { ...page } });
  }

  approve(actionId: string): Promise<void> {
    return this.authed('POST', `/api/v1/admin/review/${encodeURIComponent(actionId)}/approve`);
  }

  reject(actionId: string): Promise<void> {
    return this.authed('POST', `/api/v1/admin/review/${encodeURIComponent(actionId)}/reject`);
  }

  async credentials(): Promise<Credential[]> {
    return (await this.authed<{ credentials: Credential[] }>('GET', '/api/v1/admin/credentials')).credentials;
  }

  /** A new game-server credential; its secret is in this answer and nowhere else, ever. */
  createCredential(name: string): Promise<CreatedCredential> {
    return this.authed('POST', '/api/v1/admin/credentials', { body: { name } });
  }

  revokeCredential(name: string): Promise<void> {
    return this.authed('DELETE', `/api/v1/admin/credentials/${encodeURIComponent(name)}`);
  }

  webhookDeliveries(page: Page = {}): Promise<DeliveryPage> {
    return this.authed('GET', '/api/v1/admin/webhooks/deliveries', { query: { ...page } });
  }

  /**
   * The board's CSV export (`rank,userId,username,score`), as the streamed response: read
   * `response.body` piece by piece, or `await response.text()` for a small board.
   */
  exportBoard(board: string, options: { period?: string } = {}): Promise<Response> {
    return this.authedResponse('GET', `/api/v1/admin/leaderboards/${encodeURIComponent(board)}/export`, { query: options });
  }
}
