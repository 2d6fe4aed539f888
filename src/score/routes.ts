import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { bearerClaims, type TokenVerifier } from '../auth/index.js';
import type { ServerAuthenticator } from '../moderation/index.js';
import { METRIC_NAME_PATTERN } from '../platform/boards.js';
import { AppError } from '../platform/errors.js';
import { problemResponses } from '../platform/problem-json.js';
import { ActionTypeSchema } from './catalog.js';
import { rateLimitHeaders, type RateLimitDecision } from '../platform/rate-limiter.js';
import type { ScoreService } from './score-service.js';

const ActionBody = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 64 }),
    idempotencyKey: Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' }),
    ticket: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  },
  // `points`, `score` or anything else a client adds is refused, never honoured.
  { additionalProperties: false },
);
const Receipt = Type.Object({
  action: Type.Object({
    id: Type.String(),
    type: Type.String(),
    points: Type.Integer(),
    values: Type.Record(Type.String(), Type.Number(), { description: 'The metric values the action yielded' }),
    at: Type.String({ format: 'date-time' }),
  }),
  totals: Type.Record(Type.String(), Type.Number(), { description: "The player's value on each board the action counted on, after it" }),
});
const Ticket = Type.Object({ ticket: Type.String(), type: Type.String(), expiresAt: Type.String({ format: 'date-time' }) });

export interface ScoreRoutesDeps {
  score: ScoreService;
  verifier: TokenVerifier;
  servers: ServerAuthenticator;
}

const ServerActionBody = Type.Object(
  {
    userId: Type.String({ minLength: 1, maxLength: 64 }),
    type: Type.String({ minLength: 1, maxLength: 64 }),
    idempotencyKey: Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' }),
    values: Type.Optional(Type.Record(Type.String({ pattern: METRIC_NAME_PATTERN }), Type.Number(), { additionalProperties: false, maxProperties: 16 })),
  },
  { additionalProperties: false },
);
const HeldReceipt = Type.Object({
  action: Type.Object({
    id: Type.String(),
    type: Type.String(),
    points: Type.Integer(),
    values: Type.Record(Type.String(), Type.Number()),
    at: Type.String({ format: 'date-time' }),
    status: Type.Literal('held'),
  }),
  totals: Type.Object({}),
});
/** `Authorization: Bearer llb_sk_…`; anything else on the server route is 401. */
const SERVER_BEARER = /^Bearer (\S+)$/i;

/** docs/API.md "Score". */
export function registerScoreRoutes(root: FastifyInstance, { score, verifier, servers }: ScoreRoutesDeps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/actions',
    {
      schema: {
        tags: ['score'],
        summary: 'The action catalog: what each action is worth and its rules',
        response: { 200: Type.Object({ actions: Type.Array(ActionTypeSchema) }) },
      },
    },
    () => ({ actions: [...score.catalog.actions] }),
  );

  app.post(
    '/api/v1/actions/:type/start',
    {
      schema: {
        tags: ['score'],
        summary: 'Start a timed action: returns the ticket its completion must carry',
        security: [{ bearer: [] }],
        params: Type.Object({ type: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 201: Ticket, ...problemResponses(400, 401, 403, 422, 429) },
      },
    },
    async (request, reply) => {
      const ipLimit = await score.admitIp(request.ip);
      const { userId } = await bearerClaims(request, verifier);
      const { rateLimit, ...ticket } = await score.start({ userId, ip: request.ip, type: request.params.type });
      return withRateLimit(reply, rateLimit ?? ipLimit).code(201).send(ticket);
    },
  );

  app.post(
    '/api/v1/actions',
    {
      schema: {
        tags: ['score'],
        summary: 'Perform an action: the server prices it, records it durably and answers with the new totals',
        description:
          'A repeated idempotencyKey answers 200 with the original body and `Idempotent-Replayed: true`. ' +
          'A 201 is sent only once the action is committed.',
        security: [{ bearer: [] }],
        body: ActionBody,
        response: { 200: Receipt, 201: Receipt, ...problemResponses(400, 401, 403, 422, 429) },
      },
    },
    async (request, reply) => {
      const ipLimit = await score.admitIp(request.ip);
      const { userId } = await bearerClaims(request, verifier);
      const { type, idempotencyKey, ticket } = request.body;
      const result = await score.submit({ userId, ip: request.ip, type, idempotencyKey, ticket });
      if (result.status === 200) void reply.header('idempotent-replayed', 'true');
      return withRateLimit(reply, result.rateLimit ?? ipLimit).code(result.status).send(result.receipt);
    },
  );

  app.post(
    '/api/v1/server/actions',
    {
      schema: {
        tags: ['score'],
        summary: "A game server's action for one of its players: counted as a player's (201), or held for review (202)",
        description:
          'Authorized by a server credential (`Bearer llb_sk_…`), never a player token. `values` holds exactly the bounded metrics the type declares. ' +
          'A repeated idempotencyKey (per user) answers 200 with the original body.',
        security: [{ bearer: [] }],
        body: ServerActionBody,
        // The held receipt first: a serializer trying the plain one first would drop `status`.
        response: { 200: Type.Union([HeldReceipt, Receipt]), 201: Receipt, 202: HeldReceipt, ...problemResponses(400, 401, 403, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      const server = await serverOf(request.headers.authorization, servers);
      const { userId, type, idempotencyKey, values } = request.body;
      const result = await score.submitServer({ server, ip: request.ip, userId, type, idempotencyKey, values });
      if (result.status === 200) void reply.header('idempotent-replayed', 'true');
      return withRateLimit(reply, result.rateLimit).code(result.status).send(result.receipt);
    },
  );
}

/** The name of the game server whose credential the request carries. @throws AppError 401 */
async function serverOf(authorization: string | undefined, servers: ServerAuthenticator): Promise<string> {
  const presented = SERVER_BEARER.exec(authorization ?? '')?.[1];
  const refuse = (detail: string): never => {
    throw new AppError('unauthorized', detail, { headers: { 'www-authenticate': 'Bearer' } });
  };
  if (presented === undefined) return refuse('Send a server credential as "Authorization: Bearer llb_sk_…".');
  if (!presented.startsWith('llb_sk_')) return refuse("A player's token cannot submit a game server's actions; use a server credential.");
  const credential = await servers.authenticate(presented);
  if (!credential) return refuse('This server credential is unknown or revoked.');
  return credential.name;
}

function withRateLimit(reply: FastifyReply, decision: RateLimitDecision | undefined): FastifyReply {
  return decision ? reply.headers(rateLimitHeaders(decision)) : reply;
}
