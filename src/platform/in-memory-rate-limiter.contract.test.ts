import { InMemoryRateLimiter } from './in-memory-rate-limiter.js';
import { describeRateLimiter } from './rate-limiter.contract.js';

describeRateLimiter('in-memory', (options) => new InMemoryRateLimiter(options));
