import { Counter, type Registry } from 'prom-client';
import type { BoardDefinition } from '../platform/boards.js';
import type { BackgroundJob } from '../platform/background-jobs.js';
import type { Logger } from '../platform/logger.js';
import type { Service } from '../platform/service.js';
import { PeriodCloser, type FinalStandings } from './period-closer.js';
import { registerAdminRoutes, type AdminRoutesDeps } from './routes.js';
import { WebhookSender, type WebhookSenderOptions } from './webhook-sender.js';

export interface ModerationDeps extends AdminRoutesDeps {
  boards: readonly BoardDefinition[];
  /** The ledger's board totals: a closed period's final top is read there. */
  standings: FinalStandings;
  /** Where webhooks go (`WEBHOOK_URLS`) and the key they are signed with; none → nothing is sent. */
  webhookUrls: readonly string[];
  webhookSecret: Buffer | undefined;
  logger: Pick<Logger, 'error' | 'warn'>;
  metrics: Registry;
  /** Tests shorten these. */
  webhookTimings?: WebhookTimings;
}

/** How long the delivery log keeps delivered and failed deliveries. */
export const DELIVERY_LOG_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface WebhookTimings extends Omit<WebhookSenderOptions, 'onAttempt'> {
  /** How often due deliveries are sent and ended periods looked for. @default 1000 */
  pollMs?: number;
  /** How long after a period's end its final top is read. @default 2000 */
  closeGraceMs?: number;
}

/**
 * The moderation service: bans, the audit log, server credentials, the review queue, and
 * outgoing webhooks (period ends announced once, deliveries sent in order per receiver). It
 * runs in every process that runs the leaderboard (see `compose`), whose boards a ban
 * changes; its jobs run beside the requests, through the composition's job runner.
 */
export function createModerationService(deps: ModerationDeps): Service & { jobs: BackgroundJob[] } {
  const timings = deps.webhookTimings ?? {};
  const pollMs = timings.pollMs ?? 1_000;
  const sending = deps.webhookUrls.length > 0 && deps.webhookSecret !== undefined;
  const closer = new PeriodCloser({
    boards: deps.boards,
    outbox: deps.webhooks,
    totals: deps.standings,
    directory: deps.directory,
    bans: deps.bans,
    graceMs: timings.closeGraceMs,
    announce: sending,
    now: deps.now,
  });
  // Period ends are recorded with or without receivers: turning webhooks on later does not
  // announce every period that ended meanwhile.
  const now = deps.now ?? Date.now;
  const jobs: BackgroundJob[] = [
    { name: 'close ended periods', intervalMs: pollMs, run: () => closer.check() },
    // The log keeps a month; what is still pending stays whatever its age.
    { name: 'forget old webhook deliveries', intervalMs: 3_600_000, run: () => deps.webhooks.forgetSettled(now() - DELIVERY_LOG_DAYS * DAY_MS, 10_000) },
  ];
  if (sending && deps.webhookSecret) {
    const attempts = new Counter({
      name: 'webhook_delivery_attempts_total',
      help: 'Webhook delivery attempts, by outcome: delivered, retrying (failed, tried again later), given_up (failed for 24 hours)',
      labelNames: ['outcome'],
      registers: [deps.metrics],
    });
    // On the wall clock: a game's clock (tests move one) is not the receiver's.
    const sender = new WebhookSender(deps.webhooks, deps.webhookUrls, deps.webhookSecret, deps.logger, {
      ...timings,
      onAttempt: (outcome) => attempts.inc({ outcome }),
    });
    jobs.push({ name: 'deliver webhooks', intervalMs: pollMs, run: () => sender.deliverDue(), cancel: () => sender.stop() });
  }
  return {
    name: 'moderation',
    jobs,
    registerRoutes: (app) => registerAdminRoutes(app, deps),
    // Entries still buffered are written before the storage closes the log.
    stop: () => deps.audit.flush(),
  };
}
