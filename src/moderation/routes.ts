import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TokenVerifier, UserDirectory, UserSearch } from '../auth/index.js';
import { AppError } from '../platform/errors.js';
import type { EventBus } from '../platform/event-bus.js';
import { problemResponses } from '../platform/problem-json.js';
import type { AuditLog } from './audit-log.js';
import type { BanList } from './ban-list.js';
import type { Logger } from '../platform/logger.js';
import { adminGuard } from './admin-guard.js';
import type { BoardMembership } from './board-membership.js';
import { registerCredentialRoutes } from './credential-routes.js';
import type { ReviewQueue } from './review-queue.js';
import { registerReviewRoutes } from './review-routes.js';
import type { ServerCredentials } from './server-credentials.js';
import type { WebhookOutbox } from './webhook-outbox.js';
import { registerWebhookRoutes } from './webhook-routes.js';

export interface AdminRoutesDeps {
  bans: BanList;
  audit: AuditLog;
  /** Auth's usernames: a ban of an unknown id is `404`; the player search. */
  directory: UserDirectory & UserSearch;
  /** The leaderboard in this process: a ban takes effect on the boards before its `204`. */
  membership: BoardMembership;
  /** Where `user.banned` and `user.unbanned` go (every node's ban list follows them). */
  bus: EventBus;
  /** Game servers' credentials. */
  credentials: ServerCredentials;
  /** The score service's held actions. */
  review: ReviewQueue;
  /** The delivery log of outgoing webhooks. */
  webhooks: WebhookOutbox;
  logger: Pick<Logger, 'error'>;
  verifier: TokenVerifier;
  /** @default Date.now */
  now?: () => number;
}

const AuditEntrySchema = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  event: Type.String(),
  userId: Type.Optional(Type.String()),
  ip: Type.Optional(Type.String()),
  actionType: Type.Optional(Type.String()),
  code: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
});

/**
 * docs/API.md "Administration": ban and unban, admin role only, every call audited; the audit
 * log read back (who was refused what, who banned whom), so an operator can judge a player
 * without opening the database; then server credentials and the review queue.
 */
export function registerAdminRoutes(root: FastifyInstance, deps: AdminRoutesDeps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const now = deps.now ?? Date.now;
  const requireAdmin = adminGuard(deps.verifier);
  const schema = (summary: string) => ({
    tags: ['admin'],
    summary,
    security: [{ bearer: [] }],
    params: Type.Object({ userId: Type.String({ minLength: 1, maxLength: 64 }) }),
    response: { 204: Type.Null(), ...problemResponses(401, 403, 404) },
  });

  for (const action of ['ban', 'unban'] as const) {
    app.post(`/api/v1/admin/users/:userId/${action}`, { schema: schema(action === 'ban' ? 'Ban a user: they leave every board at once and can no longer score' : "Unban a user: their ledger counts again") }, async (request, reply) => {
      const claims = await requireAdmin(request, 'ban or unban');
      const { userId } = request.params;
      if (!(await deps.directory.usernames([userId])).has(userId)) throw new AppError('not_found', `There is no user ${userId}.`);
      if (action === 'ban') {
        await deps.bans.ban(userId, new Date(now()));
        await deps.membership.removeUser(userId);
        await deps.bus.publish({ type: 'user.banned', userId });
      } else {
        await deps.bans.unban(userId, new Date(now()));
        await deps.membership.restoreUser(userId);
        await deps.bus.publish({ type: 'user.unbanned', userId });
      }
      deps.audit.record({ at: now(), event: `user.${action === 'ban' ? 'banned' : 'unbanned'}`, userId, ip: request.ip, detail: `by ${claims.userId}` });
      return reply.code(204).send(null);
    });
  }

  app.get(
    '/api/v1/admin/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Players whose username starts with `query` (any case), by username, and whether each is banned (admin only)',
        security: [{ bearer: [] }],
        querystring: Type.Object(
          {
            query: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', description: 'the start of a username' }),
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            users: Type.Array(Type.Object({ id: Type.String(), username: Type.String(), createdAt: Type.String({ format: 'date-time' }), banned: Type.Boolean() })),
          }),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      await requireAdmin(request, 'search players');
      const found = await deps.directory.search(request.query.query, request.query.limit);
      return { users: await Promise.all(found.map(async (user) => ({ ...user, banned: await deps.bans.isBanned(user.id) }))) };
    },
  );

  app.get(
    '/api/v1/admin/audit',
    {
      schema: {
        tags: ['admin'],
        summary: 'The audit log, newest first: rejected actions, bans, unbans (admin only)',
        security: [{ bearer: [] }],
        querystring: Type.Object(
          {
            userId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            event: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'the `next` of the previous page' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ entries: Type.Array(AuditEntrySchema), next: Type.Union([Type.String(), Type.Null()]) }),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      await requireAdmin(request, 'read the audit log');
      const { userId, event, limit, before } = request.query;
      // What is still buffered would be missing from the answer: write it first.
      await deps.audit.flush();
      const entries = await deps.audit.recent({ userId, event, beforeId: before, limit });
      return {
        entries: entries.map((entry) => ({ ...entry, at: new Date(entry.at).toISOString() })),
        next: entries.length === limit ? (entries.at(-1)?.id ?? null) : null,
      };
    },
  );

  registerCredentialRoutes(root, { credentials: deps.credentials, audit: deps.audit, requireAdmin, now });
  registerReviewRoutes(root, { review: deps.review, directory: deps.directory, bus: deps.bus, audit: deps.audit, logger: deps.logger, requireAdmin, now });
  registerWebhookRoutes(root, { webhooks: deps.webhooks, requireAdmin });
}
