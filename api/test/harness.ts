/**
 * A real app per test file: its own PostgreSQL database (copied from the migrated template),
 * its own Redis key prefix, and helpers to create users, tokens and data.
 */
import { randomUUID } from 'node:crypto';
import { createChangeNotifier, createPrismaClient, type ChangeNotifier, type Prisma, type PrismaClient, type Role } from '@storesync/db';
import { createTestDatabase, type TestDatabase } from '@storesync/db/testing';
import { createProviders, type Providers } from '@storesync/worker/providers';
import { pricesFrom } from '@storesync/worker/providers/config';
import { createGenerationWorker } from '@storesync/worker/worker';
import { createGenerationQueue, redisConnectionOptions, type GenerateContentPayload } from '@storesync/worker/queue';
import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, inject } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { parseEnv, type Env } from '../src/env.ts';
import { signAccessToken } from '../src/lib/auth/access-tokens.ts';
import { hashPassword } from '@storesync/core/passwords';
import { connectRedis } from '../src/lib/redis.ts';
import { accessTokenConfig } from '../src/middleware/auth.ts';
import { closeImportPool } from '../src/routes/bulk-import/import-pool.ts';

export const TEST_PASSWORD = 'correct horse battery staple';
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  token: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export class TestContext {
  app!: App;
  prisma!: PrismaClient;
  redis!: Redis;
  env!: Env;
  generationQueue!: Queue<GenerateContentPayload>;
  private workers: Worker[] = [];
  queuePrefix!: string;
  providers!: Providers;
  changeNotifier!: ChangeNotifier;
  private database!: TestDatabase;
  private passwordHash!: string;

  async start(envOverrides: Record<string, string> = {}) {
    this.database = await createTestDatabase(inject('databaseServerUrl'), inject('templateDatabase'));
    this.env = parseEnv({
      NODE_ENV: 'test',
      DATABASE_URL: this.database.url,
      REDIS_URL: inject('redisUrl'),
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'silent',
      ...envOverrides,
    });
    this.prisma = createPrismaClient(this.env.DATABASE_URL, { poolSize: 5 });
    this.redis = await connectRedis(this.env.REDIS_URL, { keyPrefix: `test:${randomUUID()}:` });
    // Each file has its own BullMQ prefix, so queued jobs of parallel files never mix.
    this.queuePrefix = `bull-test-${randomUUID().slice(0, 8)}`;
    this.generationQueue = createGenerationQueue({ connection: redisConnectionOptions(this.env.REDIS_URL), prefix: this.queuePrefix });
    this.providers = createProviders(this.env);
    this.changeNotifier = createChangeNotifier(this.env.DATABASE_URL);
    this.app = createApp({
      env: this.env,
      prisma: this.prisma,
      redis: this.redis,
      logger: pino({ level: 'silent' }),
      generationQueue: this.generationQueue,
      embeddings: this.providers.embeddings,
      changeNotifier: this.changeNotifier,
    });
    this.passwordHash = await hashPassword(TEST_PASSWORD);
  }

  async stop() {
    // Login-throttle keys carry this file's prefix and expire; the queue's keys are removed.
    await Promise.all(this.workers.splice(0).map((worker) => worker.close()));
    await this.generationQueue.obliterate({ force: true });
    await this.generationQueue.close();
    await this.changeNotifier.close();
    await closeImportPool();
    await this.redis.quit();
    await this.prisma.$disconnect();
    await this.database.drop();
  }

  /** A real BullMQ worker on this file's queue, with the offline provider unless told otherwise. */
  startGenerationWorker(providers: Providers = this.providers) {
    const worker = createGenerationWorker({
      connection: redisConnectionOptions(this.env.REDIS_URL),
      prefix: this.queuePrefix,
      concurrency: 4,
      context: {
        prisma: this.prisma,
        providers,
        logger: pino({ level: 'silent' }),
        prices: pricesFrom(this.env),
      },
    });
    this.workers.push(worker);
    return worker;
  }

  /** Polls GET /jobs/{id} until the job completes, fails or is cancelled. */
  async waitForJob(jobId: string, token: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await this.request('GET', `/api/v1/jobs/${jobId}`, { token });
      if (['completed', 'failed', 'cancelled'].includes(response.json?.status)) return response.json;
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${response.json?.status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async request(method: string, path: string, options: RequestOptions = {}) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await this.app.request(path, { method, headers, body });
    const text = await response.text();
    let json: any = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, json, text };
  }

  /**
   * Tokens made here are dated a few seconds back, so they deterministically predate anything a
   * test does next (ending sessions compares whole seconds).
   */
  tokenFor(userId: string) {
    return signAccessToken(accessTokenConfig(this.env), userId, new Date(Date.now() - 5_000));
  }

  async createUser(
    role: Role,
    options: { brands?: string[]; locations?: string[]; email?: string; isActive?: boolean } = {},
  ): Promise<TestUser> {
    const email = options.email ?? `${role}-${randomUUID().slice(0, 8)}@example.test`;
    const user = await this.prisma.user.create({
      data: {
        email,
        passwordHash: this.passwordHash,
        firstName: role,
        lastName: 'Tester',
        role,
        isActive: options.isActive ?? true,
        brands: { create: (options.brands ?? []).map((brandId) => ({ brandId })) },
        locationAssignments: { create: (options.locations ?? []).map((locationId) => ({ locationId })) },
      },
    });
    return { id: user.id, email, role, token: await this.tokenFor(user.id) };
  }

  createBrand(name = `Brand ${randomUUID().slice(0, 6)}`, settings: Record<string, unknown> = {}) {
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    return this.prisma.brand.create({ data: { name, slug, settings: settings as Prisma.InputJsonObject } });
  }

  createLocation(brandId: string, storeNumber: string, overrides: { name?: string; attributes?: Record<string, unknown> } = {}) {
    return this.prisma.location.create({
      data: {
        brandId,
        storeNumber,
        name: overrides.name ?? `Store ${storeNumber}`,
        address: { street: `${storeNumber} Main St`, city: 'Austin', state: 'TX', zip: '78701' },
        attributes: (overrides.attributes ?? { region: 'southwest' }) as Prisma.InputJsonObject,
      },
    });
  }

  createTemplate(
    brandId: string,
    overrides: { contentTemplate?: string; requiredVariables?: string[]; name?: string } = {},
  ) {
    return this.prisma.campaignTemplate.create({
      data: {
        brandId,
        name: overrides.name ?? 'Seasonal sale',
        contentTemplate: overrides.contentTemplate ?? '{{location.name}} is having a {{campaign.sale_type}} sale!',
        requiredVariables: overrides.requiredVariables ?? ['sale_type'],
        campaignType: 'seasonal_sale',
      },
    });
  }

  createCampaign(
    locationId: string,
    templateId: string,
    overrides: { status?: 'draft' | 'pending_review' | 'approved' | 'rejected' | 'scheduled' | 'active' | 'completed'; createdById?: string; customizations?: Record<string, unknown>; generatedContent?: string } = {},
  ) {
    return this.prisma.locationCampaign.create({
      data: {
        locationId,
        templateId,
        status: overrides.status ?? 'draft',
        createdById: overrides.createdById ?? null,
        customizations: (overrides.customizations ?? { sale_type: 'Summer' }) as Prisma.InputJsonObject,
        generatedContent: overrides.generatedContent ?? '',
      },
    });
  }
}

