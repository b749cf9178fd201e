/**
 * Which campaigns a run request covers and what would happen to each: generated, or skipped with
 * a reason. Shared by the run itself and its estimate, so the two always agree.
 */
import { GENERATABLE_STATUSES } from '@storesync/core';
import type { Prisma, PrismaClient } from '@storesync/db';
import { campaignWhere, canSeeBrand } from '../../lib/access.ts';
import { notFound, validationFailed } from '../../lib/errors.ts';
import type { AuthUser } from '../../lib/types.ts';
import {
  fingerprintsFor,
  generationIdentity,
  planGenerations,
  type GenerationOptions,
  type PlannedGeneration,
} from '../generation/enqueue.ts';
import { MAX_RUN_CAMPAIGNS, type RunRequest } from './runs.routes.ts';

/** A campaign with everything its generation (and its estimate) reads. */
export const runCampaignInclude = {
  template: { select: { version: true, contentTemplate: true } },
  location: {
    select: {
      name: true,
      storeNumber: true,
      address: true,
      attributes: true,
      brandId: true,
      brand: { select: { name: true, settings: true } },
    },
  },
} as const satisfies Prisma.LocationCampaignInclude;

export type RunCampaign = Prisma.LocationCampaignGetPayload<{ include: typeof runCampaignInclude }>;

/** A type, not an interface, so it can be stored as JSON. */
export type SkippedReasons = {
  unchanged: number;
  in_progress: number;
  locked: number;
  not_found: number;
};

export type PlannedCampaign = PlannedGeneration & { campaign: RunCampaign };

export interface RunPlan {
  /** Campaigns the request named or matched. */
  total: number;
  /** The campaigns to generate: plans whose outcome is `create` or `requeue`. */
  toGenerate: PlannedCampaign[];
  skipped: number;
  skippedReasons: SkippedReasons;
}

export const runOptionsOf = (body: RunRequest): GenerationOptions => ({
  useSimilarContent: body.use_similar_content,
  additionalContext: body.additional_context,
  force: body.force,
});

/** The request's own selection; the schema guarantees exactly one of ids and filter. */
function selectionWhere(user: AuthUser, body: RunRequest): Prisma.LocationCampaignWhereInput {
  const { filter } = body;
  if (!filter) return { id: { in: body.campaign_ids ?? [] } };
  if (!canSeeBrand(user, filter.brand)) throw notFound('Brand');
  return {
    location: { brandId: filter.brand },
    ...(filter.template ? { templateId: filter.template } : {}),
    ...(filter.status ? { status: { in: filter.status } } : {}),
  };
}

export async function planRun(prisma: PrismaClient, user: AuthUser, body: RunRequest): Promise<RunPlan> {
  const scope: Prisma.LocationCampaignWhereInput = { AND: [campaignWhere(user), selectionWhere(user, body)] };
  const [campaigns, locked] = await Promise.all([
    prisma.locationCampaign.findMany({
      where: { AND: [scope, { status: { in: [...GENERATABLE_STATUSES] } }] },
      include: runCampaignInclude,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: MAX_RUN_CAMPAIGNS + 1,
    }),
    prisma.locationCampaign.count({ where: { AND: [scope, { status: { notIn: [...GENERATABLE_STATUSES] } }] } }),
  ]);
  if (campaigns.length > MAX_RUN_CAMPAIGNS) {
    throw validationFailed([
      { field: 'filter', message: `matches more than ${MAX_RUN_CAMPAIGNS} campaigns to generate; narrow it by template or status` },
    ]);
  }
  const options = runOptionsOf(body);
  const examples = await fingerprintsFor(prisma, campaigns.map((campaign) => campaign.location.brandId), options);
  const plans = await planGenerations(
    prisma,
    campaigns.map((campaign) => ({ ...generationIdentity(campaign, campaign.location.brand.settings, options, examples), campaign })),
  );
  const total = body.campaign_ids ? new Set(body.campaign_ids).size : campaigns.length + locked;
  const toGenerate = plans.filter((plan) => plan.outcome === 'create' || plan.outcome === 'requeue');
  const skippedReasons: SkippedReasons = {
    unchanged: plans.filter((plan) => plan.outcome === 'unchanged').length,
    in_progress: plans.filter((plan) => plan.outcome === 'in_progress').length,
    locked,
    not_found: total - campaigns.length - locked,
  };
  return { total, toGenerate, skipped: total - toGenerate.length, skippedReasons };
}
