/** Settings of approver emails, review links, the digest and webhooks; shared by the worker's and the API's env. */
import { z } from 'zod';

export const notificationEnvShape = {
  /** `smtp://user:pass@host:587` or `smtps://…`. Unset: emails go to the log and to MAIL_OUTBOX_DIR. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default('StoreSync <no-reply@storesync.invalid>'),
  MAIL_OUTBOX_DIR: z.string().min(1).default('.data/outbox'),
  /** Where approvers reach the API; links in emails start with it. Unset: http://127.0.0.1:8000. */
  PUBLIC_URL: z.string().url().optional(),
  APPROVAL_LINK_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** When the daily digest goes out (cron, UTC). */
  DIGEST_CRON: z.string().min(9).default('0 7 * * *'),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /**
   * Let webhooks target loopback, private, link-local and other internal addresses and local host
   * names, and plain http:// in production (receivers inside your own network). Off: the API
   * refuses such URLs and the worker refuses to deliver to a name that resolves to such an address.
   */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
};

type NotificationEnv = z.output<z.ZodObject<typeof notificationEnvShape>>;

/** Where webhooks may point (see notifications/targets.ts). */
export interface WebhookTargetPolicy {
  /** Plain http:// besides https://. */
  allowHttp: boolean;
  /** Internal addresses and local host names (WEBHOOK_ALLOW_PRIVATE_TARGETS). */
  allowPrivate: boolean;
}

/**
 * The policy of an API's or worker's env: only public targets; https only in production unless
 * WEBHOOK_ALLOW_PRIVATE_TARGETS is set (unset NODE_ENV counts as not production, like the envs' default).
 */
export function webhookTargetPolicy(env: { NODE_ENV?: string | undefined; WEBHOOK_ALLOW_PRIVATE_TARGETS?: boolean | undefined }): WebhookTargetPolicy {
  const allowPrivate = env.WEBHOOK_ALLOW_PRIVATE_TARGETS === true;
  return { allowHttp: env.NODE_ENV !== 'production' || allowPrivate, allowPrivate };
}

export interface NotificationSettings {
  smtpUrl: string | undefined;
  mailFrom: string;
  outboxDir: string;
  publicUrl: string;
  linkTtlDays: number;
  digestCron: string;
  webhookTimeoutMs: number;
  webhookTargets: WebhookTargetPolicy;
}

/** Without WEBHOOK_ALLOW_PRIVATE_TARGETS (callers that build the env by hand), only public targets. */
type SettingsSource = Omit<NotificationEnv, 'WEBHOOK_ALLOW_PRIVATE_TARGETS'> & { WEBHOOK_ALLOW_PRIVATE_TARGETS?: boolean; NODE_ENV?: string };

export function notificationSettingsFrom(env: SettingsSource): NotificationSettings {
  return {
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    outboxDir: env.MAIL_OUTBOX_DIR,
    publicUrl: (env.PUBLIC_URL ?? 'http://127.0.0.1:8000').replace(/\/+$/, ''),
    linkTtlDays: env.APPROVAL_LINK_TTL_DAYS,
    digestCron: env.DIGEST_CRON,
    webhookTimeoutMs: env.WEBHOOK_TIMEOUT_MS,
    webhookTargets: webhookTargetPolicy(env),
  };
}

/** A brand's review settings (in `brands.settings`), with their defaults. */
export function brandReviewSettings(settings: unknown) {
  const object = settings && typeof settings === 'object' && !Array.isArray(settings) ? (settings as Record<string, unknown>) : {};
  const days = object.review_due_days;
  return {
    /** Approvers may decide from the email's link without signing in. */
    decideFromLink: object.approval_links_allow_decision === true,
    /** A campaign waiting longer than this is overdue in the digest. */
    reviewDueDays: typeof days === 'number' && Number.isFinite(days) && days > 0 ? days : 2,
  };
}
