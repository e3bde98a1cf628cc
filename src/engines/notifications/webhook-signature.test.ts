import { describe, expect, it } from 'vitest';
import { signWebhookBody, verifyWebhookSignature } from './webhook-signature.ts';

describe('webhook signatures', () => {
  const body = '{"event":"application.submitted","data":{"reference":"CUS-2026-000001"}}';
  it('matches an independently computed HMAC-SHA256 and verifies', () => {
    // Computed with: printf '%s' "1767225600.$body" | openssl dgst -sha256 -hmac 'whsec_test'
    const sig = signWebhookBody('whsec_test', 1767225600, body);
    expect(sig).toBe('v1=c17cb26e500f4cea60af91df6e7896b35b0405f1f60b0d39fed4122e6bd785ab');
    expect(
      verifyWebhookSignature('whsec_test', { timestamp: '1767225600', signature: sig }, body, 1767225650),
    ).toEqual({ valid: true });
  });
  it('refuses another secret, a changed body, an old timestamp and missing headers', () => {
    const sig = signWebhookBody('whsec_test', 1767225600, body);
    const h = { timestamp: '1767225600', signature: sig };
    expect(verifyWebhookSignature('whsec_other', h, body, 1767225600)).toEqual({
      valid: false,
      reason: 'bad_signature',
    });
    expect(verifyWebhookSignature('whsec_test', h, `${body} `, 1767225600).valid).toBe(false);
    expect(verifyWebhookSignature('whsec_test', h, body, 1767225600 + 301)).toEqual({
      valid: false,
      reason: 'stale_timestamp',
    });
    expect(verifyWebhookSignature('whsec_test', { timestamp: undefined, signature: sig }, body, 0)).toEqual({
      valid: false,
      reason: 'malformed',
    });
  });
});
