import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { bearerClaims, type TokenVerifier } from '../auth/index.js';
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
}

/** docs/API.md "Score". */
export function registerScoreRoutes(root: FastifyInstance, { score, verifier }: ScoreRoutesDeps): void {
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
}

function withRateLimit(reply: FastifyReply, decision: RateLimitDecision | undefined): FastifyReply {
  return decision ? reply.headers(rateLimitHeaders(decision)) : reply;
}
