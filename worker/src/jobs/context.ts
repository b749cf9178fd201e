import type { PrismaClient } from '@storesync/db';
import type { Logger } from 'pino';
import type { Providers } from '../providers/types.ts';

/** USD per million tokens. */
export interface Prices {
  inputPerMTok: number;
  outputPerMTok: number;
  embeddingPerMTok: number;
}

/** What every job handler gets besides its payload. */
export interface JobContext {
  prisma: PrismaClient;
  providers: Providers;
  prices: Prices;
  logger: Logger;
}
