import type { RouteHandler } from '@hono/zod-openapi';
import {
  CONTENT_EDIT_RESETS,
  EDITABLE_STATUSES,
  missingPlaceholders,
  missingRequiredVariables,
  renderTemplate,
  type TemplateContext,
} from '@storesync/core';
import { setCampaignEmbedding, type Prisma, type PrismaClient } from '@storesync/db';
import { assertCanWrite, campaignWhere, isReviewer, locationWhere } from '../../lib/access.ts';
import { ApiError, ErrorCode, notFound, validationFailed, type FieldProblem } from '../../lib/errors.ts';
import { pageWindow, paginated } from '../../lib/pagination.ts';
import type { AppBindings, AuthUser } from '../../lib/types.ts';
import type {
  createCampaign,
  deleteCampaign,
  getCampaign,
  listCampaigns,
  previewCampaign,
  updateCampaign,
} from './campaigns.routes.ts';
import {
  campaignDetailInclude,
  campaignListSelect,
  toCampaignDetailJson,
  toCampaignListJson,
  type CampaignDetailRow,
} from './campaigns.serializers.ts';

/** A campaign the user may see, with everything the detail view needs, or 404. */
export async function findVisibleCampaign(prisma: PrismaClient, user: AuthUser, id: string): Promise<CampaignDetailRow> {
  const campaign = await prisma.locationCampaign.findFirst({
    where: { AND: [{ id }, campaignWhere(user)] },
    include: campaignDetailInclude,
  });
  if (!campaign) throw notFound('Campaign');
  return campaign;
}

export function requiredVariablesOf(template: { requiredVariables: Prisma.JsonValue }): string[] {
  const value = template.requiredVariables;
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** 400 naming each required variable the customizations lack. */
export function assertRequiredVariables(templateName: string, required: string[], customizations: Record<string, unknown>) {
  const missing = missingRequiredVariables(required, customizations);
  if (missing.length === 0) return;
  throw validationFailed(
    missing.map((name) => ({ field: `customizations.${name}`, message: `required by template "${templateName}"; add a value` })),
    `Missing required variables: ${missing.join(', ')}`,
  );
}

/** 400 when the schedule ends before it starts. */
export function assertScheduleOrder(start: Date | null, end: Date | null) {
  if (start && end && end <= start) {
    throw validationFailed([{ field: 'scheduled_end', message: 'must be after scheduled_start' }]);
  }
}

const toDate = (value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : new Date(value));

export const listCampaignsHandler: RouteHandler<typeof listCampaigns, AppBindings> = async (c) => {
  const { prisma, env } = c.get('deps');
  const query = c.req.valid('query');
  const filters: Prisma.LocationCampaignWhereInput[] = [campaignWhere(c.get('user'))];
  if (query.status?.length) filters.push({ status: { in: query.status } });
  if (query.location) filters.push({ locationId: query.location });
  if (query.brand) filters.push({ location: { brandId: query.brand } });
  if (query.template) filters.push({ templateId: query.template });
  const where = { AND: filters };
  const [count, campaigns] = await Promise.all([
    prisma.locationCampaign.count({ where }),
    prisma.locationCampaign.findMany({
      relationLoadStrategy: 'join',
      where,
      select: campaignListSelect,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      ...pageWindow(query),
    }),
  ]);
  return c.json(paginated(c, query, count, campaigns.map(toCampaignListJson), env.PUBLIC_URL), 200);
};

export const createCampaignHandler: RouteHandler<typeof createCampaign, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  assertCanWrite(user);
  const body = c.req.valid('json');
  const location = await prisma.location.findFirst({ where: { AND: [{ id: body.location }, locationWhere(user)] } });
  if (!location) throw validationFailed([{ field: 'location', message: 'no location with this id that you can access' }]);
  const template = await prisma.campaignTemplate.findFirst({ where: { id: body.template, brandId: location.brandId } });
  const templateProblems: FieldProblem[] = [];
  if (!template) templateProblems.push({ field: 'template', message: 'no template with this id in the location’s brand' });
  else if (!template.isActive) templateProblems.push({ field: 'template', message: `template "${template.name}" is inactive; pick an active one` });
  if (!template || templateProblems.length) throw validationFailed(templateProblems);
  assertRequiredVariables(template.name, requiredVariablesOf(template), body.customizations);
  const scheduledStart = toDate(body.scheduled_start) ?? null;
  const scheduledEnd = toDate(body.scheduled_end) ?? null;
  assertScheduleOrder(scheduledStart, scheduledEnd);
  const created = await prisma.locationCampaign.create({
    data: {
      locationId: location.id,
      templateId: template.id,
      createdById: user.id,
      customizations: body.customizations as Prisma.InputJsonObject,
      generatedContent: body.generated_content ?? '',
      scheduledStart,
      scheduledEnd,
    },
  });
  return c.json(toCampaignDetailJson(await findVisibleCampaign(prisma, user, created.id)), 201);
};

