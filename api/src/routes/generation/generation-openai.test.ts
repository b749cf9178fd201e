/**
 * Generation through the real `openai` SDK against a local fake of OpenAI's HTTP API: the
 * worker's provider, retry and idempotency behaviour end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIProviders } from '@storesync/worker/providers';
import { GENERATE_CONTENT_JOB } from '@storesync/worker/queue';
import { startFakeOpenAI, type FakeOpenAI } from '@storesync/worker/testing';
import { createWorld, useTestContext } from '../../../test/harness.ts';

const ctx = useTestContext();
let world: Awaited<ReturnType<typeof createWorld>>;
let fake: FakeOpenAI;

beforeAll(async () => {
  world = await createWorld(ctx);
  fake = await startFakeOpenAI({ apiKey: 'sk-test' });
  ctx.startGenerationWorker(
    createOpenAIProviders({
      apiKey: 'sk-test',
      baseURL: fake.baseURL,
      chatModel: 'gpt-4o-mini',
      embeddingModel: 'text-embedding-3-small',
      timeoutMs: 5_000,
    }),
  );
});
afterAll(() => fake.close());

async function generateAndWait(body: Record<string, unknown> = {}) {
  const campaign = await ctx.createCampaign(world.location.id, world.template.id);
  const token = world.users.brandManager.token;
  const queued = await ctx.request('POST', '/api/v1/campaigns/generate-content', {
    token,
    body: { campaign_id: campaign.id, use_similar_content: false, ...body },
  });
  expect(queued.status).toBe(202);
  return { campaign, job: await ctx.waitForJob(queued.json.id, token) };
}

const chatRequests = () => fake.requests.filter((request) => request.path === '/v1/chat/completions');

describe('generation with the OpenAI provider', () => {
  it('records model, usage, cost and the embedding model, asking for float embeddings', async () => {
    fake.reset();
    const { campaign, job } = await generateAndWait();
    expect(job.status).toBe('completed');
    const version = await ctx.prisma.campaignContentVersion.findUniqueOrThrow({ where: { id: job.version_id } });
    expect(version).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', embeddingModel: 'text-embedding-3-small', status: 'ok' });
    expect(version.promptTokens).toBeGreaterThan(0);
    expect(version.costUsd.toNumber()).toBeGreaterThan(0);
    const embeddingRequest = fake.requests.find((request) => request.path === '/v1/embeddings');
    expect(embeddingRequest?.body).toMatchObject({ encoding_format: 'float', model: 'text-embedding-3-small' });
    const [chat] = chatRequests();
    const messages = (chat?.body as { messages: { role: string; content: string }[] }).messages;
    expect(messages[0]?.content).toContain('Do not include placeholder brackets in output');
    expect(messages[1]?.content).toContain('Store 001 is having a Summer sale!');
    expect(messages[1]?.content).not.toContain('storesync-offline');
    const stored = await ctx.prisma.locationCampaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(stored.generatedContent).toBe(version.content);
  });

  it('retries a 429 after backoff and succeeds', async () => {
    fake.reset();
    fake.setBehaviour({ failNext: { failure: { kind: 'rate_limit', retryAfterSeconds: 1 }, count: 1 } });
    const { job } = await generateAndWait();
    expect(job).toMatchObject({ status: 'completed', attempts: 2 });
    expect(chatRequests()).toHaveLength(2);
  });

  it('fails at once on a content-policy refusal, with the reason, after one request', async () => {
    fake.reset();
    fake.setBehaviour({ failNext: { failure: { kind: 'content_policy' }, count: 1 } });
    const { job } = await generateAndWait();
    expect(job.status).toBe('failed');
    expect(job.attempts).toBe(1);
    expect(job.error).toMatch(/policy/i);
    expect(chatRequests()).toHaveLength(1);
  });

  it('never creates a second version when a finished job is delivered again after a crash', async () => {
    fake.reset();
    const { campaign, job } = await generateAndWait();
    const callsBefore = chatRequests().length;
    // As if the worker died after storing the version but before marking the job done.
    await ctx.prisma.generationJob.update({ where: { id: job.id }, data: { status: 'active' } });
    await ctx.generationQueue.add(GENERATE_CONTENT_JOB, { generationJobId: job.id }, { jobId: `${job.id}-redelivered` });
    const again = await ctx.waitForJob(job.id, world.users.brandManager.token);
    expect(again).toMatchObject({ status: 'completed', version_id: job.version_id });
    expect(await ctx.prisma.campaignContentVersion.count({ where: { campaignId: campaign.id } })).toBe(1);
    expect(chatRequests()).toHaveLength(callsBefore);
  });
});
