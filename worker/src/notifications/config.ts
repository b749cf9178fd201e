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
};

type NotificationEnv = z.output<z.ZodObject<typeof notificationEnvShape>>;

export interface NotificationSettings {
  smtpUrl: string | undefined;
  mailFrom: string;
  outboxDir: string;
  publicUrl: string;
  linkTtlDays: number;
  digestCron: string;
  webhookTimeoutMs: number;
}

export function notificationSettingsFrom(env: NotificationEnv): NotificationSettings {
  return {
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    outboxDir: env.MAIL_OUTBOX_DIR,
    publicUrl: (env.PUBLIC_URL ?? 'http://127.0.0.1:8000').replace(/\/+$/, ''),
    linkTtlDays: env.APPROVAL_LINK_TTL_DAYS,
    digestCron: env.DIGEST_CRON,
    webhookTimeoutMs: env.WEBHOOK_TIMEOUT_MS,
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
