import { describeEventBus } from './event-bus.contract.js';
import { InProcessEventBus } from './in-process-event-bus.js';

const quiet = { error: () => {}, warn: () => {} };

describeEventBus('in-process', () => {
  const bus = new InProcessEventBus(quiet);
  return { publisher: bus, subscriber: bus, ready: async () => {} };
});
