/**
 * The moderation service's front door: its factory, and the ports the score and leaderboard
 * services use — who is banned, the audit trail they write rejected actions to, the review
 * queue the score ledger keeps, and the webhook writers it records `action.held` with.
 */
export { createModerationService, type ModerationDeps, type WebhookTimings } from './create-moderation-service.js';
export type { BanList } from './ban-list.js';
export type { AuditEntry, AuditLog } from './audit-log.js';
export type { BoardMembership } from './board-membership.js';
export type { HeldAction, ReviewDecision, ReviewOutcome, ReviewQueue } from './review-queue.js';
export type { WebhookEvent } from './webhook-events.js';
export type { PostgresWebhookWriter, SqliteWebhookWriter, WebhookOutbox } from './webhook-outbox.js';
export { ServerCredentials, type ServerAuthenticator } from './server-credentials.js';
export type { CredentialStore } from './credential-store.js';
