import { randomUUID } from 'node:crypto';
import { createOpenAIProviders } from '@storesync/worker/providers';
import { pricesFrom } from '@storesync/worker/providers/config';
import { createGenerationQueue, redisConnectionOptions, type GenerateContentPayload } from '@storesync/worker/queue';
import { startFakeOpenAI, type FakeOpenAI } from '@storesync/worker/testing';
import { createGenerationWorker } from '@storesync/worker/worker';
import type { Queue, Worker } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import { createWorld, expectRejectsBadTokens, useTestContext, type TestUser } from '../../../test/harness.ts';

const ctx = useTestContext();
let world: Awaited<ReturnType<typeof createWorld>>;
beforeAll(async () => {
  world = await createWorld(ctx);
  ctx.startGenerationWorker();
});

type Request = typeof ctx.request;
const post = (path: string, token: string, body?: unknown, request: Request = ctx.request.bind(ctx)) =>
  request('POST', `/api/v1${path}`, { token, body });
const startRun = (token: string, body: Record<string, unknown>, request?: Request) => post('/campaigns/generate/', token, body, request);
const estimate = (token: string, body: Record<string, unknown>) => post('/campaigns/generate/estimate', token, body);
const getRun = (id: string, token: string, request: Request = ctx.request.bind(ctx)) => request('GET', `/api/v1/runs/${id}`, { token });

interface RunJson {
  id: string;
  status: string;
  total: number;
  skipped: number;
  queued: number;
  active: number;
  done: number;
  failed: number;
  cancelled: number;
  [key: string]: unknown;
}

