import type { PrismaClient } from '@storesync/db';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { NotificationSettings } from './config.ts';
import type { Mailer } from './mailer.ts';
import type { ResolveHost } from './targets.ts';

/** What every notification job handler gets besides its payload. */
export interface NotificationContext {
  prisma: PrismaClient;
  logger: Logger;
  mailer: Mailer;
  settings: NotificationSettings;
  /** The notifications queue, for the send and delivery jobs a handler starts. */
  queue: Queue;
  /** How webhook host names are resolved at delivery; unset: the system resolver (dns.lookup). */
  resolveHost?: ResolveHost;
}
