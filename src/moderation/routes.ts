import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { bearerClaims, type AccessClaims, type TokenVerifier, type UserDirectory } from '../auth/index.js';
import { AppError } from '../platform/errors.js';
import type { EventBus } from '../platform/event-bus.js';
import { problemResponses } from '../platform/problem-json.js';
import type { AuditLog } from './audit-log.js';
import type { BanList } from './ban-list.js';
import type { BoardMembership } from './board-membership.js';
import { CredentialNameTakenError } from './credential-store.js';
import type { ServerCredentials } from './server-credentials.js';

export interface AdminRoutesDeps {
  bans: BanList;
  audit: AuditLog;
  /** Auth's usernames: a ban of an unknown id is `404`. */
  directory: UserDirectory;
  /** The leaderboard in this process: a ban takes effect on the boards before its `204`. */
  membership: BoardMembership;
  /** Where `user.banned` and `user.unbanned` go (every node's ban list follows them). */
  bus: EventBus;
  /** Game servers' credentials. */
  credentials: ServerCredentials;
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
 * docs/API.md "Moderation": ban and unban, admin role only, every call audited; and, beyond
 * the v1 contract, the audit log read back (who was refused what, who banned whom), so an operator
 * can judge a player without opening the database.
 */
export function registerAdminRoutes(root: FastifyInstance, deps: AdminRoutesDeps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const now = deps.now ?? Date.now;
  const requireAdmin = async (request: FastifyRequest, doing: string): Promise<AccessClaims> => {
    const claims = await bearerClaims(request, deps.verifier);
    if (!claims.roles.includes('admin')) throw new AppError('forbidden', `Only an admin can ${doing}.`);
    return claims;
  };
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
        await deps.bans.unban(userId);
        await deps.membership.restoreUser(userId);
        await deps.bus.publish({ type: 'user.unbanned', userId });
      }
      deps.audit.record({ at: now(), event: `user.${action === 'ban' ? 'banned' : 'unbanned'}`, userId, ip: request.ip, detail: `by ${claims.userId}` });
      return reply.code(204).send(null);
    });
  }

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

  const CredentialName = Type.String({ pattern: '^[a-z0-9-]{1,40}$' });
  const Credential = Type.Object({ name: Type.String(), createdAt: Type.String({ format: 'date-time' }), lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]) });

  app.post(
    '/api/v1/admin/credentials',
    {
      schema: {
        tags: ['admin'],
        summary: "Create a game server's credential: its secret is in this answer and never shown again",
        security: [{ bearer: [] }],
        body: Type.Object({ name: CredentialName }, { additionalProperties: false }),
        response: { 201: Type.Object({ name: Type.String(), secret: Type.String() }), ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const claims = await requireAdmin(request, 'create server credentials');
      const { name } = request.body;
      try {
        const created = await deps.credentials.create(name);
        deps.audit.record({ at: now(), event: 'credential.created', ip: request.ip, detail: `${name} by ${claims.userId}` });
        return reply.code(201).send(created);
      } catch (error) {
        if (error instanceof CredentialNameTakenError) throw new AppError('conflict', `A credential named "${name}" exists; revoke it first or pick another name.`);
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/admin/credentials',
    {
      schema: {
        tags: ['admin'],
        summary: "The game servers' credentials, by name (no secrets)",
        security: [{ bearer: [] }],
        response: { 200: Type.Object({ credentials: Type.Array(Credential) }), ...problemResponses(401, 403) },
      },
    },
    async (request) => {
      await requireAdmin(request, 'list server credentials');
      return { credentials: await deps.credentials.list() };
    },
  );

  app.delete(
    '/api/v1/admin/credentials/:name',
    {
      schema: {
        tags: ['admin'],
        summary: 'Revoke a credential: its secret stops working at once, on every node',
        security: [{ bearer: [] }],
        params: Type.Object({ name: CredentialName }),
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const claims = await requireAdmin(request, 'revoke server credentials');
      const { name } = request.params;
      if (!(await deps.credentials.revoke(name))) throw new AppError('not_found', `There is no credential "${name}".`);
      deps.audit.record({ at: now(), event: 'credential.revoked', ip: request.ip, detail: `${name} by ${claims.userId}` });
      return reply.code(204).send(null);
    },
  );
}
