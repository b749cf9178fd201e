import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import {
  CAMPAIGN_STATUSES,
  CONTENT_EDIT_RESETS,
  TRANSITIONS,
  WORKFLOW_ACTIONS,
  missingRequiredVariables,
  type CampaignStatus,
} from '@storesync/core';
import { verifyPassword } from '@storesync/core/passwords';
import { createPrismaClient, type PrismaClient } from '../client.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import type { BrandSettings } from './demo-data.ts';
import { DEMO_ACCOUNTS, DEMO_BRANDS, DEMO_PASSWORD, formatAccountsTable, seedDemoData, type SeedReport } from './seed.ts';

let database: TestDatabase;
let prisma: PrismaClient;
let first: SeedReport;
let second: SeedReport;
let afterFirst: Awaited<ReturnType<typeof snapshot>>;
let afterSecond: Awaited<ReturnType<typeof snapshot>>;
const now = new Date();

/** Every row of every table the seed writes, in a stable order. */
async function snapshot(client: PrismaClient) {
  return {
    users: await client.user.findMany({ orderBy: { id: 'asc' } }),
    brands: await client.brand.findMany({ orderBy: { id: 'asc' } }),
    memberships: await client.brandMembership.findMany({ orderBy: [{ userId: 'asc' }, { brandId: 'asc' }] }),
    assignments: await client.locationAssignment.findMany({ orderBy: [{ userId: 'asc' }, { locationId: 'asc' }] }),
    locations: await client.location.findMany({ orderBy: { id: 'asc' } }),
    templates: await client.campaignTemplate.findMany({ orderBy: { id: 'asc' } }),
    campaigns: await client.locationCampaign.findMany({ orderBy: { id: 'asc' } }),
    steps: await client.approvalStep.findMany({ orderBy: { id: 'asc' } }),
  };
}

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseServerUrl'), inject('templateDatabase'));
  prisma = createPrismaClient(database.url, { poolSize: 2 });
  first = await seedDemoData(prisma, { now });
  afterFirst = await snapshot(prisma);
  // A second run an hour later must find everything in place and change nothing.
  second = await seedDemoData(prisma, { now: new Date(now.getTime() + 60 * 60 * 1000) });
  afterSecond = await snapshot(prisma);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

const expectedCampaigns = DEMO_BRANDS.reduce((sum, brand) => sum + brand.campaigns.length, 0);

