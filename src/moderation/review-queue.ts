import type { ScoreUpdated } from '../platform/events.js';

/** A game server's action held for review: in the ledger, on no board. */
export interface HeldAction {
  action: { id: string; type: string; values: Record<string, number>; at: number };
  userId: string;
  /** Why it was held: which value went above its metric's review threshold. */
  reason: string;
}

export type ReviewDecision = 'approve' | 'reject';

export type ReviewOutcome =
  /**
   * Counted on its boards as of its original time. `committed` is its `score.updated`
   * event, also in the outbox (see `ReviewQueue.published`); absent when no board still
   * keeps a period it falls in.
   */
  | { status: 'approved'; userId: string; type: string; committed?: { outboxId: number; event: ScoreUpdated } }
  | { status: 'rejected'; userId: string; type: string }
  | { status: 'not_found' }
  /** Decided before (by another admin, maybe on another node a moment ago), or never held. */
  | { status: 'conflict'; current: string };

/**
 * Port: the held actions of the ledger, declared by the moderation service, which decides on
 * them, and implemented by the score service's ledger adapters, which own the rows.
 */
export interface ReviewQueue {
  /** Held actions, oldest first, and how many there are. */
  heldActions(limit: number, offset: number): Promise<{ total: number; held: HeldAction[] }>;
  /**
   * Decides a held action once, in one transaction: approval writes its totals on every board
   * (in its original period, where the board still keeps it at `now`), with a fresh version
   * so the rank index applies them, and the event to the outbox; rejection only marks it.
   * Any later decision, also a concurrent one from another node, is a conflict.
   */
  decide(actionId: string, decision: ReviewDecision, now: number): Promise<ReviewOutcome>;
  /**
   * The approval's event went out on the bus: its outbox row may go. Whoever decides
   * publishes at once; the outbox only covers a crash in between (the score relay drains it
   * at start, or another node takes it over).
   */
  published(outboxId: number): Promise<void>;
}
