import type { ChangeNotifier, PrismaClient, Role } from '@storesync/db';
import type { EmbeddingProvider } from '@storesync/worker/providers';
import type { GenerateContentPayload } from '@storesync/worker/queue';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Env } from '../env.ts';

/** The signed-in user as every handler sees it, loaded fresh on each request. */
export interface AuthUser {
  id: string;
  email: string;
  role: Role;
  brandIds: string[];
  /** Location managers with assignments see only these locations; empty means "all of my brands". */
  assignedLocationIds: string[];
}

export interface AppDeps {
  env: Env;
  prisma: PrismaClient;
  redis: Redis;
  logger: Logger;
  /** Producer side of the worker's generation queue. */
  generationQueue: Queue<GenerateContentPayload>;
  /** Embeds search queries for /campaigns/similar with the same provider as the worker. */
  embeddings: EmbeddingProvider;
  /** Wakes /sync/events streams when a brand's changes commit. */
  changeNotifier: ChangeNotifier;
}

export interface AppBindings {
  Variables: {
    requestId: string;
    deps: AppDeps;
    user: AuthUser;
    logger: Logger;
  };
}
