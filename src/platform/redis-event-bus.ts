import { randomUUID } from 'node:crypto';
import type { EventBus, EventHandler } from './event-bus.js';
import type { BusEvent, BusEventType } from './events.js';
import type { Logger } from './logger.js';
import { createRedis, type RedisClient } from './redis.js';
import type { RedisKeys } from './redis-keys.js';

type AnyHandler = (event: BusEvent) => void | Promise<void>;

/**
 * Events that must reach their service exactly once per group and survive a crash go over
 * a Stream with a consumer group; the rest (board changes, ranks, bans) are broadcast to
 * every node over pub/sub, where a node that is down has nothing to catch up on.
 */
const STREAMED: ReadonlySet<BusEventType> = new Set(['score.updated']);


export interface RedisEventBusOptions {
  keys: RedisKeys;
  logger: Pick<Logger, 'error' | 'warn'>;
  /** The consumer group of this process's stream subscribers: one per service. @default 'leaderboard' */
  group?: string;
  /** Pending entries idle this long (their consumer died) are claimed by another. @default 30000 */
  claimIdleMs?: number;
  /** Stream length kept (approximately) for replay. @default 1000000 */
  maxLength?: number;
  /** A consumer silent this long, with nothing pending, belonged to a process that is gone. @default 3600000 */
  forgetConsumersAfterMs?: number;
}

/**
 * The distributed `EventBus` on Redis: `score.updated` over a Stream read by a consumer
 * group (acknowledged after the handlers ran; entries of a dead consumer are reclaimed),
 * everything else over pub/sub to every subscribed node.
 */
export class RedisEventBus implements EventBus {
  private readonly handlers = new Map<BusEventType, Set<AnyHandler>>();
  private readonly commands: RedisClient;
  private subscriber: RedisClient | undefined;
  private reader: RedisClient | undefined;
  private consuming: Promise<void> | undefined;
  private readonly subscriptions: Promise<void>[] = [];
  private closed = false;
  private readonly consumer = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly group: string;
  private readonly claimIdleMs: number;
  private readonly maxLength: number;

  constructor(
    private readonly url: string,
    private readonly options: RedisEventBusOptions,
  ) {
    this.commands = createRedis(url, { name: 'live-leaderboard-bus' });
    this.group = options.group ?? 'leaderboard';
    this.claimIdleMs = options.claimIdleMs ?? 30_000;
    this.maxLength = options.maxLength ?? 1_000_000;
  }

  async publish(event: BusEvent): Promise<void> {
    await this.publishAll([event]);
  }

  async publishAll(events: readonly BusEvent[]): Promise<void> {
    if (events.length === 0) return;
    // MULTI/EXEC: one round trip, and Redis runs all of them or none.
    const transaction = this.commands.multi();
    for (const event of events) {
      const payload = JSON.stringify(event);
      if (STREAMED.has(event.type)) transaction.xadd(this.options.keys.stream(event.type), 'MAXLEN', '~', this.maxLength, '*', 'e', payload);
      else transaction.publish(this.options.keys.channel(event.type), payload);
    }
    const results = await transaction.exec();
    const failed = results?.find(([error]) => error !== null);
    if (!results || failed) throw failed?.[0] ?? new Error('Redis discarded the transaction');
  }

  subscribe<T extends BusEventType>(type: T, handler: EventHandler<T>): () => void {
    let handlers = this.handlers.get(type);
    if (!handlers) {
      this.handlers.set(type, (handlers = new Set()));
      if (STREAMED.has(type)) this.consuming ??= this.consume(type);
      else this.subscriptions.push(this.listen(type));
    }
    const registered = handler as AnyHandler;
    handlers.add(registered);
    return () => handlers.delete(registered);
  }

