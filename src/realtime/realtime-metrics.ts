import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Seconds, around the delivery targets (a window of 50 ms, 150 ms at 5,000 subscribers). */
const DELIVERY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5];

/** What the realtime service counts. */
export class RealtimeMetrics {
  readonly connections: Gauge;
  readonly messagesSent: Counter;
  readonly bytesSent: Counter;
  readonly slowConsumersDropped: Counter;
  readonly broadcastLag: Histogram;
  readonly sweepSlice: Histogram;
  readonly sweepPass: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.connections = new Gauge({ name: 'realtime_connections', help: 'Open WebSocket connections', registers });
    this.messagesSent = new Counter({ name: 'realtime_messages_sent_total', help: 'WebSocket messages sent', registers });
    this.bytesSent = new Counter({ name: 'realtime_bytes_sent_total', help: 'WebSocket payload bytes sent', registers });
    this.slowConsumersDropped = new Counter({
      name: 'realtime_slow_consumers_dropped_total',
      help: 'Connections closed because their send buffer stayed over the limit',
      registers,
    });
    this.broadcastLag = new Histogram({
      name: 'realtime_broadcast_lag_seconds',
      help: 'From the board change to the update leaving this node',
      buckets: DELIVERY_BUCKETS,
      registers,
    });
    this.sweepSlice = new Histogram({
      name: 'realtime_sweep_slice_seconds',
      help: 'One slice of the update sweep: event-loop time spent writing updates before yielding',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1],
      registers,
    });
    // The pass, not one broadcast, bounds how long the last subscriber waits for a change:
    // its p99 is the number to alert on as connections per node grow.
    this.sweepPass = new Histogram({
      name: 'realtime_sweep_pass_seconds',
      help: 'One pass of the update sweep over every connection, rests and window waits included',
      buckets: DELIVERY_BUCKETS,
      registers,
    });
  }
}
