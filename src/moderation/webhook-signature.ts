import { createHmac } from 'node:crypto';

/**
 * The `webhook-signature` header of the Standard Webhooks specification: `v1,` and the
 * base64 HMAC-SHA256, under the secret's key, of `id.timestamp.body` (timestamp in whole
 * seconds, the `webhook-timestamp` header). Receivers check it with the `standardwebhooks`
 * libraries; the timestamp is the attempt's, so a retry an hour later still verifies.
 */
export function signWebhook(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}
