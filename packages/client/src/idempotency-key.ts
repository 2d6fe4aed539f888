/**
 * A fresh idempotency key: 32 hex digits from crypto.getRandomValues, which (unlike
 * randomUUID) works in every browser context, secure or not, and in Node 20. Reuse one key for
 * every retry of the same action, so that it counts once.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
