import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPrismaClient, hashApprovalLinkToken, transitionCampaign, type PrismaClient } from '@storesync/db';
import { createTestDatabase, type TestDatabase } from '@storesync/db/testing';
import { Queue, type Job } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it, inject } from 'vitest';
import * as approvalDigest from '../jobs/approval-digest.job.ts';
import * as approvalEvents from '../jobs/approval-events.job.ts';
import * as deliverWebhook from '../jobs/deliver-webhook.job.ts';
import * as sendEmail from '../jobs/send-email.job.ts';
import { redisConnectionOptions } from '../redis.ts';
import { notificationSettingsFrom, type NotificationSettings } from './config.ts';
import type { NotificationContext } from './context.ts';
import { createMailer, type Mailer, type OutgoingEmail } from './mailer.ts';
import type { ResolveHost } from './targets.ts';
import { NOTIFICATIONS_QUEUE, startNotificationWorker } from './worker.ts';

let database: TestDatabase;
let prisma: PrismaClient;
let queue: Queue;
const prefix = `notifications-test-${randomUUID().slice(0, 8)}`;
const connection = () => redisConnectionOptions(inject('redisUrl'));
const logger = pino({ level: 'silent' });
// The receiver of the webhook tests listens on 127.0.0.1, so private targets are allowed here.
const settings: NotificationSettings = {
  ...notificationSettingsFrom({
    MAIL_FROM: 'StoreSync <no-reply@storesync.test>',
    MAIL_OUTBOX_DIR: '/nonexistent',
    APPROVAL_LINK_TTL_DAYS: 7,
    DIGEST_CRON: '0 7 * * *',
    WEBHOOK_TIMEOUT_MS: 2_000,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: true,
    PUBLIC_URL: 'https://storesync.test/',
  }),
};
/** The same, as in production: only public targets. */
const publicOnly: NotificationSettings = { ...settings, webhookTargets: { allowHttp: false, allowPrivate: false } };

/** A mailer that keeps what it sends, and fails while `failing` is set. */
class RecordingMailer implements Mailer {
  sent: OutgoingEmail[] = [];
  failing = false;
  send(email: OutgoingEmail) {
    if (this.failing) return Promise.reject(new Error('SMTP 451: try again later'));
    this.sent.push(email);
    return Promise.resolve();
  }
  close() {}
}

let mailer: RecordingMailer;
let context: NotificationContext;
const fakeJob = (data: Record<string, unknown> = {}) => ({ data }) as Job;

let brandId = '';
let locationId = '';
let templateId = '';
const users: Record<'manager' | 'admin' | 'author' | 'viewer' | 'outsider' | 'inactive', { id: string; email: string }> = {} as never;

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseServerUrl'), inject('templateDatabase'));
  prisma = createPrismaClient(database.url, { poolSize: 4 });
  queue = new Queue(NOTIFICATIONS_QUEUE, { connection: connection(), prefix });
  const brand = await prisma.brand.create({ data: { name: 'Acme Hardware', slug: 'acme', settings: { review_due_days: 1 } } });
  const other = await prisma.brand.create({ data: { name: 'Other', slug: 'other' } });
  brandId = brand.id;
  locationId = (await prisma.location.create({ data: { brandId, name: 'Store 001', storeNumber: '001' } })).id;
  templateId = (await prisma.campaignTemplate.create({ data: { brandId, name: 'Seasonal sale', contentTemplate: 'x', campaignType: 'sale' } })).id;
  const user = async (key: keyof typeof users, role: 'admin' | 'brand_manager' | 'location_manager' | 'viewer', brand: string, isActive = true) => {
    const created = await prisma.user.create({
      data: { email: `${key}@example.test`, passwordHash: 'x', firstName: key, lastName: 'Tester', role, isActive, brands: { create: [{ brandId: brand }] } },
    });
    users[key] = { id: created.id, email: created.email };
  };
  await user('manager', 'brand_manager', brandId);
  await user('admin', 'admin', brandId);
  await user('author', 'brand_manager', brandId);
  await user('viewer', 'viewer', brandId);
  await user('outsider', 'brand_manager', other.id);
  await user('inactive', 'brand_manager', brandId, false);
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await prisma.$disconnect();
  await database.drop();
});
beforeEach(async () => {
  mailer = new RecordingMailer();
  context = { prisma, logger, mailer, settings, queue };
  // Each test sees only its own events and rows.
  await prisma.approvalEvent.updateMany({ where: { processedAt: null }, data: { processedAt: new Date() } });
  await prisma.emailOutbox.updateMany({ where: { status: 'pending' }, data: { status: 'failed' } });
  await prisma.webhookDelivery.updateMany({ where: { status: 'pending' }, data: { status: 'failed' } });
  await queue.obliterate({ force: true });
});