/** Registers beforeAll/afterAll hooks and returns the context they fill. */
export function useTestContext(envOverrides: Record<string, string> = {}): TestContext {
  const context = new TestContext();
  beforeAll(() => context.start(envOverrides));
  afterAll(() => context.stop());
  return context;
}

/** A brand of its own and its brand manager: tests that use one never see each other's rows. */
export async function createBrandWithManager(ctx: TestContext) {
  const brand = await ctx.createBrand();
  const manager = await ctx.createUser('brand_manager', { brands: [brand.id] });
  return { brand, manager, token: manager.token };
}

/** A world with two brands and one user of every role in the first, used by access tests. */
export async function createWorld(ctx: TestContext) {
  const brand = await ctx.createBrand('Acme Hardware');
  const otherBrand = await ctx.createBrand('Other Outfitters');
  const location = await ctx.createLocation(brand.id, '001');
  const secondLocation = await ctx.createLocation(brand.id, '002');
  const otherLocation = await ctx.createLocation(otherBrand.id, '001');
  const template = await ctx.createTemplate(brand.id);
  const otherTemplate = await ctx.createTemplate(otherBrand.id);
  const users = {
    admin: await ctx.createUser('admin'),
    brandManager: await ctx.createUser('brand_manager', { brands: [brand.id] }),
    locationManager: await ctx.createUser('location_manager', { brands: [brand.id], locations: [location.id] }),
    viewer: await ctx.createUser('viewer', { brands: [brand.id] }),
    otherBrandManager: await ctx.createUser('brand_manager', { brands: [otherBrand.id] }),
  };
  return { brand, otherBrand, location, secondLocation, otherLocation, template, otherTemplate, users };
}

/** Tokens that must never pass: expired, signed with another key, unsigned, for another audience. */
export async function badTokens(ctx: TestContext, userId: string): Promise<Record<string, string>> {
  const { SignJWT, UnsecuredJWT } = await import('jose');
  const key = (secret: string) => new TextEncoder().encode(secret);
  const base = () =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setSubject(userId)
      .setIssuer(ctx.env.JWT_ISSUER)
      .setAudience(ctx.env.JWT_AUDIENCE);
  const now = Math.floor(Date.now() / 1000);
  return {
    expired: await base().setIssuedAt(now - 3600).setExpirationTime(now - 1800).sign(key(ctx.env.JWT_SECRET)),
    otherKey: await base().setIssuedAt().setExpirationTime('15m').sign(key('another-secret-another-secret-another-secret')),
    algNone: new UnsecuredJWT({})
      .setSubject(userId)
      .setIssuer(ctx.env.JWT_ISSUER)
      .setAudience(ctx.env.JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('15m')
      .encode(),
    otherAudience: await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setSubject(userId)
      .setIssuer(ctx.env.JWT_ISSUER)
      .setAudience('someone-else')
      .setIssuedAt()
      .setExpirationTime('15m')
      .sign(key(ctx.env.JWT_SECRET)),
    garbage: 'not-a-jwt',
  };
}

/** Asserts that `method path` refuses a missing token and every bad token with 401 and our error body. */
export async function expectRejectsBadTokens(ctx: TestContext, userId: string, method: string, path: string, body?: unknown) {
  const { expect } = await import('vitest');
  const missing = await ctx.request(method, path, { body });
  expect(missing.status, `${method} ${path} without a token`).toBe(401);
  expect(missing.json.error.request_id).toBeTruthy();
  for (const [kind, token] of Object.entries(await badTokens(ctx, userId))) {
    const response = await ctx.request(method, path, { token, body });
    expect(response.status, `${method} ${path} with a ${kind} token`).toBe(401);
    expect(response.json.error.code).toBe(kind === 'expired' ? 'token_expired' : 'unauthenticated');
  }
}
