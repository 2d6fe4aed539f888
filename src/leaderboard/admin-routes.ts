import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { bearerClaims } from '../auth/bearer.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { AppError } from '../platform/errors.js';
import type { EventBus } from '../platform/event-bus.js';
import { problemResponses } from '../platform/problem-json.js';
import type { AuditLog } from '../score/audit-log.js';
import type { BanList } from '../score/ban-list.js';
import type { LeaderboardService } from './leaderboard-service.js';
import type { UserDirectory } from './user-directory.js';

export interface AdminRoutesDeps {
  leaderboard: LeaderboardService;
  verifier: TokenVerifier;
  bans: BanList;
  audit: AuditLog;
  directory: UserDirectory;
  bus: EventBus;
  now?: () => number;
}

/** API.md "Administration": ban and unban, admin role only, every call audited. */
export function registerAdminRoutes(root: FastifyInstance, deps: AdminRoutesDeps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const now = deps.now ?? Date.now;
  const schema = (summary: string) => ({
    tags: ['admin'],
    summary,
    security: [{ bearer: [] }],
    params: Type.Object({ userId: Type.String({ minLength: 1, maxLength: 64 }) }),
    response: { 204: Type.Null(), ...problemResponses(401, 403, 404) },
  });

  for (const action of ['ban', 'unban'] as const) {
    app.post(`/api/v1/admin/users/:userId/${action}`, { schema: schema(action === 'ban' ? 'Ban a user: they leave every board at once and can no longer score' : "Unban a user: their ledger counts again") }, async (request, reply) => {
      const claims = await bearerClaims(request, deps.verifier);
      if (!claims.roles.includes('admin')) throw new AppError('forbidden', 'Only an admin can ban or unban.');
      const { userId } = request.params;
      if (!(await deps.directory.usernames([userId])).has(userId)) throw new AppError('not_found', `There is no user ${userId}.`);
      if (action === 'ban') {
        await deps.bans.ban(userId, new Date(now()));
        await deps.leaderboard.removeUser(userId);
        await deps.bus.publish({ type: 'user.banned', userId });
      } else {
        await deps.bans.unban(userId);
        await deps.leaderboard.restoreUser(userId);
        await deps.bus.publish({ type: 'user.unbanned', userId });
      }
      deps.audit.record({ at: now(), event: `user.${action === 'ban' ? 'banned' : 'unbanned'}`, userId, ip: request.ip, detail: `by ${claims.userId}` });
      return reply.code(204).send(null);
    });
  }
}