async function submitted(generatedContent = 'Summer sale at Store 001!') {
  const campaign = await prisma.locationCampaign.create({ data: { locationId, templateId, createdById: users.author.id, generatedContent } });
  const outcome = await transitionCampaign(prisma, { campaignId: campaign.id, action: 'submit', actorId: users.author.id, comments: '' });
  expect(outcome.moved).toBe(true);
  return prisma.locationCampaign.findUniqueOrThrow({ where: { id: campaign.id } });
}

describe('approval-events job', () => {
  it('emails each approver of the brand a single-use link on submit, exactly once', async () => {
    const campaign = await submitted();
    const counts = await approvalEvents.handler(fakeJob(), context);
    expect(counts).toEqual({ events: 1, emails: 2, deliveries: 0 });
    const emails = await prisma.emailOutbox.findMany({ where: { status: 'pending' }, orderBy: { toAddress: 'asc' } });
    expect(emails.map((email) => email.toAddress)).toEqual([users.admin.email, users.manager.email]);
    const email = emails[1]!;
    expect(email.subject).toBe('Review: Store 001 · Seasonal sale (Acme Hardware)');
    expect(email.textBody).toContain('author Tester submitted Store 001 · Seasonal sale (Acme Hardware) for review');
    expect(email.textBody).toContain('Summer sale at Store 001!');
    const token = /https:\/\/storesync\.test\/approvals\/links\/([A-Za-z0-9_-]{43})/.exec(email.textBody)?.[1] ?? '';
    const link = await prisma.approvalLink.findUniqueOrThrow({ where: { tokenHash: hashApprovalLinkToken(token) } });
    expect(link).toMatchObject({ userId: users.manager.id, campaignId: campaign.id, rowVersion: campaign.rowVersion, usedAt: null });
    expect(link.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    expect(email.htmlBody).toContain(`href="https://storesync.test/approvals/links/${token}"`);

    // The send jobs are queued under the rows' ids; a second run writes and queues nothing new.
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.map((job) => job.id).sort()).toEqual(emails.map((row) => sendEmail.jobId(row.id)).sort());
    expect(await approvalEvents.handler(fakeJob(), context)).toEqual({ events: 0, emails: 0, deliveries: 0 });
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 2 });
    expect(await prisma.emailOutbox.count({ where: { dedupeKey: { startsWith: 'review:' } } })).toBe(2);
  });

  it('emails once for a campaign sent back and submitted again before the events were processed', async () => {
    const campaign = await submitted();
    const back = await transitionCampaign(prisma, { campaignId: campaign.id, action: 'request_changes', actorId: users.manager.id, comments: 'Shorter' });
    expect(back.moved).toBe(true);
    const again = await transitionCampaign(prisma, { campaignId: campaign.id, action: 'submit', actorId: users.author.id, comments: '' });
    expect(again.moved).toBe(true);
    const counts = await approvalEvents.handler(fakeJob(), context);
    expect(counts).toMatchObject({ events: 3, emails: 2 });
  });

  it('writes no review email when the campaign was decided before the event was processed', async () => {
    const campaign = await submitted();
    await transitionCampaign(prisma, { campaignId: campaign.id, action: 'approve', actorId: users.manager.id, comments: '' });
    expect(await approvalEvents.handler(fakeJob(), context)).toMatchObject({ events: 2, emails: 0 });
  });

  it('escapes user content in the HTML part', async () => {
    await submitted('<script>alert(1)</script> & more');
    await approvalEvents.handler(fakeJob(), context);
    const email = await prisma.emailOutbox.findFirstOrThrow({ where: { status: 'pending' } });
    expect(email.htmlBody).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    expect(email.htmlBody).not.toContain('<script>');
  });
});

