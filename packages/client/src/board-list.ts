import type { BoardEntry, ServerMessage } from './types.js';

type Delta = Extract<ServerMessage, { type: 'delta' }>;

/**
 * Applies a `delta` (docs/API.md "Realtime v2") to the list it was computed from: truncate
 * to `size`, then put each changed entry at its rank. The server's own tests apply deltas with
 * this very function, so the two sides cannot disagree on what a delta means.
 */
export function applyDelta(list: readonly BoardEntry[], delta: Pick<Delta, 'size' | 'changes'>): BoardEntry[] {
  const next = list.slice(0, delta.size);
  for (const change of delta.changes) next[change.rank - 1] = change;
  return next;
}
