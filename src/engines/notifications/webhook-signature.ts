/** Webhook signatures (HMAC-SHA256 over "<timestamp>.<body>") that receivers verify with their subscription secret. */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header names sent with every webhook call (documented in docs/notifications.md). */
export const WEBHOOK_HEADERS = {
  event: 'custos-event',
  delivery: 'custos-delivery',
  timestamp: 'custos-timestamp',
  signature: 'custos-signature',
} as const;

/** Receivers should refuse a call whose timestamp is further than this from their clock (replay protection). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * The signature header value: `v1=` and the hex HMAC-SHA256, keyed with the subscription secret, of the Unix
 * timestamp in seconds, a dot, and the exact request body.
 * @example signWebhookBody('whsec_abc', 1767225600, '{"event":"application.submitted"}') // 'v1=5f…'
 */
export function signWebhookBody(secret: string, timestampSeconds: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

export type WebhookVerification =
  { valid: true } | { valid: false; reason: 'malformed' | 'stale_timestamp' | 'bad_signature' };

/** What a receiver does: recompute the signature and compare in constant time, and check the timestamp's age. */
export function verifyWebhookSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS,
): WebhookVerification {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts)) return { valid: false, reason: 'malformed' };
  if (Math.abs(nowSeconds - ts) > toleranceSeconds) return { valid: false, reason: 'stale_timestamp' };
  const expected = Buffer.from(signWebhookBody(secret, ts, body));
  const given = Buffer.from(headers.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { valid: false, reason: 'bad_signature' };
  return { valid: true };
}