describe('send-email job', () => {
  it('sends a pending email once, however often its job runs', async () => {
    await submitted();
    await approvalEvents.handler(fakeJob(), context);
    const email = await prisma.emailOutbox.findFirstOrThrow({ where: { status: 'pending' } });
    expect(await sendEmail.handler(fakeJob({ outboxId: email.id }), context)).toEqual({ sent: true });
    expect(await sendEmail.handler(fakeJob({ outboxId: email.id }), context)).toEqual({ sent: false });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ id: email.id, to: email.toAddress, subject: email.subject });
    expect(await prisma.emailOutbox.findUniqueOrThrow({ where: { id: email.id } })).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('records a failed attempt for the retry, and marks the email failed after the last one', async () => {
    await submitted();
    await approvalEvents.handler(fakeJob(), context);
    const email = await prisma.emailOutbox.findFirstOrThrow({ where: { status: 'pending' } });
    mailer.failing = true;
    await expect(sendEmail.handler(fakeJob({ outboxId: email.id }), context)).rejects.toThrow('SMTP 451');
    expect(await prisma.emailOutbox.findUniqueOrThrow({ where: { id: email.id } })).toMatchObject({ status: 'pending', attempts: 1, lastError: 'SMTP 451: try again later' });
    await sendEmail.onFinalFailure(fakeJob({ outboxId: email.id }), context);
    expect((await prisma.emailOutbox.findUniqueOrThrow({ where: { id: email.id } })).status).toBe('failed');
  });

  it('without SMTP_URL writes each email to the outbox folder as an .eml file', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'storesync-outbox-'));
    try {
      const local = createMailer({ ...settings, smtpUrl: undefined, outboxDir: directory }, logger);
      await local.send({ id: 'a1b2', to: 'someone@example.test', subject: 'Hello', text: 'Plain text', html: '<p>HTML</p>' });
      const message = await readFile(path.join(directory, 'a1b2.eml'), 'utf8');
      expect(message).toContain('To: someone@example.test');
      expect(message).toContain('Subject: Hello');
      expect(message).toContain('Message-ID: <a1b2@storesync>');
      expect(message).toContain('Plain text');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe('webhooks', () => {
  let server: Server;
  let url = '';
  let answer = 500;
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.statusCode = answer;
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('delivers every step of the brand, signed, retrying until the receiver accepts, with a log of attempts', async () => {
    const endpoint = await prisma.webhookEndpoint.create({ data: { brandId, url, secret: 'whsec_test' } });
    try {
      const campaign = await submitted();
      expect(await approvalEvents.handler(fakeJob(), context)).toMatchObject({ events: 1, deliveries: 1 });
      const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
      expect(await queue.getJob(deliverWebhook.jobId(delivery.id))).toBeTruthy();

      answer = 503;
      await expect(deliverWebhook.handler(fakeJob({ deliveryId: delivery.id }), context)).rejects.toThrow('answered 503');
      expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 503, lastError: 'answered 503' });

      answer = 204;
      expect(await deliverWebhook.handler(fakeJob({ deliveryId: delivery.id }), context)).toEqual({ delivered: true });
      expect(await deliverWebhook.handler(fakeJob({ deliveryId: delivery.id }), context)).toEqual({ delivered: false });
      expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 204, lastError: null });
      expect(received).toHaveLength(2);

      const { headers, body } = received[1]!;
      const step = await prisma.approvalStep.findFirstOrThrow({ where: { campaignId: campaign.id } });
      expect(headers['storesync-event-id']).toBe(step.id);
      const [, timestamp, signature] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['storesync-signature'])) ?? [];
      expect(signature).toBe(createHmac('sha256', 'whsec_test').update(`${timestamp}.${body}`).digest('hex'));
      expect(JSON.parse(body)).toMatchObject({
        id: step.id,
        type: 'campaign.status_changed',
        data: { campaign: { id: campaign.id, brand: brandId, store_number: '001', template_name: 'Seasonal sale' }, decision: 'submitted', previous_status: 'draft', new_status: 'pending_review', approver: users.author.id },
      });

      await deliverWebhook.onFinalFailure(fakeJob({ deliveryId: delivery.id }), context);
      expect((await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).status).toBe('delivered');
    } finally {
      await prisma.webhookEndpoint.delete({ where: { id: endpoint.id } });
    }
  });

  it('stops delivering to a switched-off endpoint', async () => {
    const endpoint = await prisma.webhookEndpoint.create({ data: { brandId, url, secret: 's' } });
    try {
      await submitted();
      await approvalEvents.handler(fakeJob(), context);
      await prisma.webhookEndpoint.update({ where: { id: endpoint.id }, data: { isActive: false } });
      const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
      const before = received.length;
      expect(await deliverWebhook.handler(fakeJob({ deliveryId: delivery.id }), context)).toEqual({ delivered: false });
      expect(received).toHaveLength(before);
      expect((await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).status).toBe('failed');
    } finally {
      await prisma.webhookEndpoint.delete({ where: { id: endpoint.id } });
    }
  });
});

