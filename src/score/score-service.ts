import { AppError, type ErrorCode } from '../platform/errors.js';
import type { AuditLog, BanList } from '../moderation/index.js';
import { metricValues, type ActionCatalog, type ActionType } from './catalog.js';
import type { GroupCommitter } from './group-commit.js';
import type { ActionReceipt, Ledger } from './ledger.js';
import { rateLimitHeaders, type RateLimitDecision, type RateLimiter } from '../platform/rate-limiter.js';
import type { ScoreMetrics } from './score-metrics.js';
import type { TicketSigner } from './ticket-signer.js';

export interface ScoreServiceDeps {
  catalog: ActionCatalog;
  ledger: Ledger;
  committer: GroupCommitter;
  tickets: TicketSigner;
  bans: BanList;
  audit: AuditLog;
  metrics: ScoreMetrics;
  /** Per-user bucket; undefined when `RATE_LIMIT_USER_PER_SEC` is 0. */
  userLimiter?: RateLimiter;
  /** Per-IP bucket; undefined when `RATE_LIMIT_IP_PER_SEC` is 0. */
  ipLimiter?: RateLimiter;
  /** @default Date.now */
  now?: () => number;
}

export interface SubmitInput {
  userId: string;
  ip: string;
  type: string;
  idempotencyKey: string;
  ticket?: string;
}

export interface SubmitResult {
  /** 201 for a new action, 200 for a replay of an earlier one. */
  status: 201 | 200;
  receipt: ActionReceipt;
  rateLimit?: RateLimitDecision;
}

export interface StartResult {
  ticket: string;
  type: string;
  expiresAt: string;
  rateLimit?: RateLimitDecision;
}

interface Failure {
  code: ErrorCode;
  detail: string;
}

const unknownAction = (type: string): string => `There is no action of type "${type}".`;

/** Who and where, for the audit trail of a rejection. */
interface Context {
  userId?: string;
  ip: string;
  type?: string;
}

/**
 * The score service's rules, HTTP-free: is this action legitimate, what is it worth, and
 * record it. Every rejection is audited and counted before it is thrown.
 */
export class ScoreService {
  private readonly now: () => number;

