import { InMemoryRankIndex } from './in-memory-rank-index.js';
import { describeRankIndex } from './rank-index.contract.js';

describeRankIndex('in-memory', () => new InMemoryRankIndex());
// Tiny blocks: the contract's boards split and empty blocks as they go.
describeRankIndex('in-memory, 4-entry blocks', () => new InMemoryRankIndex({ blockSize: 4 }));
