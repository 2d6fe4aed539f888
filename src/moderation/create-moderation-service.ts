import type { Service } from '../platform/service.js';
import { registerAdminRoutes, type AdminRoutesDeps } from './routes.js';

export type ModerationDeps = AdminRoutesDeps;

/**
 * The moderation service: bans, the audit log and the admin routes that work them. It runs
 * in every process that runs the leaderboard (see `compose`), whose boards a ban changes.
 */
export function createModerationService(deps: ModerationDeps): Service {
  return {
    name: 'moderation',
    registerRoutes: (app) => registerAdminRoutes(app, deps),
    // Entries still buffered are written before the storage closes the log.
    stop: () => deps.audit.flush(),
  };
}
