/**
 * A timer that does not keep a Node process alive by itself (a script that logged in and
 * finished must be able to exit while a token refresh is scheduled); browsers have no such notion.
 */
export function backgroundTimeout(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
  const timer = setTimeout(callback, ms);
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Exponential backoff with "equal jitter": half of the delay fixed, half random, so clients that
 * lost the same server do not all come back in the same instant.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
