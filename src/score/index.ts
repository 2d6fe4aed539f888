/**
 * The score service's front door: its factory, and the one port it offers other services —
 * the board totals its ledger keeps, read back (the leaderboard rebuilds boards from them).
 */
export { createScoreService, type ScoreDeps } from './create-score-service.js';
export type { ScoreService } from './score-service.js';
export type { BoardTotalsReader, TotalRow } from './board-totals-reader.js';
export { CatalogError, loadCatalog, type ActionCatalog } from './catalog.js';
