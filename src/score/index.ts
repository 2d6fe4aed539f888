/**
 * The score service's front door: its factory, and the ports it offers other services — the
 * board totals its ledger keeps, read back (the leaderboard rebuilds boards from them), and
 * the held actions of the review queue (moderation decides on them).
 */
export { createScoreService, type ScoreDeps } from './create-score-service.js';
export type { ScoreService } from './score-service.js';
export type { BoardTotalsReader, TotalRow } from './board-totals-reader.js';
export type { HeldAction, ReviewDecision, ReviewOutcome, ReviewQueue } from './review-queue.js';
export { CatalogError, loadCatalog, type ActionCatalog } from './catalog.js';
