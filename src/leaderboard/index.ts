/** The leaderboard service's front door: its factory and what the realtime service starts from. */
export { createLeaderboardService, type LeaderboardServiceDeps } from './create-leaderboard-service.js';
export { TOP_SIZE, type BoardPage, type LeaderboardService } from './leaderboard-service.js';
export { aroundReader, type AroundWindow } from './around-reader.js';
