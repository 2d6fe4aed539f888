import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { problemResponses } from '../platform/problem-json.js';
import type { AdminGuard } from './admin-guard.js';
import { PageQuery } from './page-query.js';
import type { WebhookOutbox } from './webhook-outbox.js';

const DeliverySchema = Type.Object({
  id: Type.String({ description: 'the webhook-id, the same for every receiver and attempt' }),
  type: Type.String(),
  url: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  lastError: Type.Optional(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  deliveredAt: Type.Optional(Type.String({ format: 'date-time' })),
});

/** docs/API.md "Webhooks": the delivery log, newest first — what went where, and what failed why. */
export function registerWebhookRoutes(root: FastifyInstance, deps: { webhooks: WebhookOutbox; requireAdmin: AdminGuard }): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/v1/admin/webhooks/deliveries',
    {
      schema: {
        tags: ['admin'],
        summary: 'Webhook deliveries, newest first: pending, delivered or failed, with the last error (admin only)',
        security: [{ bearer: [] }],
        querystring: PageQuery,
        response: { 200: Type.Object({ deliveries: Type.Array(DeliverySchema) }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      await deps.requireAdmin(request, 'read webhook deliveries');
      const { limit, offset } = request.query;
      const deliveries = await deps.webhooks.deliveries(limit, offset);
      return {
        deliveries: deliveries.map(({ createdAt, deliveredAt, ...delivery }) => ({
          ...delivery,
          createdAt: new Date(createdAt).toISOString(),
          ...(deliveredAt !== undefined && { deliveredAt: new Date(deliveredAt).toISOString() }),
        })),
      };
    },
  );
}
