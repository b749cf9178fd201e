/**
 * Writes the demo data of `demo-data.ts`. Idempotent: it creates what is missing and never
 * changes or deletes what exists, so running it again (every `npm start` does) keeps whatever
 * was edited through the API since. Keys: brand slug, (brand, store number), template name
 * within its brand, user email; a brand's campaigns are created only while it has none, all in
 * one transaction, so a failed run does not leave half of them behind.
 */
import {
  CONTENT_EDIT_RESETS,
  TRANSITIONS,
  renderTemplate,
  type ApprovalDecision,
  type CampaignStatus,
  type WorkflowAction,
} from '@storesync/core';
import { hashPassword, verifyPassword } from '@storesync/core/passwords';
import type { PrismaClient } from '../client.ts';
import type { Brand, CampaignTemplate, Location, User } from '../generated/client.ts';
import {
  DEMO_ACCOUNTS,
  DEMO_BRANDS,
  DEMO_PASSWORD,
  type AccountKey,
  type CampaignDates,
  type DemoBrand,
  type DemoCampaign,
  type DemoRole,
} from './demo-data.ts';

export { DEMO_ACCOUNTS, DEMO_BRANDS, DEMO_PASSWORD } from './demo-data.ts';

export interface SeedOptions {
  /** The moment campaign dates and histories are laid out around (default: now). */
  now?: Date;
}

export interface SeededAccount {
  email: string;
  role: DemoRole;
  scope: string;
  created: boolean;
  /** False when the account's password is no longer the demo password (changed since). */
  demoPasswordWorks: boolean;
  isActive: boolean;
}

export interface SeededBrand {
  slug: string;
  name: string;
  created: boolean;
  locationsCreated: number;
  templatesCreated: number;
  /** Campaigns created in this run; 0 when the brand already had campaigns. */
  campaignsCreated: number;
}

export interface SeedReport {
  brands: SeededBrand[];
  accounts: SeededAccount[];
}

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** The first actions of a campaign's history when it took a detour before its final path. */
type HistoryAction = WorkflowAction | 'edit_content';
const DETOURS: Record<NonNullable<DemoCampaign['detour']>, HistoryAction[]> = {
  after_changes: ['submit', 'request_changes'],
  after_rejection: ['submit', 'reject', 'revise'],
  content_edited: ['submit', 'edit_content'],
};

/** The direct path from draft to each status. */
const PATHS: Record<CampaignStatus, WorkflowAction[]> = {
  draft: [],
  pending_review: ['submit'],
  approved: ['submit', 'approve'],
  rejected: ['submit', 'reject'],
  scheduled: ['submit', 'approve', 'schedule'],
  active: ['submit', 'approve', 'schedule', 'activate'],
  completed: ['submit', 'approve', 'schedule', 'activate', 'complete'],
};

/** Statuses whose campaigns carry their run's dates in scheduled_start / scheduled_end. */
const DATED_STATUSES: readonly CampaignStatus[] = ['approved', 'scheduled', 'active', 'completed'];

export async function seedDemoData(prisma: PrismaClient, options: SeedOptions = {}): Promise<SeedReport> {
  const now = options.now ?? new Date();
  const { users, accounts } = await seedAccounts(prisma);
  const brands: SeededBrand[] = [];
  for (const spec of DEMO_BRANDS) {
    brands.push(await seedBrand(prisma, spec, users, now));
  }
  return { brands, accounts };
}

async function seedAccounts(prisma: PrismaClient) {
  const users = new Map<AccountKey, User>();
  const accounts: SeededAccount[] = [];
  for (const account of DEMO_ACCOUNTS) {
    let user = await prisma.user.findUnique({ where: { email: account.email } });
    const created = !user;
    user ??= await prisma.user.create({
      data: {
        email: account.email,
        passwordHash: await hashPassword(DEMO_PASSWORD),
        firstName: account.firstName,
        lastName: account.lastName,
        role: account.role,
      },
    });
    users.set(account.key, user);
    accounts.push({
      email: user.email,
      role: user.role,
      scope: account.scope,
      created,
      demoPasswordWorks: created || (await verifyPassword(DEMO_PASSWORD, user.passwordHash)),
      isActive: user.isActive,
    });
  }
  return { users, accounts };
}

