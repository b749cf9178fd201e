import type { RouteHandler } from '@hono/zod-openapi';
import { templateNameKey, templatePlaceholders } from '@storesync/core';
import { serializeSyncs, type CampaignTemplate, type Prisma } from '@storesync/db';
import { assertCanManageBrand, canSeeBrand, templateWhere } from '../../lib/access.ts';
import { ApiError, ErrorCode, notFound, validationFailed } from '../../lib/errors.ts';
import { pageWindow, paginated } from '../../lib/pagination.ts';
import type { AppBindings, AuthUser } from '../../lib/types.ts';
import type {
  createTemplate,
  deleteTemplate,
  getTemplate,
  getTemplateVariables,
  listTemplates,
  updateTemplate,
} from './templates.routes.ts';

export function toTemplateJson(template: CampaignTemplate) {
  return {
    id: template.id,
    brand: template.brandId,
    name: template.name,
    description: template.description,
    content_template: template.contentTemplate,
    required_variables: template.requiredVariables as string[],
    campaign_type: template.campaignType,
    is_active: template.isActive,
    version: template.version,
    row_version: template.rowVersion,
    created_at: template.createdAt.toISOString(),
    updated_at: template.updatedAt.toISOString(),
  };
}

/** A template the user may see, or 404. */
export async function findVisibleTemplate(prisma: Prisma.TransactionClient, user: AuthUser, id: string) {
  const template = await prisma.campaignTemplate.findFirst({ where: { AND: [{ id }, templateWhere(user)] } });
  if (!template) throw notFound('Campaign template');
  return template;
}

/**
 * The body names the brand, so an unknown or invisible brand is a problem of that field (400),
 * worded the same either way so other brands' ids do not leak.
 */
async function assertBrandExistsFor(prisma: Prisma.TransactionClient, user: AuthUser, brandId: string) {
  const exists = canSeeBrand(user, brandId) && (await prisma.brand.count({ where: { id: brandId } })) > 0;
  if (!exists) throw validationFailed([{ field: 'brand', message: 'no such brand' }]);
}

function listFilters(query: { brand?: string; campaign_type?: string; is_active?: boolean; search?: string }) {
  return [
    query.brand ? { brandId: query.brand } : {},
    query.campaign_type ? { campaignType: query.campaign_type } : {},
    query.is_active !== undefined ? { isActive: query.is_active } : {},
    query.search ? { name: { contains: query.search, mode: 'insensitive' } } : {},
  ] satisfies Prisma.CampaignTemplateWhereInput[];
}

export const listTemplatesHandler: RouteHandler<typeof listTemplates, AppBindings> = async (c) => {
  const { prisma, env } = c.get('deps');
  const query = c.req.valid('query');
  const where: Prisma.CampaignTemplateWhereInput = { AND: [templateWhere(c.get('user')), ...listFilters(query)] };
  const [count, templates] = await Promise.all([
    prisma.campaignTemplate.count({ where }),
    prisma.campaignTemplate.findMany({ where, orderBy: [{ name: 'asc' }, { id: 'asc' }], ...pageWindow(query) }),
  ]);
  return c.json(paginated(c, query, count, templates.map(toTemplateJson), env.PUBLIC_URL), 200);
};

/**
 * Template names are unique in a brand, compared as sheets compare them (case and spacing
 * ignored): a Templates sheet and a Campaigns sheet name templates by name. There is no
 * constraint for that comparison, so the check runs under the lock template syncs take.
 */
async function lockAndAssertNameFree(tx: Prisma.TransactionClient, brandId: string, name: string, exceptId?: string) {
  await serializeSyncs(tx, 'templates', brandId);
  const others = await tx.campaignTemplate.findMany({
    where: { brandId, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { name: true },
  });
  if (others.some((other) => templateNameKey(other.name) === templateNameKey(name))) {
    throw new ApiError(ErrorCode.Conflict, `A template named "${name}" already exists in this brand; choose another name`, {
      details: [{ field: 'name', message: 'already used by another template of this brand (case and spacing ignored)' }],
    });
  }
}

export const createTemplateHandler: RouteHandler<typeof createTemplate, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  assertCanManageBrand(user);
  const body = c.req.valid('json');
  await assertBrandExistsFor(prisma, user, body.brand);
  const template = await prisma.$transaction(async (tx) => {
    await lockAndAssertNameFree(tx, body.brand, body.name);
    return tx.campaignTemplate.create({
      data: {
        brandId: body.brand,
        name: body.name,
        description: body.description,
        contentTemplate: body.content_template,
        requiredVariables: body.required_variables,
        campaignType: body.campaign_type,
        isActive: body.is_active,
      },
    });
  });
  return c.json(toTemplateJson(template), 201);
};

export const getTemplateHandler: RouteHandler<typeof getTemplate, AppBindings> = async (c) => {
  const template = await findVisibleTemplate(c.get('deps').prisma, c.get('user'), c.req.valid('param').id);
  return c.json(toTemplateJson(template), 200);
};

export const getTemplateVariablesHandler: RouteHandler<typeof getTemplateVariables, AppBindings> = async (c) => {
  const template = await findVisibleTemplate(c.get('deps').prisma, c.get('user'), c.req.valid('param').id);
  return c.json(
    {
      placeholders: templatePlaceholders(template.contentTemplate),
      required_variables: template.requiredVariables as string[],
    },
    200,
  );
};

export const updateTemplateHandler: RouteHandler<typeof updateTemplate, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  const template = await findVisibleTemplate(prisma, user, c.req.valid('param').id);
  assertCanManageBrand(user);
  const body = c.req.valid('json');
  const contentChanged = body.content_template !== undefined && body.content_template !== template.contentTemplate;
  const updated = await prisma.$transaction(async (tx) => {
    if (body.name !== undefined && templateNameKey(body.name) !== templateNameKey(template.name)) {
      await lockAndAssertNameFree(tx, template.brandId, body.name, template.id);
    }
    return tx.campaignTemplate.update({
      where: { id: template.id },
      data: {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        // Same statement as the content, so the version cannot drift from the text it numbers.
        ...(contentChanged ? { contentTemplate: body.content_template, version: { increment: 1 } } : {}),
        ...(body.required_variables !== undefined ? { requiredVariables: body.required_variables } : {}),
        ...(body.campaign_type !== undefined ? { campaignType: body.campaign_type } : {}),
        ...(body.is_active !== undefined ? { isActive: body.is_active } : {}),
      },
    });
  });
  return c.json(toTemplateJson(updated), 200);
};

export const deleteTemplateHandler: RouteHandler<typeof deleteTemplate, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  const template = await findVisibleTemplate(prisma, user, c.req.valid('param').id);
  assertCanManageBrand(user);
  // Guarded in the DELETE itself, so a campaign created meanwhile yields this 409, not the FK's 500.
  const { count } = await prisma.campaignTemplate.deleteMany({ where: { id: template.id, campaigns: { none: {} } } });
  if (count === 0) {
    throw new ApiError(
      ErrorCode.Conflict,
      `Template "${template.name}" is used by campaigns; set is_active=false instead so their history is kept`,
    );
  }
  return c.body(null, 204);
};
