import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.js';
import { problemResponses } from '../platform/problem-json.js';
import type { AdminGuard } from './admin-guard.js';
import type { AuditLog } from './audit-log.js';
import { CredentialNameTakenError } from './credential-store.js';
import type { ServerCredentials } from './server-credentials.js';

export interface CredentialRoutesDeps {
  credentials: ServerCredentials;
  audit: AuditLog;
  requireAdmin: AdminGuard;
  now: () => number;
}

/** docs/API.md "Trusted game servers": game servers' credentials, created, listed and revoked by an admin. */
export function registerCredentialRoutes(root: FastifyInstance, deps: CredentialRoutesDeps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { requireAdmin, now } = deps;
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