describe('webhook targets at delivery', () => {
  let server: Server;
  let port = 0;
  let answer = 204;
  const received: { host: string | undefined; url: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        received.push({ host: request.headers.host, url: request.url });
        response.statusCode = answer;
        if (answer === 302) response.setHeader('Location', `http://127.0.0.1:${port}/elsewhere`);
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    answer = 204;
    received.length = 0;
  });

  /** A pending delivery to `url`, with the endpoint removed afterwards. */
  async function withDelivery(url: string, test: (deliveryId: string) => Promise<void>) {
    const endpoint = await prisma.webhookEndpoint.create({ data: { brandId, url, secret: 'whsec_test' } });
    try {
      await submitted();
      await approvalEvents.handler(fakeJob(), context);
      const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
      await test(delivery.id);
    } finally {
      await prisma.webhookEndpoint.delete({ where: { id: endpoint.id } });
    }
  }

  /** A resolver that answers these addresses for every name, and remembers the names asked. */
  function stubResolver(...addresses: string[]) {
    const asked: string[] = [];
    const resolveHost: ResolveHost = (hostname) => {
      asked.push(hostname);
      return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
    };
    return { asked, resolveHost };
  }

  it('refuses a name that resolves to a private address (DNS rebinding): nothing sent, logged, not retried', async () => {
    await withDelivery(`https://hooks.example.test:${port}/hooks`, async (deliveryId) => {
      const { asked, resolveHost } = stubResolver('10.0.0.7');
      const result = await deliverWebhook.handler(fakeJob({ deliveryId }), { ...context, settings: publicOnly, resolveHost });
      expect(result).toEqual({ delivered: false });
      expect(asked).toEqual(['hooks.example.test']);
      expect(received).toHaveLength(0);
      const row = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
      expect(row).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: null });
      expect(row.lastError).toBe(
        "refused: hooks.example.test resolves to 10.0.0.7, a private address, which webhooks may not target; use the receiver's public host name or address",
      );
      expect(row.lastAttemptAt).not.toBeNull();
      // A later run of the job (a retry) sends nothing either.
      expect(await deliverWebhook.handler(fakeJob({ deliveryId }), { ...context, settings: publicOnly, resolveHost })).toEqual({ delivered: false });
    });
  });

  it('refuses when any one of the addresses is internal, in IPv6 and IPv4-mapped forms too', async () => {
    for (const addresses of [['93.184.216.34', '127.0.0.1'], ['2606:4700:4700::1111', '::1'], ['::ffff:169.254.169.254'], ['fd00:ec2::254']]) {
      await withDelivery(`https://hooks.example.test/hooks`, async (deliveryId) => {
        const { resolveHost } = stubResolver(...addresses);
        expect(await deliverWebhook.handler(fakeJob({ deliveryId }), { ...context, settings: publicOnly, resolveHost })).toEqual({ delivered: false });
        const row = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
        expect(row.status, addresses.join()).toBe('failed');
        expect(row.lastError).toMatch(/^refused: hooks\.example\.test resolves to /);
      });
    }
    expect(received).toHaveLength(0);
  });

  it('refuses a saved URL that the guard would refuse now (an internal literal, http in production) without resolving', async () => {
    for (const [url, reason] of [
      [`http://127.0.0.1:${port}/hooks`, 'use an https:// URL'],
      [`https://127.0.0.1:${port}/hooks`, 'refused: 127.0.0.1 is a loopback address'],
      [`https://localhost:${port}/hooks`, 'refused: localhost is a local host name'],
    ] as const) {
      await withDelivery(url, async (deliveryId) => {
        const { asked, resolveHost } = stubResolver('93.184.216.34');
        expect(await deliverWebhook.handler(fakeJob({ deliveryId }), { ...context, settings: publicOnly, resolveHost })).toEqual({ delivered: false });
        expect(asked).toEqual([]);
        const row = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
        expect(row.status).toBe('failed');
        expect(row.lastError).toContain(reason);
      });
    }
    expect(received).toHaveLength(0);
  });

  it('connects to the address it checked, with the URL’s name as Host', async () => {
    // hooks.example.test resolves nowhere: only the vetted address from the resolver is used.
    await withDelivery(`http://hooks.example.test:${port}/hooks?x=1`, async (deliveryId) => {
      const { asked, resolveHost } = stubResolver('127.0.0.1');
      expect(await deliverWebhook.handler(fakeJob({ deliveryId }), { ...context, resolveHost })).toEqual({ delivered: true });
      expect(asked).toEqual(['hooks.example.test']);
      expect(received).toEqual([{ host: `hooks.example.test:${port}`, url: '/hooks?x=1' }]);
    });
  });

  it('does not follow redirects: a 302 fails the attempt, for a retry', async () => {
    answer = 302;
    await withDelivery(`http://127.0.0.1:${port}/hooks`, async (deliveryId) => {
      await expect(deliverWebhook.handler(fakeJob({ deliveryId }), context)).rejects.toThrow('answered 302');
      expect(received.map((request) => request.url)).toEqual(['/hooks']);
      expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 302 });
    });
  });

  it('retries when the name does not resolve', async () => {
    await withDelivery(`https://hooks.example.test/hooks`, async (deliveryId) => {
      const resolveHost: ResolveHost = () => Promise.reject(new Error('getaddrinfo ENOTFOUND hooks.example.test'));
      await expect(deliverWebhook.handler(fakeJob({ deliveryId }), { ...context, settings: publicOnly, resolveHost })).rejects.toThrow('ENOTFOUND');
      expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: 'pending', attempts: 1, lastError: 'getaddrinfo ENOTFOUND hooks.example.test' });
    });
  });
});

