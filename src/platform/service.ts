import type { FastifyInstance } from 'fastify';

/** A check `/readyz` runs; it throws (or rejects) when its dependency does not answer. */
export type ReadinessCheck = () => Promise<void> | void;

/**
 * What a service hands the composition root: its HTTP routes, the checks that say it can
 * serve, and how to stop it. `main.ts` stops services in the reverse order it built them.
 */
export interface Service {
  readonly name: string;
  registerRoutes(app: FastifyInstance): void | Promise<void>;
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  stop?(): Promise<void> | void;
}
