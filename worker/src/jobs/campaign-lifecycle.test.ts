import { randomUUID } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import { createPrismaClient, type PrismaClient } from '@storesync/db';
import { createTestDatabase, type TestDatabase } from '@storesync/db/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createOfflineProviders } from '../providers/offline.ts';
import { redisConnectionOptions } from '../redis.ts';
import { LIFECYCLE_QUEUE, startLifecycleWorker } from '../worker.ts';
import { handler } from './campaign-lifecycle.job.ts';
import type { JobContext } from './context.ts';

let database: TestDatabase;
let prisma: PrismaClient;
let context: JobContext;
let locationId = '';
let templateId = '';

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseServerUrl'), inject('templateDatabase'));
  prisma = createPrismaClient(database.url, { poolSize: 4 });
  context = {
    prisma,
    providers: createOfflineProviders(),
    logger: pino({ level: 'silent' }),
    prices: { inputPerMTok: 0, outputPerMTok: 0, embeddingPerMTok: 0 },
  };
  const brand = await prisma.brand.create({ data: { name: 'B', slug: 'b' } });
  locationId = (await prisma.location.create({ data: { brandId: brand.id, name: 'S', storeNumber: '1' } })).id;
  templateId = (await prisma.campaignTemplate.create({ data: { brandId: brand.id, name: 'T', contentTemplate: 'x', campaignType: 'sale' } })).id;
});
afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000);
const fakeJob = { data: {} } as Job;

function campaign(status: 'scheduled' | 'active' | 'approved', start: Date | null, end: Date | null) {
  return prisma.locationCampaign.create({
    data: { locationId, templateId, status, scheduledStart: start, scheduledEnd: end, generatedContent: 'copy' },
  });
}

describe('campaign-lifecycle job', () => {
  it('activates due scheduled campaigns, completes ended active ones, and leaves the rest', async () => {
    const due = await campaign('scheduled', hoursFromNow(-1), hoursFromNow(24));
    const future = await campaign('scheduled', hoursFromNow(1), hoursFromNow(24));
    const ended = await campaign('active', hoursFromNow(-48), hoursFromNow(-1));
    const running = await campaign('active', hoursFromNow(-48), hoursFromNow(1));
    const whollyPast = await campaign('scheduled', hoursFromNow(-48), hoursFromNow(-24));
    const openEnded = await campaign('active', hoursFromNow(-48), null);

    const result = await handler(fakeJob, context);
    expect(result.activated).toBeGreaterThanOrEqual(2);
    const statusOf = async (id: string) => (await prisma.locationCampaign.findUniqueOrThrow({ where: { id } })).status;
    expect(await statusOf(due.id)).toBe('active');
    expect(await statusOf(future.id)).toBe('scheduled');
    expect(await statusOf(ended.id)).toBe('completed');
    expect(await statusOf(running.id)).toBe('active');
    expect(await statusOf(whollyPast.id)).toBe('completed');
    expect(await statusOf(openEnded.id)).toBe('active');

    const steps = await prisma.approvalStep.findMany({ where: { campaignId: whollyPast.id }, orderBy: { createdAt: 'asc' } });
    expect(steps.map((step) => [step.decision, step.previousStatus, step.newStatus, step.approverId])).toEqual([
      ['activated', 'scheduled', 'active', null],
      ['completed', 'active', 'completed', null],
    ]);
    expect(steps[0]?.comments).toBe('Started automatically at its scheduled start');
  });

  it('is harmless when two runs overlap: each transition is written once', async () => {
    const due = await campaign('scheduled', hoursFromNow(-1), hoursFromNow(24));
    await Promise.all([handler(fakeJob, context), handler(fakeJob, context), handler(fakeJob, context)]);
    expect(await prisma.approvalStep.count({ where: { campaignId: due.id } })).toBe(1);
  });
});

describe('startLifecycleWorker', () => {
  it('keeps one every-minute schedule (and one daily compaction) however many workers start', async () => {
    const prefix = `lifecycle-test-${randomUUID().slice(0, 8)}`;
    const connection = redisConnectionOptions(inject('redisUrl'));
    const first = await startLifecycleWorker({ connection, prefix, context });
    const second = await startLifecycleWorker({ connection, prefix, context });
    const queue = new Queue(LIFECYCLE_QUEUE, { connection, prefix });
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers).toHaveLength(2);
      const byName = Object.fromEntries(schedulers.map((scheduler) => [scheduler.name, scheduler]));
      expect(byName['campaign-lifecycle']).toMatchObject({ every: 60_000 });
      expect(byName['compact-sync-changes']).toMatchObject({ every: 24 * 3_600_000 });
    } finally {
      await Promise.all([first.close(), second.close()]);
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
