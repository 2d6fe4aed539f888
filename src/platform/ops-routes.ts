import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { Type } from 'typebox';
import { sendProblem } from './problem-json.js';
import type { ReadinessCheck } from './service.js';

// A dependency that takes longer than this to answer is as good as down for a load balancer.
const READINESS_TIMEOUT_MS = 2_000;

export interface OpsRoutesOptions {
  metrics: Registry;
  readinessChecks: Readonly<Record<string, ReadinessCheck>>;
}

/** `/healthz` (the process lives), `/readyz` (its dependencies answer), `/metrics`. */
export function registerOpsRoutes(app: FastifyInstance, { metrics, readinessChecks }: OpsRoutesOptions): void {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness: 200 while the process runs',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: 200 when every dependency answers, else 503',
        response: { 200: Type.Object({ status: Type.Literal('ready'), checks: Type.Record(Type.String(), Type.String()) }) },
      },
    },
    async (_request, reply) => {
      const results = await Promise.all(
        Object.entries(readinessChecks).map(async ([name, check]) => [name, await runCheck(check)] as const),
      );
      const failed = results.filter(([, result]) => result !== 'ok');
      if (failed.length > 0) {
        return sendProblem(reply, 'unavailable', `Not ready: ${failed.map(([name, why]) => `${name} (${why})`).join(', ')}`);
      }
      return { status: 'ready' as const, checks: Object.fromEntries(results) };
    },
  );

  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics', hide: true } }, async (_request, reply) =>
    reply.type(metrics.contentType).send(await metrics.metrics()),
  );
}

async function runCheck(check: ReadinessCheck): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(check),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${READINESS_TIMEOUT_MS} ms`)), READINESS_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}
