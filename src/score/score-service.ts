import { AppError, type ErrorCode } from '../platform/errors.js';
import type { UserDirectory } from '../auth/index.js';
import type { AuditLog, BanList } from '../moderation/index.js';
import { metricValues, type ActionCatalog, type ActionType, type BoundedMetric } from './catalog.js';
import type { GroupCommitter } from './group-commit.js';
import type { ActionReceipt, ActionToRecord, Ledger } from './ledger.js';
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
  /** Per game-server credential; undefined when `RATE_LIMIT_SERVER_PER_SEC` is 0. */
  serverLimiter?: RateLimiter;
  /** Auth's users: a server action for an unknown user is `404`. */
  users: UserDirectory;
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

/** A game server's action: the credential already authenticated, the user named in the body. */
export interface ServerSubmitInput {
  /** The credential's name. */
  server: string;
  ip: string;
  userId: string;
  type: string;
  idempotencyKey: string;
  /** The bounded metrics the type declares, as the game server decided them. */
  values?: Readonly<Record<string, number>>;
}

export interface SubmitResult {
  /** 201 for a new action, 202 for one held for review, 200 for a replay of an earlier one. */
  status: 201 | 202 | 200;
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
  /** The game server's credential, for its actions. */
  server?: string;
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
    if ('code' in checked) return this.replayOrReject(checked, input.idempotencyKey, context, rateLimit);
    const { action, ticketId, durationMs } = checked;
    return this.commit(
      { userId: input.userId, type: action.type, points: action.points, values: metricValues(action, { durationMs }), at, idempotencyKey: input.idempotencyKey, ticketId, cooldownMs: action.cooldownMs, dailyCap: action.dailyCap },
      action,
      context,
      rateLimit,
    );
  }

  /**
   * A game server's action: its credential's bucket, the user (who must exist and not be
   * banned), the type (instant or server, not timed) and its values (exactly the bounded
   * metrics the type declares, finite, within bounds); then the same ledger as a player's.
   * A value above its metric's `review` holds the action for a person to look at.
   */
  async submitServer(input: ServerSubmitInput): Promise<SubmitResult> {
    const context = { userId: input.userId, ip: input.ip, type: input.type, server: input.server };
    const rateLimit = await this.consume(this.deps.serverLimiter, `server:${input.server}`, context);
    if (!(await this.deps.users.usernames([input.userId])).has(input.userId)) this.reject('not_found', `There is no user ${input.userId}.`, context);
    if (await this.deps.bans.isBanned(input.userId)) this.reject('forbidden', 'This account is banned from scoring.', context);
    const at = this.now();
    const checked = this.checkServer(input);
    if ('code' in checked) return this.replayOrReject(checked, input.idempotencyKey, context, rateLimit);
    const { action, values, held } = checked;
    return this.commit(
      { userId: input.userId, type: action.type, points: action.points, values, at, idempotencyKey: input.idempotencyKey, cooldownMs: action.cooldownMs, dailyCap: action.dailyCap, held },
      action,
      context,
      rateLimit,
    );
  }

  /**
   * A retry of an accepted action replays even when it would fail the checks now (its ticket
   * is spent, its type left the catalog). Only failing requests pay this lookup: for the
   * others the ledger transaction itself spots a repeated key.
   */
  private async replayOrReject(failure: Failure, idempotencyKey: string, context: Context & { userId: string }, rateLimit: RateLimitDecision | undefined): Promise<SubmitResult> {
    const earlier = await this.deps.ledger.findReceipt(context.userId, idempotencyKey);
    if (earlier) return { status: 200, receipt: earlier, rateLimit };
    return this.reject(failure.code, failure.detail, context);
  }

  private async commit(record: ActionToRecord, action: ActionType, context: Context, rateLimit: RateLimitDecision | undefined): Promise<SubmitResult> {
    const outcome = await this.deps.committer.record(record);
    switch (outcome.status) {
      case 'accepted':
        this.deps.metrics.accepted.inc({ type: action.type });
        return { status: 201, receipt: outcome.receipt, rateLimit };
      case 'held':
        this.deps.metrics.accepted.inc({ type: action.type });
        return { status: 202, receipt: outcome.receipt, rateLimit };
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

  /** The checks of a server action that need no storage: the type and its values. */
  private checkServer(input: ServerSubmitInput): { action: ActionType; values: Record<string, number>; held?: { reason: string } } | Failure {
    const action = this.deps.catalog.get(input.type);
    if (!action) return { code: 'unknown_action', detail: unknownAction(input.type) };
    if (action.mode === 'timed') return { code: 'invalid_request', detail: `"${action.type}" is timed: a player starts and completes it.` };
    const bounds = Object.entries(action.metrics ?? {}).filter((entry): entry is [string, BoundedMetric] => typeof entry[1] === 'object');
    const sent = input.values ?? {};
    const extra = Object.keys(sent).filter((name) => !bounds.some(([declared]) => declared === name));
    const missing = bounds.filter(([name]) => !Object.hasOwn(sent, name)).map(([name]) => name);
    if (extra.length > 0 || missing.length > 0) {
      const declared = bounds.length === 0 ? 'no values' : `exactly ${bounds.map(([name]) => name).join(', ')}`;
      return { code: 'invalid_request', detail: `"${action.type}" takes ${declared}${missing.length > 0 ? `; missing ${missing.join(', ')}` : ''}${extra.length > 0 ? `; not its own: ${extra.join(', ')}` : ''}.` };
    }
    const aboveReview: string[] = [];
    for (const [name, bound] of bounds) {
      const value = sent[name] as number;
      if (!Number.isFinite(value) || Object.is(value, -0)) return { code: 'invalid_request', detail: `"${name}" must be a finite number.` };
      if (value < bound.min || value > bound.max) return { code: 'implausible_value', detail: `"${name}" must lie in [${bound.min}, ${bound.max}]; ${value} does not.` };
      if (bound.review !== undefined && value > bound.review) aboveReview.push(`"${name}" ${value} is above its review threshold ${bound.review}`);
    }
    const held = aboveReview.length > 0 ? { reason: aboveReview.join('; ') } : undefined;
    return { action, values: metricValues(action, { sent }), held };
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
    const by = context.server === undefined ? '' : ` (server ${context.server})`;
    this.deps.audit.record({ at: this.now(), event: 'action.rejected', userId: context.userId, ip: context.ip, actionType: context.type, code, detail: `${detail}${by}` });
    throw new AppError(code, detail, { headers });
  }
}
