import { periodKey, startOfUtcDay } from '../platform/periods.js';
import type { ActionToRecord, RecordOutcome } from './ledger.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What a ledger keeps per user and action type for cooldowns and daily caps. */
export interface ActionState {
  lastAt: number;
  /** The UTC date (`2026-11-27`) `dayCount` counts. */
  day: string;
  dayCount: number;
}

/** Whether the action has a cooldown or a cap, i.e. whether the ledger must keep state for it. */
export function isLimited(action: ActionToRecord): boolean {
  return action.cooldownMs > 0 || action.dailyCap !== undefined;
}

/**
 * The cooldown and daily-cap rules, shared by every ledger adapter: the rejection, or the
 * state to keep once the action is recorded.
 */
export function checkLimits(
  action: ActionToRecord,
  state: ActionState | undefined,
): { rejected: Extract<RecordOutcome, { status: 'rejected' }> } | { next: ActionState } {
  if (state && action.cooldownMs > 0 && action.at < state.lastAt + action.cooldownMs) {
    return { rejected: { status: 'rejected', code: 'cooldown', retryAfterMs: state.lastAt + action.cooldownMs - action.at } };
  }
  const today = periodKey('daily', action.at);
  const countToday = state?.day === today ? state.dayCount : 0;
  if (action.dailyCap !== undefined && countToday >= action.dailyCap) {
    return { rejected: { status: 'rejected', code: 'daily_cap', retryAfterMs: startOfUtcDay(action.at) + DAY_MS - action.at } };
  }
  return { next: { lastAt: action.at, day: today, dayCount: countToday + 1 } };
}