  constructor(private readonly deps: ScoreServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  get catalog(): ActionCatalog {
    return this.deps.catalog;
  }

  /** The per-IP bucket, checked before the token is even verified. */
  async admitIp(ip: string): Promise<RateLimitDecision | undefined> {
    return this.consume(this.deps.ipLimiter, `ip:${ip}`, { ip });
  }

  async start(input: { userId: string; ip: string; type: string }): Promise<StartResult> {
    const context = { userId: input.userId, ip: input.ip, type: input.type };
    const rateLimit = await this.admitUser(context);
    const action = this.actionType(input.type, context);
    if (action.mode !== 'timed') this.reject('invalid_request', `"${action.type}" is ${action.mode === 'server' ? 'a game server\'s' : 'an instant'} action: it has no start.`, context);
    const startedAt = this.now();
    const expiresAt = action.maxDurationMs === undefined ? undefined : startedAt + action.maxDurationMs;
    return {
      ticket: this.deps.tickets.sign({ userId: input.userId, type: action.type, startedAt, expiresAt }),
      type: action.type,
      expiresAt: new Date(expiresAt ?? startedAt).toISOString(),
      rateLimit,
    };
  }

  async submit(input: SubmitInput): Promise<SubmitResult> {
    const context = { userId: input.userId, ip: input.ip, type: input.type };
    const rateLimit = await this.admitUser(context);
    const at = this.now();
    const checked = this.check(input, at);
    if ('code' in checked) {
      // A retry of an accepted action replays even when it would fail the checks now (its
      // ticket is spent, its type left the catalog). Only failing requests pay this lookup:
      // for the others the ledger transaction itself spots a repeated key.
      const earlier = await this.deps.ledger.findReceipt(input.userId, input.idempotencyKey);
      if (earlier) return { status: 200, receipt: earlier, rateLimit };
      return this.reject(checked.code, checked.detail, context);
    }
    const { action, ticketId, durationMs } = checked;

    const outcome = await this.deps.committer.record({
      userId: input.userId,
      type: action.type,
      points: action.points,
      values: metricValues(action, { durationMs }),
      at,
      idempotencyKey: input.idempotencyKey,
      ticketId,
      cooldownMs: action.cooldownMs,
      dailyCap: action.dailyCap,
    });
    switch (outcome.status) {
      case 'accepted':
        this.deps.metrics.accepted.inc({ type: action.type });
        return { status: 201, receipt: outcome.receipt, rateLimit };
      case 'replayed':
        return { status: 200, receipt: outcome.receipt, rateLimit };
      case 'rejected': {
        const retryAfter: Record<string, string> =
          outcome.retryAfterMs === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil(outcome.retryAfterMs / 1000))) };
        const detail = {
          ticket_used: 'This ticket was already used.',
          cooldown: `"${action.type}" is cooling down; retry later.`,
          daily_cap: `"${action.type}" reached its daily cap of ${action.dailyCap ?? 0}; it resets at 00:00 UTC.`,
        }[outcome.code];
        return this.reject(outcome.code, detail, context, retryAfter);
      }
    }
  }

  private async admitUser(context: Context & { userId: string }): Promise<RateLimitDecision | undefined> {
    const rateLimit = await this.consume(this.deps.userLimiter, `user:${context.userId}`, context);
    if (await this.deps.bans.isBanned(context.userId)) this.reject('forbidden', 'This account is banned from scoring.', context);
    return rateLimit;
  }

  private async consume(limiter: RateLimiter | undefined, key: string, context: Context): Promise<RateLimitDecision | undefined> {
    if (!limiter) return undefined;
    const decision = await limiter.consume(key);
    if (!decision.allowed) {
      this.reject('rate_limited', 'Too many requests; slow down.', context, {
        ...rateLimitHeaders(decision),
        'retry-after': String(decision.retryAfterSeconds),
      });
    }
    return decision;
  }

  private actionType(type: string, context: Context): ActionType {
    const action = this.deps.catalog.get(type);
    if (!action) return this.reject('unknown_action', unknownAction(type), context);
    return action;
  }

  /** The checks that need no storage: catalog, ticket signature, owner, type and timing. */
  private check(input: SubmitInput, at: number): { action: ActionType; ticketId?: string; durationMs?: number } | Failure {
    const action = this.deps.catalog.get(input.type);
    if (!action) return { code: 'unknown_action', detail: unknownAction(input.type) };
    if (action.mode === 'server') return { code: 'forbidden', detail: `"${action.type}" is decided by the game server: only a server credential submits it.` };
    if (action.mode === 'instant') return { action };
    if (input.ticket === undefined) return { code: 'ticket_required', detail: `"${action.type}" is timed: start it first and send its ticket.` };
    const claims = this.deps.tickets.verify(input.ticket);
    if (!claims || claims.userId !== input.userId || claims.type !== action.type) {
      return { code: 'ticket_invalid', detail: 'This ticket is not valid for this user and action.' };
    }
    const elapsed = at - claims.startedAt;
    const { minDurationMs = 0, maxDurationMs = Number.POSITIVE_INFINITY } = action;
    if (elapsed < minDurationMs) return { code: 'too_fast', detail: `"${action.type}" takes at least ${minDurationMs} ms; ${elapsed} ms passed.` };
    // The ticket's own expiry too: the catalog's limit may have been raised since it was issued.
    if (elapsed > maxDurationMs || (claims.expiresAt !== undefined && at > claims.expiresAt)) {
      return { code: 'too_slow', detail: `"${action.type}" must be completed within ${Math.min(maxDurationMs, (claims.expiresAt ?? Infinity) - claims.startedAt)} ms.` };
    }
    // The server's own measure of the run, never the client's: a speed-run time no one can fake.
    return { action, ticketId: claims.id, durationMs: elapsed };
  }

  private reject(code: ErrorCode, detail: string, context: Context, headers: Record<string, string> = {}): never {
    this.deps.metrics.rejected.inc({ code });
    this.deps.audit.record({ at: this.now(), event: 'action.rejected', userId: context.userId, ip: context.ip, actionType: context.type, code, detail });
    throw new AppError(code, detail, { headers });
  }
}
