/**
 * Webhook signatures: `StoreSync-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
 * with the endpoint's secret. Receivers recompute it, compare in constant time and refuse old
 * timestamps, so a captured delivery cannot be replayed later.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const SIGNATURE_HEADER = 'StoreSync-Signature';
export const EVENT_ID_HEADER = 'StoreSync-Event-Id';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

/** For the API, which checks a URL when a webhook is saved (the rules: targets.ts, addresses.ts). */
export { webhookUrlProblem } from './targets.ts';