async function seedBrand(
  prisma: PrismaClient,
  spec: DemoBrand,
  users: Map<AccountKey, User>,
  now: Date,
): Promise<SeededBrand> {
  let brand = await prisma.brand.findUnique({ where: { slug: spec.slug } });
  const created = !brand;
  brand ??= await prisma.brand.create({ data: { slug: spec.slug, name: spec.name, settings: spec.settings } });

  const { count: locationsCreated } = await prisma.location.createMany({
    data: spec.locations.map((location) => ({
      brandId: brand.id,
      storeNumber: location.storeNumber,
      name: location.name,
      address: location.address,
      attributes: location.attributes,
      isActive: location.isActive ?? true,
    })),
    skipDuplicates: true,
  });
  const locations = new Map(
    (await prisma.location.findMany({ where: { brandId: brand.id } })).map((location) => [location.storeNumber, location]),
  );

  const existingTemplates = await prisma.campaignTemplate.findMany({ where: { brandId: brand.id } });
  const templateByName = new Map(existingTemplates.map((template) => [template.name, template]));
  let templatesCreated = 0;
  const templates = new Map<string, CampaignTemplate>();
  for (const template of spec.templates) {
    let row = templateByName.get(template.name);
    if (!row) {
      row = await prisma.campaignTemplate.create({
        data: {
          brandId: brand.id,
          name: template.name,
          description: template.description,
          contentTemplate: template.contentTemplate,
          requiredVariables: template.requiredVariables,
          campaignType: template.campaignType,
          isActive: template.isActive ?? true,
        },
      });
      templatesCreated += 1;
    }
    templates.set(template.key, row);
  }

  await seedMemberships(prisma, brand, locations, users);

  const campaignsCreated = await seedCampaigns(prisma, spec, brand, locations, templates, users, now);
  return { slug: brand.slug, name: brand.name, created, locationsCreated, templatesCreated, campaignsCreated };
}

/** Brand memberships and location assignments of the demo accounts (re-added if removed). */
async function seedMemberships(
  prisma: PrismaClient,
  brand: Brand,
  locations: Map<string, Location>,
  users: Map<AccountKey, User>,
) {
  const members = DEMO_ACCOUNTS.filter((account) => account.brands.includes(brand.slug));
  await prisma.brandMembership.createMany({
    data: members.map((account) => ({ userId: requireValue(users, account.key).id, brandId: brand.id })),
    skipDuplicates: true,
  });
  const assignments = DEMO_ACCOUNTS.flatMap((account) =>
    account.locations
      .filter((location) => location.brand === brand.slug)
      .map((location) => ({
        userId: requireValue(users, account.key).id,
        locationId: requireValue(locations, location.storeNumber).id,
      })),
  );
  await prisma.locationAssignment.createMany({ data: assignments, skipDuplicates: true });
}

async function seedCampaigns(
  prisma: PrismaClient,
  spec: DemoBrand,
  brand: Brand,
  locations: Map<string, Location>,
  templates: Map<string, CampaignTemplate>,
  users: Map<AccountKey, User>,
  now: Date,
): Promise<number> {
  const existing = await prisma.locationCampaign.count({ where: { location: { brandId: brand.id } } });
  if (existing > 0) return 0;

  const creates = [];
  for (const campaign of spec.campaigns) {
    const location = requireValue(locations, campaign.store);
    const template = requireValue(templates, campaign.template);
    const plan = planCampaign(spec, campaign, now);
    const customizations = campaign.customizations(plan.dates);
    const generatedContent = await renderTemplate(template.contentTemplate, {
      location: {
        name: location.name,
        store_number: location.storeNumber,
        address: location.address as Record<string, unknown>,
        attributes: location.attributes as Record<string, unknown>,
      },
      customizations,
      brand: { name: brand.name },
    });
    const dated = DATED_STATUSES.includes(campaign.status);
    creates.push(
      prisma.locationCampaign.create({
        data: {
          locationId: location.id,
          templateId: template.id,
          createdById: requireValue(users, campaign.createdBy).id,
          status: campaign.status,
          customizations,
          generatedContent,
          scheduledStart: dated ? plan.runStart : null,
          scheduledEnd: dated ? plan.runEnd : null,
          createdAt: plan.createdAt,
          updatedAt: plan.steps.at(-1)?.at ?? plan.createdAt,
          approvalSteps: {
            createMany: {
              data: plan.steps.map((step) => ({
                approverId: requireValue(users, step.actor).id,
                decision: step.decision,
                comments: step.comments,
                previousStatus: step.previousStatus,
                newStatus: step.newStatus,
                createdAt: step.at,
                updatedAt: step.at,
              })),
            },
          },
        },
      }),
    );
  }
  await prisma.$transaction(creates);
  return creates.length;
}

export interface PlannedStep {
  action: HistoryAction;
  decision: ApprovalDecision;
  previousStatus: CampaignStatus;
  newStatus: CampaignStatus;
  actor: AccountKey;
  comments: string;
  at: Date;
}

export interface CampaignPlan {
  createdAt: Date;
  runStart: Date;
  runEnd: Date;
  dates: CampaignDates;
  steps: PlannedStep[];
}

