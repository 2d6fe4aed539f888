import fastifyCors from '@fastify/cors';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { installHttpMetrics } from './platform/metrics.js';
import { registerOpsRoutes } from './platform/ops-routes.js';
import { codeForStatus } from './platform/errors.js';
import { installProblemJson, sendProblem } from './platform/problem-json.js';
import type { ReadinessCheck, Service } from './platform/service.js';
import { validatorCompiler } from './platform/validation.js';
import { registerWebClient } from './web/routes.js';
import { ClientMessageSchema, ServerMessageSchema } from './realtime/index.js';
import type { TrustProxy } from './platform/config.js';

/** docs/API.md: bodies over 64 KiB are `413 payload_too_large`. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface AppDeps {
  /** A pino logger; typed as Fastify's base logger so `FastifyInstance` stays un-parameterized. */
  logger: FastifyBaseLogger;
  metrics: Registry;
  services: readonly Service[];
  /** Checks beyond the services' own, e.g. the shared database. */
  readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  /** Which proxies' `X-Forwarded-For` to believe (`TRUST_PROXY`); none by default. */
  trustProxy?: TrustProxy;
  /** Origins whose pages may call the API (`CORS_ORIGINS`); none by default (same origin only). */
  corsOrigins?: readonly string[] | '*';
}

/**
 * Builds the HTTP server with every route of the given services, ready but not
 * listening: tests drive it with `app.inject`, `main.ts` calls `listen`.
 */
export async function createApp({ logger, metrics, services, readinessChecks = {}, trustProxy = false, corsOrigins }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Behind a load balancer every client would otherwise share its address (and its per-IP
    // buckets); only the proxies the operator names may set the client address.
    trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy === false ? false : [...trustProxy],
    loggerInstance: logger,
    // One log line per request costs more than the request itself at full load; errors
    // are still logged, and /metrics has the per-route picture.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: 200 },
    // Bad percent-encoding and over-long path parameters fail before routing; answer them
    // in the same problem+json shape as every other error.
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode ?? 400;
      void sendProblem(reply, codeForStatus(status), error.message, status);
    },
    return503OnClosing: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  installProblemJson(app);
  installHttpMetrics(app, metrics);
  if (corsOrigins) {
    // A game page on another origin calls the API with a bearer token (no cookies): preflights
    // are answered, an allowed Origin is echoed (or `*`), any other gets no CORS headers and
    // the browser refuses the answer.
    await app.register(fastifyCors, {
      origin: corsOrigins === '*' ? '*' : [...corsOrigins],
      methods: ['GET', 'POST', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'if-none-match'],
      exposedHeaders: ['etag', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'idempotent-replayed'],
      maxAge: 600,
    });
  }

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'live-leaderboard',
        version: '1',
        description: 'Live game leaderboards: auth, scoring, ranked boards and WebSocket push. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        // The WebSocket frames (docs/API.md "Realtime"): no route carries them, so they are
        // published here, where the client library's generated types pick them up.
        schemas: { ClientMessage: ClientMessageSchema, ServerMessage: ServerMessageSchema },
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  const allChecks = { ...readinessChecks };
  for (const service of services) Object.assign(allChecks, service.readinessChecks);
  registerOpsRoutes(app, { metrics, readinessChecks: allChecks });
  registerWebClient(app);
  for (const service of services) await service.registerRoutes(app);

  await app.ready();
  return app;
}
