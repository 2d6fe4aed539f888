import { InMemoryRankIndex } from './in-memory-rank-index.js';
import { describeRankIndex } from './rank-index.contract.js';

describeRankIndex('in-memory', (order) => new InMemoryRankIndex({ order }));
// Tiny blocks: the contract's boards split and empty blocks as they go.
describeRankIndex('in-memory, 4-entry blocks', (order) => new InMemoryRankIndex({ blockSize: 4, order }));