/** A day relative to `now`, at a fixed UTC hour (15:00 UTC is early morning across the US). */
function dayAt(now: Date, days: number, utcHour: number): Date {
  const day = new Date(now.getTime() + days * DAY);
  day.setUTCHours(utcHour, 0, 0, 0);
  return day;
}

const formatDate = (date: Date) => date.toLocaleDateString('en-US', { month: 'long', day: 'numeric', timeZone: 'UTC' });
const formatDay = (date: Date) =>
  date.toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' });

/**
 * Lays out a campaign's history: every step is a transition of the workflow in
 * `@storesync/core` (or a content edit, which sends a campaign in review back to draft), taken
 * by someone allowed to take it: editors submit and revise their own campaigns, a reviewer who
 * is not the creator approves, rejects or requests changes, the brand manager schedules,
 * activates and completes. Steps are spaced out between creation and the run's start.
 */
export function planCampaign(brand: DemoBrand, campaign: DemoCampaign, now: Date): CampaignPlan {
  const runStart = dayAt(now, campaign.run.startDays, 15);
  const runEnd = dayAt(now, campaign.run.endDays, 23);
  const createdAt = new Date(now.getTime() - campaign.ageDays * DAY - 3 * HOUR);
  const reviewer: AccountKey = campaign.createdBy === brand.manager ? 'admin' : brand.manager;
  const actions: HistoryAction[] = [...(campaign.detour ? DETOURS[campaign.detour] : []), ...PATHS[campaign.status]];

  // Detours lead back to draft: for a draft they are the whole history.
  if (campaign.detour && campaign.status === 'draft') actions.splice(DETOURS[campaign.detour].length);

  const timedByRun = actions.filter((action) => action === 'activate' || action === 'complete').length;
  const early = actions.length - timedByRun;
  const limit = Math.min(now.getTime() - HOUR, timedByRun ? runStart.getTime() - HOUR : Infinity);
  const gap = Math.min(22 * HOUR, (limit - createdAt.getTime()) / (early + 1));
  if (gap <= 0) throw new Error(`demo campaign ${brand.slug}/${campaign.store}/${campaign.template}: created after its run started`);

  let status: CampaignStatus = 'draft';
  let detourReviewDone = false;
  const steps = actions.map((action, index): PlannedStep => {
    const at =
      action === 'activate' ? runStart : action === 'complete' ? runEnd : new Date(createdAt.getTime() + (index + 1) * gap);
    const previousStatus = status;
    if (action === 'edit_content') {
      if (!CONTENT_EDIT_RESETS.includes(status)) throw new Error(`content edit from ${status} does not reset to draft`);
      status = 'draft';
      return { action, decision: 'content_edited', previousStatus, newStatus: status, actor: campaign.createdBy, comments: '', at };
    }
    const transition = TRANSITIONS[action];
    if (!transition.from.includes(status)) throw new Error(`demo campaign history: cannot ${action} from ${status}`);
    status = transition.to;
    const actor =
      transition.actor === 'editor' ? campaign.createdBy : transition.actor === 'reviewer' ? reviewer : brand.manager;
    let comments = '';
    if (action === 'request_changes' || action === 'reject' || action === 'approve') {
      // The detour's review comes first; the final decision's comment is the campaign's reviewComment.
      const isDetourReview = campaign.detour !== undefined && action !== 'approve' && !detourReviewDone;
      comments = (isDetourReview ? campaign.detourComment : campaign.reviewComment) ?? '';
      if (isDetourReview) detourReviewDone = true;
    }
    if (transition.commentRequired && !comments) {
      throw new Error(`demo campaign ${brand.slug}/${campaign.store}/${campaign.template}: ${action} needs a comment`);
    }
    return { action, decision: transition.decision, previousStatus, newStatus: status, actor, comments, at };
  });
  if (status !== campaign.status) throw new Error(`demo campaign history ends in ${status}, not ${campaign.status}`);
  steps.forEach((step, index) => {
    const before = index === 0 ? createdAt : steps[index - 1]!.at;
    if (step.at <= before || step.at > now) throw new Error(`demo campaign history out of order at ${step.action}`);
  });

  return {
    createdAt,
    runStart,
    runEnd,
    dates: { start: formatDate(runStart), end: formatDate(runEnd), startDay: formatDay(runStart) },
    steps,
  };
}

function requireValue<K, V>(map: Map<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`demo data refers to unknown ${String(key)}`);
  return value;
}

/** The accounts table printed after seeding and at `npm start`. */
export function formatAccountsTable(accounts: readonly SeededAccount[]): string {
  const rows = accounts.map((account) => [
    account.email,
    account.role,
    !account.isActive ? '(deactivated)' : account.demoPasswordWorks ? DEMO_PASSWORD : '(changed since seeding)',
    account.scope,
  ]);
  const header = ['email', 'role', 'password', 'can see and do'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