  /**
   * Resolves once every pub/sub subscription so far is active in Redis (pub/sub keeps nothing
   * for late listeners); while Redis is away, it waits for it.
   */
  async ready(): Promise<void> {
    await Promise.all(this.subscriptions);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
    // Interrupts a blocking read at once instead of waiting for its timeout.
    this.reader?.disconnect();
    // A handler stuck on a dead dependency must not hold shutdown: its entry stays pending
    // and another node reclaims it.
    await Promise.race([this.consuming, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    this.subscriber?.disconnect();
    await this.commands.quit().catch(() => {});
  }

  private async listen(type: BusEventType): Promise<void> {
    if (!this.subscriber) {
      this.subscriber = createRedis(this.url, { name: 'live-leaderboard-subscriber', subscriber: true });
      this.subscriber.on('message', (channel: string, message: string) => this.dispatchMessage(channel, message));
    }
    // Waits while Redis is away, and tries again whatever ioredis failed it with: `ready()`
    // means subscribed, not merely asked, and a node never goes on deaf to a channel.
    while (!this.closed) {
      // Waiting is silent in ioredis: say once why this node is not ready yet.
      const waiting = setTimeout(() => this.options.logger.warn({ type }, 'still waiting for Redis to subscribe; not ready until then'), 1_000);
      waiting.unref();
      try {
        await this.subscriber.subscribe(this.options.keys.channel(type));
        return;
      } catch (error) {
        if (this.closed) return;
        this.options.logger.warn({ err: error, type }, 'cannot subscribe yet; trying again');
        await new Promise((resolve) => setTimeout(resolve, 200));
      } finally {
        clearTimeout(waiting);
      }
    }
  }

  private dispatchMessage(channel: string, message: string): void {
    let event: BusEvent;
    try {
      event = JSON.parse(message) as BusEvent;
    } catch {
      return;
    }
    if (channel !== this.options.keys.channel(event.type)) return;
    void this.deliver(event).catch((error: unknown) => this.options.logger.error({ err: error, event: event.type }, 'event handler failed'));
  }

  private async deliver(event: BusEvent): Promise<void> {
    const handlers = this.handlers.get(event.type);
    if (handlers) await Promise.all([...handlers].map(async (handler) => handler(event)));
  }

  /** Reads the stream until closed: reclaims dead consumers' entries, then blocks for new ones. */
  private async consume(type: BusEventType): Promise<void> {
    const stream = this.options.keys.stream(type);
    const reader = (this.reader = createRedis(this.url, { name: 'live-leaderboard-stream-reader', blocking: true }));
    let lastClaim = 0;
    while (!this.closed) {
      try {
        await this.ensureGroup(stream);
        if (Date.now() - lastClaim >= this.claimIdleMs / 2) {
          lastClaim = Date.now();
          await this.reclaim(stream);
        }
        const result = (await reader.xreadgroup('GROUP', this.group, this.consumer, 'COUNT', 500, 'BLOCK', 1_000, 'STREAMS', stream, '>')) as
          | [string, [string, string[]][]][]
          | null;
        for (const [, entries] of result ?? []) await this.handleEntries(stream, entries);
      } catch (error) {
        if (this.closed) break;
        this.options.logger.warn({ err: error, stream }, 'stream read failed; retrying');
        this.groupReady = false;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    reader.disconnect();
  }

  private groupReady = false;

  /** Creates the group (from the stream's start, so nothing published before is missed); again after Redis lost it. */
  private async ensureGroup(stream: string): Promise<void> {
    if (this.groupReady) return;
    try {
      await this.commands.xgroup('CREATE', stream, this.group, '0', 'MKSTREAM');
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) throw error;
    }
    this.groupReady = true;
  }

  /** Takes over entries another consumer read and never acknowledged (it crashed). */
  private async reclaim(stream: string): Promise<void> {
    let cursor = '0-0';
    do {
      const [next, entries] = (await this.commands.xautoclaim(stream, this.group, this.consumer, this.claimIdleMs, cursor, 'COUNT', 500)) as [
        string,
        [string, string[]][],
      ];
      await this.handleEntries(stream, entries.filter((entry) => entry !== null && Array.isArray(entry[1])));
      cursor = next;
    } while (cursor !== '0-0' && !this.closed);
    await this.forgetGoneConsumers(stream);
  }

  /**
   * Removes consumers of earlier processes from the group once they hold nothing and have
   * been silent for an hour: every start names a new consumer, and the list would grow for ever.
   */
  private async forgetGoneConsumers(stream: string): Promise<void> {
    const consumers = (await this.commands.xinfo('CONSUMERS', stream, this.group)) as unknown[][];
    for (const fields of consumers) {
      const info = new Map<string, unknown>();
      for (let i = 0; i + 1 < fields.length; i += 2) info.set(String(fields[i]), fields[i + 1]);
      const name = String(info.get('name'));
      if (name !== this.consumer && Number(info.get('pending')) === 0 && Number(info.get('idle')) > (this.options.forgetConsumersAfterMs ?? 3_600_000)) {
        await this.commands.xgroup('DELCONSUMER', stream, this.group, name);
      }
    }
  }

  /** Runs the handlers of a batch (concurrently: they are idempotent and order-safe), then acknowledges it. */
  private async handleEntries(stream: string, entries: [string, string[]][]): Promise<void> {
    if (entries.length === 0) return;
    await Promise.all(
      entries.map(async ([, fields]) => {
        const payload = fields[fields.indexOf('e') + 1];
        if (payload === undefined) return;
        try {
          await this.deliver(JSON.parse(payload) as BusEvent);
        } catch (error) {
          this.options.logger.error({ err: error, stream }, 'event handler failed; acknowledged anyway');
        }
      }),
    );
    await this.commands.xack(stream, this.group, ...entries.map(([id]) => id));
  }
}
