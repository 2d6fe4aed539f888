/**
 * The moderation service's front door: its factory, and the ports the score and leaderboard
 * services check — who is banned, and the audit trail they write rejected actions to.
 */
export { createModerationService, type ModerationDeps } from './create-moderation-service.js';
export type { BanList } from './ban-list.js';
export type { AuditEntry, AuditLog } from './audit-log.js';
export type { BoardMembership } from './board-membership.js';
export type { HeldAction, ReviewDecision, ReviewOutcome, ReviewQueue } from './review-queue.js';
export { ServerCredentials, type ServerAuthenticator } from './server-credentials.js';
export type { CredentialStore } from './credential-store.js';
