/** `npm run embeddings:backfill -w @storesync/worker`: embeds campaigns that have copy but no embedding. */
import { createPrismaClient } from '@storesync/db';
import { backfillEmbeddings } from '../src/backfill.ts';
import { loadWorkerEnv } from '../src/env.ts';
import { createProviders } from '../src/providers/index.ts';

const env = loadWorkerEnv();
const prisma = createPrismaClient(env.DATABASE_URL, { poolSize: 1 });
const { embeddings } = createProviders(env);
const count = await backfillEmbeddings(prisma, embeddings);
console.log(`[embeddings] embedded ${count} campaign(s) with ${embeddings.name} (${embeddings.model})`);
await prisma.$disconnect();