export const getCampaignHandler: RouteHandler<typeof getCampaign, AppBindings> = async (c) => {
  const campaign = await findVisibleCampaign(c.get('deps').prisma, c.get('user'), c.req.valid('param').id);
  return c.json(toCampaignDetailJson(campaign), 200);
};

export const changedConcurrently = () =>
  new ApiError(ErrorCode.Conflict, 'The campaign changed while you were editing it; reload it and try again');

export const updateCampaignHandler: RouteHandler<typeof updateCampaign, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  const campaign = await findVisibleCampaign(prisma, user, c.req.valid('param').id);
  assertCanWrite(user);
  const body = c.req.valid('json');
  if (!EDITABLE_STATUSES.includes(campaign.status)) {
    throw new ApiError(ErrorCode.Conflict, `The campaign is ${campaign.status}; its copy, customizations and schedule are locked`, {
      extra: { current_status: campaign.status },
    });
  }
  if (body.customizations) {
    assertRequiredVariables(campaign.template.name, requiredVariablesOf(campaign.template), body.customizations);
  }
  const scheduledStart = toDate(body.scheduled_start);
  const scheduledEnd = toDate(body.scheduled_end);
  assertScheduleOrder(
    scheduledStart === undefined ? campaign.scheduledStart : scheduledStart,
    scheduledEnd === undefined ? campaign.scheduledEnd : scheduledEnd,
  );
  const contentChanged = body.generated_content !== undefined && body.generated_content !== campaign.generatedContent;
  // A reviewer saw (or is about to see) other copy: the campaign must be reviewed again.
  const backToDraft = contentChanged && CONTENT_EDIT_RESETS.includes(campaign.status);

  await prisma.$transaction(async (tx) => {
    const updated = await tx.locationCampaign.updateMany({
      where: { id: campaign.id, status: campaign.status },
      data: {
        ...(body.customizations ? { customizations: body.customizations as Prisma.InputJsonObject } : {}),
        ...(body.generated_content !== undefined ? { generatedContent: body.generated_content } : {}),
        ...(scheduledStart !== undefined ? { scheduledStart } : {}),
        ...(scheduledEnd !== undefined ? { scheduledEnd } : {}),
        ...(backToDraft ? { status: 'draft' as const } : {}),
      },
    });
    if (updated.count === 0) throw changedConcurrently();
    // The embedding described the old copy; similarity search must not match it any more.
    if (contentChanged) await setCampaignEmbedding(tx, campaign.id, null);
    if (backToDraft) {
      await tx.approvalStep.create({
        data: {
          campaignId: campaign.id,
          approverId: user.id,
          decision: 'content_edited',
          comments: 'Copy edited after review started; the campaign needs a new review',
          previousStatus: campaign.status,
          newStatus: 'draft',
        },
      });
    }
  });
  return c.json(toCampaignDetailJson(await findVisibleCampaign(prisma, user, campaign.id)), 200);
};

export const deleteCampaignHandler: RouteHandler<typeof deleteCampaign, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  const campaign = await findVisibleCampaign(prisma, user, c.req.valid('param').id);
  assertCanWrite(user);
  if (!isReviewer(user) && campaign.createdById !== user.id) {
    throw new ApiError(ErrorCode.Forbidden, 'Only its creator, admins and brand managers can delete a campaign');
  }
  const deleted = await prisma.locationCampaign.deleteMany({ where: { id: campaign.id, status: { in: ['draft', 'rejected'] } } });
  if (deleted.count === 0) {
    throw new ApiError(ErrorCode.Conflict, `Only draft and rejected campaigns can be deleted; this one is ${campaign.status}`, {
      extra: { current_status: campaign.status },
    });
  }
  return c.body(null, 204);
};

export function templateContextOf(campaign: CampaignDetailRow): TemplateContext {
  return {
    location: {
      name: campaign.location.name,
      store_number: campaign.location.storeNumber,
      address: campaign.location.address as Record<string, unknown>,
      attributes: campaign.location.attributes as Record<string, unknown>,
    },
    customizations: campaign.customizations as Record<string, unknown>,
  };
}

export const previewCampaignHandler: RouteHandler<typeof previewCampaign, AppBindings> = async (c) => {
  const campaign = await findVisibleCampaign(c.get('deps').prisma, c.get('user'), c.req.valid('param').id);
  const context = templateContextOf(campaign);
  return c.json(
    {
      rendered: await renderTemplate(campaign.template.contentTemplate, context),
      missing_placeholders: missingPlaceholders(campaign.template.contentTemplate, context),
      template_version: campaign.template.version,
    },
    200,
  );
};
