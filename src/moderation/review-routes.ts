import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { UserDirectory } from '../auth/index.js';
import { AppError } from '../platform/errors.js';
import type { EventBus } from '../platform/event-bus.js';
import type { Logger } from '../platform/logger.js';
import { problemResponses } from '../platform/problem-json.js';
import type { AdminGuard } from './admin-guard.js';
import { PageQuery } from './page-query.js';
import type { AuditLog } from './audit-log.js';
import type { ReviewDecision, ReviewQueue } from './review-queue.js';

export interface ReviewRoutesDeps {
  review: ReviewQueue;
  /** Auth's usernames, shown beside each held action. */
  directory: UserDirectory;
  /** Where an approval's `score.updated` goes (the leaderboard applies it like any action's). */
  bus: EventBus;
  audit: AuditLog;
  logger: Pick<Logger, 'error'>;
  requireAdmin: AdminGuard;
  now: () => number;
}

const HeldActionSchema = Type.Object({
  action: Type.Object({
    id: Type.String(),
    type: Type.String(),
    values: Type.Record(Type.String(), Type.Number()),
    at: Type.String({ format: 'date-time' }),
  }),
  userId: Type.String(),
  username: Type.String(),
  reason: Type.String(),
});

/**
 * docs/API.md "Review queue": a game server's action above its review threshold waits here,
 * in the ledger and on no board, until an admin approves it (it counts as of its original
 * time) or rejects it (it never counts). One decision per action: the next is `409`.
 */
export function registerReviewRoutes(root: FastifyInstance, deps: ReviewRoutesDeps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { requireAdmin, now } = deps;

  app.get(
    '/api/v1/admin/review',
    {
      schema: {
        tags: ['admin'],
        summary: 'Held actions waiting for a decision, oldest first (admin only)',
        security: [{ bearer: [] }],
        querystring: PageQuery,
        response: { 200: Type.Object({ total: Type.Integer(), held: Type.Array(HeldActionSchema) }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      await requireAdmin(request, 'read the review queue');
      const { limit, offset } = request.query;
      const { total, held } = await deps.review.heldActions(limit, offset);
      const names = await deps.directory.usernames([...new Set(held.map((entry) => entry.userId))]);
      return {
        total,
        held: held.map((entry) => ({
          ...entry,
          action: { ...entry.action, at: new Date(entry.action.at).toISOString() },
          // A user deleted since keeps their held action reviewable.
          username: names.get(entry.userId) ?? entry.userId,
        })),
      };
    },
  );

  const decisions: Record<ReviewDecision, { verb: string; summary: string }> = {
    approve: { verb: 'approved', summary: 'Approve a held action: it counts on its boards as of its original time' },
    reject: { verb: 'rejected', summary: 'Reject a held action: it never counts' },
  };
  for (const [decision, { verb, summary }] of Object.entries(decisions) as [ReviewDecision, (typeof decisions)[ReviewDecision]][]) {
    app.post(
      `/api/v1/admin/review/:actionId/${decision}`,
      {
        schema: {
          tags: ['admin'],
          summary,
          security: [{ bearer: [] }],
          params: Type.Object({ actionId: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }) }),
          response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const claims = await requireAdmin(request, 'decide on held actions');
        const { actionId } = request.params;
        const outcome = await deps.review.decide(actionId, decision, now());
        if (outcome.status === 'not_found') throw new AppError('not_found', `There is no action ${actionId}.`);
        if (outcome.status === 'conflict') {
          const detail = outcome.current === 'accepted' ? 'was never held' : `was already ${outcome.current}`;
          throw new AppError('conflict', `Action ${actionId} ${detail}.`);
        }
        if (outcome.status === 'approved' && outcome.committed) {
          const { committed } = outcome;
          // Published here, at once, wherever the score relay runs; the outbox row covers a
          // crash in between (the relay drains it at start, another node takes it over).
          try {
            await deps.bus.publish(committed.event);
            await deps.review.published(committed.outboxId);
          } catch (error) {
            deps.logger.error({ err: error, actionId }, 'publishing an approval failed; the outbox keeps it');
          }
        }
        deps.audit.record({ at: now(), event: `review.${verb}`, userId: outcome.userId, ip: request.ip, actionType: outcome.type, detail: `action ${actionId} by ${claims.userId}` });
        return reply.code(204).send(null);
      },
    );
  }
}