describe('approval-digest job', () => {
  it('lists what waits for each approver, overdue ones marked, once per day', async () => {
    const old = await submitted('Old copy');
    await prisma.$executeRaw`UPDATE location_campaigns SET submitted_at = now() - interval '3 days' WHERE id = ${old.id}::uuid`;
    await submitted('New copy');
    const now = new Date();
    const result = await approvalDigest.handler(fakeJob(), context, now);
    // The manager and the admin; the author created everything that waits, so nothing waits for them.
    expect(result.digests).toBe(2);
    const digest = await prisma.emailOutbox.findUniqueOrThrow({ where: { dedupeKey: `digest:${users.manager.id}:${now.toISOString().slice(0, 10)}` } });
    const waiting = await prisma.locationCampaign.count({ where: { status: 'pending_review', createdById: { not: users.manager.id } } });
    expect(digest.subject).toMatch(new RegExp(`^${waiting} campaigns waiting for your review, (at least )?\\d+ overdue$`));
    expect(digest.textBody).toContain(`OVERDUE Store 001 · Seasonal sale (Acme Hardware), waiting 3 days: https://storesync.test/approvals/campaigns/${old.id}`);
    expect(digest.textBody).toContain('The whole queue: https://storesync.test/approvals');
    expect(await prisma.emailOutbox.findUnique({ where: { dedupeKey: `digest:${users.author.id}:${now.toISOString().slice(0, 10)}` } })).toBeNull();
    expect((await approvalDigest.handler(fakeJob(), context, now)).digests).toBe(0);
  });
});

describe('startNotificationWorker', () => {
  it('emails the approvers of a submitted campaign within seconds, through the real queue', async () => {
    const workerPrefix = `${prefix}-live`;
    const recording = new RecordingMailer();
    const notifications = await startNotificationWorker({ connection: connection(), prefix: workerPrefix, prisma, logger, settings, mailer: recording });
    try {
      const schedulers = await notifications.queue.getJobSchedulers();
      expect(schedulers.map((scheduler) => scheduler.name).sort()).toEqual(['approval-digest', 'approval-events']);
      await submitted('Live copy');
      const deadline = Date.now() + 15_000;
      while (recording.sent.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(recording.sent.map((email) => email.to).sort()).toEqual([users.admin.email, users.manager.email]);
    } finally {
      await notifications.close();
      const cleanup = new Queue(NOTIFICATIONS_QUEUE, { connection: connection(), prefix: workerPrefix });
      await cleanup.obliterate({ force: true });
      await cleanup.close();
    }
  });
});