/** Polls the run until `until` holds, checking on every read that its items add up. */
async function waitForRun(
  id: string,
  token: string,
  until: (run: RunJson) => boolean = (run) => run.status !== 'running',
  request?: Request,
): Promise<RunJson> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await getRun(id, token, request);
    expect(response.status).toBe(200);
    const run = response.json as RunJson;
    expect(run.queued + run.active + run.done + run.failed + run.cancelled).toBe(run.total - run.skipped);
    if (until(run)) return run;
    if (Date.now() > deadline) throw new Error(`run ${id} still ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Requests to an app like the file's own, whose jobs go to `queue`. */
function requestsOnQueue(queue: Queue<GenerateContentPayload>): Request {
  const app = createApp({
    env: ctx.env,
    prisma: ctx.prisma,
    redis: ctx.redis,
    logger: pino({ level: 'silent' }),
    generationQueue: queue,
    embeddings: ctx.providers.embeddings,
    changeNotifier: ctx.changeNotifier,
  });
  return async (method, path, options = {}) => {
    const response = await app.request(path, {
      method,
      headers: { Authorization: `Bearer ${options.token ?? ''}`, 'Content-Type': 'application/json' },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined, text };
  };
}

/** A brand of its own (so filters see only this test's campaigns), two stores, a template and a manager. */
async function brandWorld(settings: Record<string, unknown> = {}) {
  const brand = await ctx.createBrand(`Run Co ${randomUUID().slice(0, 6)}`, settings);
  const location = await ctx.createLocation(brand.id, '101');
  const secondLocation = await ctx.createLocation(brand.id, '102');
  const template = await ctx.createTemplate(brand.id);
  const manager = await ctx.createUser('brand_manager', { brands: [brand.id] });
  return { brand, location, secondLocation, template, manager };
}

const versionsOf = (campaignId: string) =>
  ctx.prisma.campaignContentVersion.findMany({ where: { campaignId }, orderBy: { versionNumber: 'asc' } });

describe('POST /api/v1/campaigns/generate', () => {
  it('generates draft and rejected campaigns by id, counts the others as skipped, and reports progress to completion', async () => {
    const { location, template, manager } = await brandWorld();
    const drafts = await Promise.all([1, 2, 3].map(() => ctx.createCampaign(location.id, template.id)));
    const rejected = await ctx.createCampaign(location.id, template.id, { status: 'rejected' });
    const approved = await ctx.createCampaign(location.id, template.id, { status: 'approved', generatedContent: 'Reviewed copy' });
    const foreign = await ctx.createCampaign(world.otherLocation.id, world.otherTemplate.id);
    const ids = [...drafts, rejected, approved, foreign].map((campaign) => campaign.id);

    const started = await startRun(manager.token, { campaign_ids: [...ids, ids[0], randomUUID()], use_similar_content: false });
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({
      requested_by: manager.id,
      filter: null,
      campaign_ids_count: 8,
      total: 7,
      skipped: 3,
      skipped_reasons: { unchanged: 0, in_progress: 0, locked: 1, not_found: 2 },
    });

    const run = await waitForRun(started.json.id, manager.token);
    expect(run).toMatchObject({ status: 'completed', queued: 0, active: 0, done: 4, failed: 0, cancelled: 0, estimated_seconds_left: null });
    expect(run.tokens).toMatchObject({ prompt: expect.any(Number), completion: expect.any(Number) });
    expect((run.tokens as { total: number }).total).toBeGreaterThan(0);
    expect(run.cost_usd).toBeGreaterThan(0);
    expect(run.written_by).toEqual([{ provider: 'offline', model: expect.any(String), versions: 4 }]);
    expect(started.json.written_by).toEqual([]);
    expect(Date.parse(run.finished_at as string)).toBeGreaterThanOrEqual(Date.parse(run.started_at as string));

    for (const campaign of [...drafts, rejected]) {
      const stored = await ctx.prisma.locationCampaign.findUniqueOrThrow({ where: { id: campaign.id } });
      expect(stored.generatedContent).toContain('Store 101');
    }
    expect(await ctx.prisma.generationJob.count({ where: { campaignId: { in: [approved.id, foreign.id] } } })).toBe(0);
    expect(await ctx.prisma.generationJob.count({ where: { runId: run.id } })).toBe(4);
  });

  it('selects by filter, skips campaigns whose inputs are unchanged since their last generation, and regenerates with force', async () => {
    const { brand, location, secondLocation, template, manager } = await brandWorld();
    const otherTemplate = await ctx.createTemplate(brand.id, { name: 'Grand opening', contentTemplate: 'Grand opening at {{location.name}}!', requiredVariables: [] });
    const firstDrafts = await Promise.all([location, secondLocation].map((store) => ctx.createCampaign(store.id, template.id)));
    const otherDraft = await ctx.createCampaign(location.id, otherTemplate.id);
    const rejected = await ctx.createCampaign(secondLocation.id, template.id, { status: 'rejected' });
    const token = manager.token;

    const narrow = await startRun(token, { filter: { brand: brand.id, template: template.id, status: ['draft'] } });
    expect(narrow.json).toMatchObject({ total: 2, skipped: 0, filter: { brand: brand.id, template: template.id, status: ['draft'] }, campaign_ids_count: null });
    await waitForRun(narrow.json.id, token);

    const wide = await startRun(token, { filter: { brand: brand.id } });
    expect(wide.json).toMatchObject({ total: 4, skipped: 2, skipped_reasons: { unchanged: 2, locked: 0 } });
    expect(await waitForRun(wide.json.id, token)).toMatchObject({ done: 2 });

    // The single-campaign endpoint computes the same job id, so it sees the run's work as done.
    const single = await post('/campaigns/generate-content', token, { campaign_id: otherDraft.id });
    expect(single.json.status).toBe('completed');
    expect(await ctx.prisma.generationJob.findUniqueOrThrow({ where: { id: single.json.id } })).toMatchObject({ runId: wide.json.id });

    const nothing = await startRun(token, { filter: { brand: brand.id } });
    expect(nothing.json).toMatchObject({ status: 'completed', total: 4, skipped: 4, skipped_reasons: { unchanged: 4 }, queued: 0 });
    expect(nothing.json.finished_at).not.toBeNull();

    await ctx.prisma.locationCampaign.update({ where: { id: rejected.id }, data: { customizations: { sale_type: 'Winter' } } });
    const changed = await startRun(token, { filter: { brand: brand.id } });
    expect(changed.json).toMatchObject({ total: 4, skipped: 3, skipped_reasons: { unchanged: 3 } });
    await waitForRun(changed.json.id, token);
    expect((await versionsOf(rejected.id)).map((version) => version.content)).toEqual([
      expect.stringContaining('Summer'),
      expect.stringContaining('Winter'),
    ]);

    const forced = await startRun(token, { filter: { brand: brand.id }, force: true });
    expect(forced.json).toMatchObject({ total: 4, skipped: 0, force: true });
    expect(await waitForRun(forced.json.id, token)).toMatchObject({ done: 4 });
    expect(await versionsOf(firstDrafts[0]?.id ?? '')).toHaveLength(2);
  });

  it('validates its body', async () => {
    const token = world.users.brandManager.token;
    const fields = async (body: unknown) => (await startRun(token, body as Record<string, unknown>)).json.error.details.map((d: { field: string }) => d.field);
    expect(await fields({})).toEqual(['campaign_ids']);
    expect(await fields({ campaign_ids: [world.location.id], filter: { brand: world.brand.id } })).toEqual(['campaign_ids']);
    expect(await fields({ campaign_ids: [] })).toEqual(['campaign_ids']);
    expect(await fields({ campaign_ids: ['nope'], force: 'yes' })).toEqual(['campaign_ids.0', 'force']);
    expect(await fields({ filter: { brand: world.brand.id, status: ['finished'], owner: 'me' } })).toEqual(['filter.status.0', 'filter.owner']);
    expect(await fields({ campaign_ids: Array.from({ length: 5_001 }, () => randomUUID()) })).toEqual(['campaign_ids']);
  });
});

describe('POST /api/v1/campaigns/generate/estimate', () => {
  it('predicts the run: campaigns, skipped, tokens, cost and duration, and queues nothing', async () => {
    const { brand, location, secondLocation, template, manager } = await brandWorld();
    const drafts = await Promise.all([location, location, secondLocation].map((store) => ctx.createCampaign(store.id, template.id)));
    await ctx.createCampaign(location.id, template.id, { status: 'approved' });
    const body = { filter: { brand: brand.id }, use_similar_content: false };

    const before = await estimate(manager.token, body);
    expect(before.status).toBe(200);
    expect(before.json).toMatchObject({
      campaigns: 3,
      skipped: 1,
      skipped_reasons: { unchanged: 0, in_progress: 0, locked: 1, not_found: 0 },
      // Without history: 120 completion tokens a campaign, each answer embedded, no search query.
      expected_tokens: { completion: 360, embedding: 360 },
      basis: { worker_concurrency: ctx.env.WORKER_CONCURRENCY },
    });
    const { prompt, completion, embedding } = before.json.expected_tokens;
    expect(before.json.expected_tokens.total).toBe(prompt + completion + embedding);
    const prices = pricesFrom(ctx.env);
    const cost = (prompt * prices.inputPerMTok + completion * prices.outputPerMTok + embedding * prices.embeddingPerMTok) / 1e6;
    expect(before.json.expected_cost_usd).toBeCloseTo(cost, 6);
    expect(before.json.expected_duration_seconds).toBe(Math.ceil((3 * before.json.basis.average_job_seconds) / ctx.env.WORKER_CONCURRENCY));
    expect(await ctx.prisma.generationJob.count({ where: { campaignId: { in: drafts.map((draft) => draft.id) } } })).toBe(0);

    const started = await startRun(manager.token, body);
    expect(started.json.total - started.json.skipped).toBe(before.json.campaigns);
    const run = await waitForRun(started.json.id, manager.token);
    // The estimate builds the very prompt the worker sends, which the offline provider counts as length / 4.
    expect(run.tokens).toMatchObject({ prompt });

    const after = await estimate(manager.token, { ...body, force: true });
    const completionPerCampaign = Math.round((run.tokens as { completion: number }).completion / 3);
    expect(after.json).toMatchObject({ campaigns: 3, expected_tokens: { prompt, completion: 3 * completionPerCampaign } });
    expect(after.json.basis.average_job_seconds).toBeLessThan(3);
    const unchanged = await estimate(manager.token, body);
    expect(unchanged.json).toMatchObject({ campaigns: 0, skipped_reasons: { unchanged: 3 }, expected_cost_usd: 0 });

    // With similar content on, the brand's reviewed copy adds examples to each prompt.
    await ctx.createCampaign(location.id, template.id, { status: 'approved', generatedContent: 'Summer deals on patio sets at Store 101.' });
    const similar = await estimate(manager.token, { filter: { brand: brand.id }, force: true });
    expect(similar.json.expected_tokens.prompt).toBeGreaterThan(prompt);
    expect(similar.json.expected_tokens.embedding).toBeGreaterThan(after.json.expected_tokens.embedding);
  });
});

describe('POST /api/v1/runs/{id}/retry-failed', () => {
  it('re-runs only the failed items, with the brand’s rules as they are now', async () => {
    const { brand, location, template, manager } = await brandWorld({ required_phrases: ['Winter'] });
    const winter = await Promise.all([1, 2].map(() => ctx.createCampaign(location.id, template.id, { customizations: { sale_type: 'Winter' } })));
    const summer = await Promise.all([1, 2].map(() => ctx.createCampaign(location.id, template.id)));
    const token = manager.token;
    const started = await startRun(token, { filter: { brand: brand.id }, use_similar_content: false });
    const failedRun = await waitForRun(started.json.id, token);
    expect(failedRun).toMatchObject({ status: 'completed', done: 2, failed: 2 });

    await ctx.prisma.brand.update({ where: { id: brand.id }, data: { settings: {} } });
    const retried = await post(`/runs/${started.json.id}/retry-failed`, token);
    expect(retried.status).toBe(200);
    // The worker may already be done with them: only the failed items were queued again.
    expect(retried.json.failed).toBe(0);
    expect(retried.json.done + retried.json.queued + retried.json.active).toBe(4);

    const run = await waitForRun(started.json.id, token);
    expect(run).toMatchObject({ status: 'completed', done: 4, failed: 0, total: 4 });
    expect((run.tokens as { prompt: number }).prompt).toBeGreaterThan((failedRun.tokens as { prompt: number }).prompt);
    for (const campaign of winter) expect((await versionsOf(campaign.id)).map((version) => version.status)).toEqual(['ok']);
    for (const campaign of summer) expect((await versionsOf(campaign.id)).map((version) => version.status)).toEqual(['failed', 'failed', 'ok']);

    const again = await post(`/runs/${started.json.id}/retry-failed`, token);
    expect(again.json).toMatchObject({ status: 'completed', done: 4 });
  });
});

describe('runs on a slow model', () => {
  let fake: FakeOpenAI;
  let slowQueue: Queue<GenerateContentPayload>;
  let slowWorker: Worker;
  let slowRequest: Request;

  // A lane of its own: a queue, one worker at a time on a slow OpenAI-compatible server, and an app on that queue.
  beforeAll(async () => {
    fake = await startFakeOpenAI({ apiKey: 'sk-test' });
    const connection = redisConnectionOptions(ctx.env.REDIS_URL);
    const prefix = `${ctx.queuePrefix}-slow`;
    slowQueue = createGenerationQueue({ connection, prefix });
    slowWorker = createGenerationWorker({
      connection,
      prefix,
      concurrency: 1,
      context: {
        prisma: ctx.prisma,
        providers: createOpenAIProviders({
          apiKey: 'sk-test',
          baseURL: fake.baseURL,
          chatModel: 'gpt-4o-mini',
          embeddingModel: 'text-embedding-3-small',
          timeoutMs: 5_000,
        }),
        logger: pino({ level: 'silent' }),
        prices: pricesFrom(ctx.env),
      },
    });
    slowRequest = requestsOnQueue(slowQueue);
  });
  afterAll(async () => {
    await slowWorker.close();
    await slowQueue.obliterate({ force: true });
    await slowQueue.close();
    await fake.close();
  });

  const chatRequests = () => fake.requests.filter((request) => request.path === '/v1/chat/completions').length;

  it('cancel: queued jobs never reach the model, the running one finishes', async () => {
    fake.reset();
    fake.setBehaviour({ delayMs: 200 });
    const { brand, location, template, manager } = await brandWorld();
    await Promise.all([1, 2, 3, 4, 5].map(() => ctx.createCampaign(location.id, template.id)));
    const token = manager.token;
    const body = { filter: { brand: brand.id }, use_similar_content: false };
    const started = await startRun(token, body, slowRequest);
    expect(started.status).toBe(202);
    await waitForRun(started.json.id, token, (run) => run.active === 1, slowRequest);

    const busy = await estimate(token, body);
    expect(busy.json).toMatchObject({ campaigns: 0, skipped_reasons: { in_progress: 5 } });

    const cancelled = await post(`/runs/${started.json.id}/cancel`, token, undefined, slowRequest);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({ status: 'cancelled', queued: 0, estimated_seconds_left: null });
    expect(cancelled.json.cancelled).toBeGreaterThanOrEqual(3);
    expect(await slowQueue.getJobCountByTypes('waiting', 'delayed', 'prioritized')).toBe(0);

    const run = await waitForRun(started.json.id, token, (current) => current.active === 0, slowRequest);
    expect(run.done + run.cancelled).toBe(5);
    expect(chatRequests()).toBe(run.done);
    const cancelledRows = await ctx.prisma.generationJob.findMany({ where: { runId: run.id, status: 'cancelled' } });
    expect(await ctx.prisma.campaignContentVersion.count({ where: { generationJobId: { in: cancelledRows.map((row) => row.id) } } })).toBe(0);

    // A job of the cancelled run that a worker still receives (say it was taken just as the run
    // was cancelled) stops before the model call.
    const straggler = cancelledRows[0]?.id ?? '';
    await ctx.prisma.generationJob.update({ where: { id: straggler }, data: { status: 'queued' } });
    await slowQueue.add('generate-content', { generationJobId: straggler }, { jobId: straggler });
    await expect.poll(async () => (await ctx.prisma.generationJob.findUniqueOrThrow({ where: { id: straggler } })).status).toBe('cancelled');
    expect(chatRequests()).toBe(run.done);

    expect((await post(`/runs/${run.id}/cancel`, token, undefined, slowRequest)).json.status).toBe('cancelled');
    const retry = await post(`/runs/${run.id}/retry-failed`, token, undefined, slowRequest);
    expect(retry.status).toBe(409);
    expect(retry.json.error.current_status).toBe('cancelled');

    // A new run picks the cancelled campaigns up again.
    const resumed = await startRun(token, body, slowRequest);
    expect(resumed.json).toMatchObject({ total: 5, skipped: run.done, skipped_reasons: { unchanged: run.done } });
    fake.setBehaviour({ delayMs: 0 });
    expect(await waitForRun(resumed.json.id, token, undefined, slowRequest)).toMatchObject({ done: 5 - run.done });
  });

  it('retry-failed retries the same BullMQ job when a provider failure left the inputs unchanged', async () => {
    fake.reset();
    fake.setBehaviour({ failNext: { failure: { kind: 'content_policy' }, count: 1 } });
    const { location, template, manager } = await brandWorld();
    const campaign = await ctx.createCampaign(location.id, template.id);
    const token = manager.token;
    const started = await startRun(token, { campaign_ids: [campaign.id], use_similar_content: false }, slowRequest);
    const failed = await waitForRun(started.json.id, token, undefined, slowRequest);
    expect(failed).toMatchObject({ status: 'completed', failed: 1 });
    const [job] = await ctx.prisma.generationJob.findMany({ where: { runId: failed.id } });
    expect(job?.error).toContain('safety system');
    expect(await slowQueue.getJobState(job?.id ?? '')).toBe('failed');

    const retried = await post(`/runs/${failed.id}/retry-failed`, token, undefined, slowRequest);
    expect(retried.json.status).toBe('running');
    expect(await waitForRun(failed.id, token, undefined, slowRequest)).toMatchObject({ status: 'completed', done: 1, failed: 0 });
    expect(await ctx.prisma.generationJob.findMany({ where: { runId: failed.id }, select: { id: true, status: true } })).toEqual([
      { id: job?.id, status: 'completed' },
    ]);
  });
});

describe('when Redis is down', () => {
  it('answers 503, cancels the run and fails its jobs with the reason, so that a new run picks them up', async () => {
    const deadQueue = createGenerationQueue({ connection: redisConnectionOptions('redis://127.0.0.1:6399'), prefix: 'dead' });
    deadQueue.on('error', () => undefined); // connection refusals are expected here
    const { brand, location, template, manager } = await brandWorld();
    await Promise.all([1, 2].map(() => ctx.createCampaign(location.id, template.id)));
    const body = { filter: { brand: brand.id }, use_similar_content: false };
    const refused = await startRun(manager.token, body, requestsOnQueue(deadQueue));
    await deadQueue.close();
    expect(refused.status).toBe(503);
    expect(refused.json.error.message).toContain('Redis');
    const run = await ctx.prisma.generationRun.findFirstOrThrow({ where: { requestedById: manager.id } });
    expect(run.status).toBe('cancelled');
    const jobs = await ctx.prisma.generationJob.findMany({ where: { runId: run.id } });
    expect(jobs.map((job) => [job.status, job.error])).toEqual([
      ['failed', expect.stringContaining('Redis')],
      ['failed', expect.stringContaining('Redis')],
    ]);

    const again = await startRun(manager.token, body);
    expect(again.json).toMatchObject({ total: 2, skipped: 0 });
    expect(await waitForRun(again.json.id, manager.token)).toMatchObject({ done: 2 });
  });
});

describe('who may start and see runs', () => {
  let requester: TestUser;
  beforeAll(async () => {
    requester = await ctx.createUser('location_manager', { brands: [world.brand.id], locations: [world.location.id] });
  });

  it('never includes campaigns outside the caller’s reach, and refuses viewers', async () => {
    const template = await ctx.createTemplate(world.brand.id, { name: `Access ${randomUUID().slice(0, 6)}` });
    const mine = await ctx.createCampaign(world.location.id, template.id);
    await ctx.createCampaign(world.secondLocation.id, template.id);
    const foreign = await ctx.createCampaign(world.otherLocation.id, world.otherTemplate.id);

    const byFilter = await startRun(requester.token, { filter: { brand: world.brand.id, template: template.id } });
    expect(byFilter.json).toMatchObject({ total: 1, skipped: 0 });
    expect(await ctx.prisma.generationJob.findMany({ where: { runId: byFilter.json.id }, select: { campaignId: true } })).toEqual([
      { campaignId: mine.id },
    ]);
    const byIds = await startRun(world.users.brandManager.token, { campaign_ids: [foreign.id] });
    expect(byIds.json).toMatchObject({ status: 'completed', total: 1, skipped: 1, skipped_reasons: { not_found: 1 } });
    expect((await startRun(world.users.brandManager.token, { filter: { brand: world.otherBrand.id } })).status).toBe(404);
    expect((await estimate(world.users.brandManager.token, { filter: { brand: world.otherBrand.id } })).status).toBe(404);

    const viewer = world.users.viewer.token;
    expect((await startRun(viewer, { filter: { brand: world.brand.id } })).status).toBe(403);
    expect((await estimate(viewer, { filter: { brand: world.brand.id } })).status).toBe(403);
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'POST', '/api/v1/campaigns/generate', { campaign_ids: [mine.id] });
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'POST', '/api/v1/campaigns/generate/estimate', { campaign_ids: [mine.id] });
  });

  it('shows a run to its requester, admins and the managers of its brands only', async () => {
    const template = await ctx.createTemplate(world.brand.id, { name: `Visibility ${randomUUID().slice(0, 6)}` });
    await ctx.createCampaign(world.location.id, template.id);
    const started = await startRun(requester.token, { filter: { brand: world.brand.id, template: template.id } });
    const path = `/runs/${started.json.id}`;
    for (const user of [requester, world.users.admin, world.users.brandManager]) {
      expect((await getRun(started.json.id, user.token)).status, user.role).toBe(200);
    }
    for (const user of [world.users.otherBrandManager, world.users.viewer, world.users.locationManager]) {
      expect((await getRun(started.json.id, user.token)).status, user.role).toBe(404);
      expect((await post(`${path}/cancel`, user.token)).status).toBe(404);
      expect((await post(`${path}/retry-failed`, user.token)).status).toBe(404);
    }
    expect((await getRun(randomUUID(), world.users.admin.token)).status).toBe(404);
    expect((await getRun('not-a-uuid', world.users.admin.token)).status).toBe(400);
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'GET', `/api/v1${path}`);
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'POST', `/api/v1${path}/cancel`);
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'POST', `/api/v1${path}/retry-failed`);

    await waitForRun(started.json.id, requester.token);
    const late = await post(`${path}/cancel`, world.users.brandManager.token);
    expect(late.status).toBe(409);
    expect(late.json.error.current_status).toBe('completed');
  });
});
