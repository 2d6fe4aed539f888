import type { BoardDefinition } from '../platform/boards.js';
import type { ScoreUpdated } from '../platform/events.js';

/** An accepted action as the client saw it: the `201` body, replayed verbatim on a repeated key. */
export interface ActionReceipt {
  /** `status` only on a held action. */
  action: { id: string; type: string; points: number; values: Record<string, number>; at: string; status?: 'held' };
  /** Board id → the user's value on each board the action counted on, right after it. */
  totals: Record<string, number>;
}

/** An action that passed every check that needs no storage, ready to be recorded. */
export interface ActionToRecord {
  userId: string;
  type: string;
  points: number;
  /** The metric values the action yields (`points` among them when above 0). */
  values: Record<string, number>;
  /** ms since the epoch; also when each new total was reached */
  at: number;
  idempotencyKey: string;
  /** Timed actions: the ticket this completion spends. */
  ticketId?: string;
  /** Held for review: recorded (and its key, cooldown and cap spent) but counted on no board; why, for the reviewer. */
  held?: { reason: string };
  cooldownMs: number;
  dailyCap?: number;
}

/** An event as committed with the ledger: `outboxId` is its place in the outbox. */
export interface CommittedEvent {
  outboxId: number;
  event: ScoreUpdated;
}

export type RecordOutcome =
  /** `committed` lets the relay publish without reading the event back from storage. */
  | { status: 'accepted'; receipt: ActionReceipt; committed: CommittedEvent }
  /** Recorded for review: no totals, no event. */
  | { status: 'held'; receipt: ActionReceipt }
  /** The user already used this idempotency key: nothing was recorded. */
  | { status: 'replayed'; receipt: ActionReceipt }
  | { status: 'rejected'; code: 'ticket_used' | 'cooldown' | 'daily_cap'; retryAfterMs?: number };

/**
 * Port: the ledger, the source of truth. `record` is one transaction for the whole batch:
 * for each action in order it checks what needs storage (repeated key, spent ticket,
 * cooldown, daily cap), then writes the ledger row (with its metric values), the totals of
 * every board it counts on (by the board's aggregate, versioned by the row's sequence) and
 * the outbox event together, so a committed action always has its event and an
 * uncommitted one neither.
 */
export interface Ledger {
  findReceipt(userId: string, idempotencyKey: string): Promise<ActionReceipt | undefined>;
  record(actions: readonly ActionToRecord[]): Promise<RecordOutcome[]>;
  /** Each board's definition signature (`definitionSignature`) as its totals were last filled under. */
  filledBoards(): Promise<Map<string, string>>;
  /**
   * Recomputes the totals of one board period from the ledger rows whose time lies in
   * `[from, to)` (unbounded where undefined), replacing what the period held, and records the
   * board's signature: how a board new to the configuration, or changed, is filled.
   * @returns how many ledger rows were read
   */
  refillBoard(board: BoardDefinition, period: string, range: { from?: number; to?: number }): Promise<number>;
  /**
   * Deletes up to `limit` records of tickets spent before `usedBefore` (ms since the epoch)
   * and answers how many: a ticket past its expiry fails the checks before its record is
   * looked up, so the record only takes space (see `SpentTicketJanitor`).
   */
  forgetSpentTickets(usedBefore: number, limit: number): Promise<number>;
}

/** Port: events committed with the ledger, waiting to be published. */
export interface Outbox {
  /** The oldest unpublished events, in commit order. */
  pending(limit: number): Promise<CommittedEvent[]>;
  /** Marks every event up to and including `id` as published. */
  acknowledge(upToId: number): Promise<void>;
}

/** The answer to a held action: recorded, on no board. */
export function heldReceipt(id: number | string, action: ActionToRecord): ActionReceipt {
  return { action: { id: String(id), type: action.type, points: action.points, values: action.values, at: new Date(action.at).toISOString(), status: 'held' }, totals: {} };
}