describe('seedDemoData', () => {
  it('creates two brands, about 30 locations, templates, campaigns and one account per role', () => {
    expect(afterFirst.brands).toHaveLength(2);
    expect(afterFirst.locations).toHaveLength(30);
    expect(afterFirst.users).toHaveLength(DEMO_ACCOUNTS.length);
    expect(new Set(afterFirst.users.map((user) => user.role))).toEqual(
      new Set(['admin', 'brand_manager', 'location_manager', 'viewer']),
    );
    expect(afterFirst.campaigns).toHaveLength(expectedCampaigns);
    for (const brand of afterFirst.brands) {
      expect(afterFirst.templates.filter((template) => template.brandId === brand.id).length).toBeGreaterThanOrEqual(3);
    }
    expect(first.brands.every((brand) => brand.created && brand.campaignsCreated > 0)).toBe(true);
    expect(first.accounts.every((account) => account.created && account.demoPasswordWorks)).toBe(true);
  });

  it('is idempotent: a second run creates nothing and changes no row', () => {
    expect(afterSecond).toEqual(afterFirst);
    for (const brand of second.brands) {
      expect(brand).toMatchObject({ created: false, locationsCreated: 0, templatesCreated: 0, campaignsCreated: 0 });
    }
    expect(second.accounts.every((account) => !account.created && account.demoPasswordWorks)).toBe(true);
  });

  it('keeps what was edited since (it creates what is missing, never overwrites)', async () => {
    const brand = afterFirst.brands[0]!;
    const location = afterFirst.locations.find((row) => row.brandId === brand.id)!;
    await prisma.brand.update({ where: { id: brand.id }, data: { name: 'Renamed by a user' } });
    await prisma.location.delete({ where: { id: location.id } });
    const report = await seedDemoData(prisma, { now });
    expect(report.brands.find((row) => row.slug === brand.slug)).toMatchObject({
      name: 'Renamed by a user',
      locationsCreated: 1,
      campaignsCreated: 0,
    });
    await prisma.brand.update({ where: { id: brand.id }, data: { name: brand.name } });
  });

  it('has campaigns in every status for every brand', () => {
    for (const brand of afterFirst.brands) {
      const locationIds = new Set(afterFirst.locations.filter((row) => row.brandId === brand.id).map((row) => row.id));
      const statuses = new Set(afterFirst.campaigns.filter((row) => locationIds.has(row.locationId)).map((row) => row.status));
      expect([...statuses].sort(), brand.slug).toEqual([...CAMPAIGN_STATUSES].sort());
    }
  });

  it('gives every location a unique store number and a complete US address', () => {
    const numbers = afterFirst.locations.map((row) => row.storeNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const location of afterFirst.locations) {
      expect(location.storeNumber).toMatch(/^\d{4}$/);
      expect(location.address).toMatchObject({
        street: expect.stringMatching(/^\d+ \S/),
        city: expect.any(String),
        state: expect.stringMatching(/^[A-Z]{2}$/),
        zip: expect.stringMatching(/^\d{5}$/),
      });
      expect(location.attributes).toMatchObject({ square_footage: expect.any(Number), region: expect.any(String) });
    }
  });

  it('gives each brand the settings the copy is checked against', () => {
    for (const brand of afterFirst.brands) {
      expect(brand.settings).toMatchObject({
        max_length: expect.any(Number),
        banned_phrases: expect.any(Array),
        required_phrases: expect.any(Array),
        tone: expect.any(String),
      });
    }
  });

  it('signs in every demo account with the demo password and scopes them as documented', async () => {
    for (const user of afterFirst.users) {
      expect(await verifyPassword(DEMO_PASSWORD, user.passwordHash), user.email).toBe(true);
    }
    const byEmail = new Map(afterFirst.users.map((user) => [user.email, user]));
    const brandManagers = afterFirst.users.filter((user) => user.role === 'brand_manager');
    for (const brand of afterFirst.brands) {
      const members = afterFirst.memberships.filter((row) => row.brandId === brand.id).map((row) => row.userId);
      expect(brandManagers.some((user) => members.includes(user.id)), brand.slug).toBe(true);
    }
    const locationManager = afterFirst.users.find((user) => user.role === 'location_manager')!;
    const assigned = afterFirst.assignments.filter((row) => row.userId === locationManager.id);
    expect(assigned).toHaveLength(2);
    const memberOf = afterFirst.memberships.filter((row) => row.userId === locationManager.id).map((row) => row.brandId);
    for (const assignment of assigned) {
      const location = afterFirst.locations.find((row) => row.id === assignment.locationId)!;
      expect(memberOf).toContain(location.brandId);
    }
    expect(byEmail.get(DEMO_ACCOUNTS[0]!.email)?.role).toBe('admin');
    expect(formatAccountsTable(first.accounts)).toContain(DEMO_PASSWORD);
  });

  it('records approval histories the workflow allows, never approved or rejected by the creator', () => {
    const users = new Map(afterFirst.users.map((user) => [user.id, user]));
    const assignments = afterFirst.assignments;
    const transitionByDecision = new Map(WORKFLOW_ACTIONS.map((action) => [TRANSITIONS[action].decision, TRANSITIONS[action]]));
    const reviewDecisions = new Set<string>();
    for (const campaign of afterFirst.campaigns) {
      const steps = afterFirst.steps
        .filter((step) => step.campaignId === campaign.id)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      const creator = users.get(campaign.createdById!)!;
      let status: CampaignStatus = 'draft';
      let previousAt = campaign.createdAt;
      for (const step of steps) {
        const label = `${campaign.id} ${step.decision}`;
        const approver = users.get(step.approverId!)!;
        expect(step.previousStatus, label).toBe(status);
        expect(step.createdAt.getTime(), label).toBeGreaterThan(previousAt.getTime());
        expect(step.createdAt.getTime(), label).toBeLessThanOrEqual(now.getTime());
        if (step.decision === 'content_edited') {
          expect(CONTENT_EDIT_RESETS, label).toContain(step.previousStatus);
          expect(step.newStatus, label).toBe('draft');
          expect(approver.role, label).not.toBe('viewer');
        } else {
          const transition = transitionByDecision.get(step.decision)!;
          expect(transition, label).toBeDefined();
          expect(transition.from, label).toContain(step.previousStatus);
          expect(step.newStatus, label).toBe(transition.to);
          if (transition.commentRequired) expect(step.comments.trim(), label).not.toBe('');
          if (transition.actor === 'reviewer') {
            reviewDecisions.add(step.decision);
            expect(step.approverId, `${label}: reviewed by its creator`).not.toBe(campaign.createdById);
          }
          if (transition.actor !== 'editor') expect(['admin', 'brand_manager'], label).toContain(approver.role);
          if (transition.actor === 'editor') expect(approver.id, label).toBe(creator.id);
        }
        status = step.newStatus;
        previousAt = step.createdAt;
      }
      expect(status, `${campaign.id}: history ends elsewhere`).toBe(campaign.status);
      expect(campaign.updatedAt.getTime()).toBe(previousAt.getTime());

      // Location managers only create campaigns for the locations assigned to them.
      if (creator.role === 'location_manager') {
        expect(assignments.some((row) => row.userId === creator.id && row.locationId === campaign.locationId)).toBe(true);
      }
    }
    expect([...reviewDecisions].sort()).toEqual(['approved', 'rejected', 'requested_changes']);
  });

  it('dates scheduled, active and completed campaigns consistently with now', () => {
    for (const campaign of afterFirst.campaigns) {
      if (!['scheduled', 'active', 'completed'].includes(campaign.status)) continue;
      const start = campaign.scheduledStart!.getTime();
      const end = campaign.scheduledEnd!.getTime();
      expect(start).toBeLessThan(end);
      if (campaign.status === 'scheduled') expect(start).toBeGreaterThan(now.getTime());
      if (campaign.status === 'active') expect(start <= now.getTime() && now.getTime() < end).toBe(true);
      if (campaign.status === 'completed') expect(end).toBeLessThan(now.getTime());
    }
  });

  it('generates copy from the template that follows the brand settings', () => {
    const templates = new Map(afterFirst.templates.map((template) => [template.id, template]));
    const locations = new Map(afterFirst.locations.map((location) => [location.id, location]));
    const brands = new Map(afterFirst.brands.map((brand) => [brand.id, brand]));
    for (const campaign of afterFirst.campaigns) {
      const template = templates.get(campaign.templateId)!;
      const location = locations.get(campaign.locationId)!;
      const brand = brands.get(location.brandId)!;
      const settings = brand.settings as BrandSettings;
      const content = campaign.generatedContent;
      expect(template.brandId).toBe(brand.id);
      expect(template.isActive).toBe(true);
      expect(location.isActive).toBe(true);
      expect(content).not.toMatch(/\{\{|\}\}/);
      expect(content).toContain(location.name);
      expect(content.length, content).toBeLessThanOrEqual(settings.max_length);
      for (const phrase of settings.required_phrases) expect(content).toContain(phrase);
      for (const phrase of settings.banned_phrases) expect(content.toLowerCase()).not.toContain(phrase.toLowerCase());
      const customizations = campaign.customizations as Record<string, unknown>;
      expect(missingRequiredVariables(template.requiredVariables as string[], customizations)).toEqual([]);
      const spec = DEMO_BRANDS.flatMap((row) => row.templates).find((row) => row.name === template.name)!;
      if (spec.requiresAttribute) expect((location.attributes as Record<string, unknown>)[spec.requiresAttribute]).toBe(true);
    }
  });
});
