/**
 * The audit trail: one campaign's approval steps as JSON, and a brand's as a CSV download.
 * Steps are append-only (a database trigger refuses UPDATE and DELETE), so both read a record
 * nobody can rewrite.
 */
import type { RouteHandler, z } from '@hono/zod-openapi';
import type { Prisma, PrismaClient } from '@storesync/db';
import { campaignWhere } from '../../lib/access.ts';
import { validationFailed } from '../../lib/errors.ts';
import type { AppBindings, AuthUser } from '../../lib/types.ts';
import { findVisibleBrand } from '../brands/brands.handlers.ts';
import { findVisibleCampaign } from '../campaigns/campaigns.handlers.ts';
import { toApprovalStepJson } from '../campaigns/campaigns.serializers.ts';
import { fullName } from '../users/users.schemas.ts';
import { csvRow, UTF8_BOM } from './csv.ts';
import type { ApprovalExportQuerySchema, campaignHistory, exportBrandApprovals } from './history.routes.ts';

export const campaignHistoryHandler: RouteHandler<typeof campaignHistory, AppBindings> = async (c) => {
  const campaign = await findVisibleCampaign(c.get('deps').prisma, c.get('user'), c.req.valid('param').id);
  return c.json(
    {
      campaign: campaign.id,
      status: campaign.status,
      row_version: campaign.rowVersion,
      count: campaign.approvalSteps.length,
      results: campaign.approvalSteps.map((step) => ({ ...toApprovalStepJson(step), approver_email: step.approver?.email ?? null })),
    },
    200,
  );
};

type ExportQuery = z.output<typeof ApprovalExportQuerySchema>;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** `to` as a date includes that whole day; as a date-time it is the last instant included. */
function createdAtRange(query: ExportQuery): Prisma.DateTimeFilter | undefined {
  const from = query.from ? new Date(query.from) : undefined;
  const toIncluded = query.to && !DATE_ONLY.test(query.to) ? new Date(query.to) : undefined;
  const toExcluded = query.to && DATE_ONLY.test(query.to) ? new Date(Date.parse(query.to) + DAY_MS) : undefined;
  if (from && ((toIncluded && toIncluded < from) || (toExcluded && toExcluded <= from))) {
    throw validationFailed([{ field: 'query.to', message: 'must not be before from' }]);
  }
  if (!from && !toIncluded && !toExcluded) return undefined;
  return { ...(from ? { gte: from } : {}), ...(toIncluded ? { lte: toIncluded } : {}), ...(toExcluded ? { lt: toExcluded } : {}) };
}

function exportWhere(user: AuthUser, brandId: string, query: ExportQuery): Prisma.ApprovalStepWhereInput {
  const filters: Prisma.ApprovalStepWhereInput[] = [{ campaign: { AND: [campaignWhere(user), { location: { brandId } }] } }];
  const createdAt = createdAtRange(query);
  if (createdAt) filters.push({ createdAt });
  if (query.status?.length) filters.push({ newStatus: { in: query.status } });
  if (query.decision?.length) filters.push({ decision: { in: query.decision } });
  if (query.approver) filters.push({ approverId: query.approver });
  return { AND: filters };
}

const exportInclude = {
  approver: { select: { firstName: true, lastName: true, email: true } },
  campaign: { select: { location: { select: { storeNumber: true, name: true } }, template: { select: { name: true } } } },
} as const satisfies Prisma.ApprovalStepInclude;

type ExportStep = Prisma.ApprovalStepGetPayload<{ include: typeof exportInclude }>;

const HEADER = [
  'created_at',
  'campaign_id',
  'store_number',
  'location',
  'template',
  'decision',
  'previous_status',
  'new_status',
  'approver_id',
  'approver_name',
  'approver_email',
  'comments',
  'step_id',
];

const toCsvRow = (step: ExportStep) =>
  csvRow([
    step.createdAt.toISOString(),
    step.campaignId,
    step.campaign.location.storeNumber,
    step.campaign.location.name,
    step.campaign.template.name,
    step.decision,
    step.previousStatus,
    step.newStatus,
    step.approverId ?? '',
    step.approver ? fullName(step.approver) : 'StoreSync (automatic)',
    step.approver?.email ?? '',
    step.comments,
    step.id,
  ]);

/** Rows read per query: the export streams, so a brand's whole history never sits in memory. */
const EXPORT_PAGE_SIZE = 1_000;

async function* stepPages(prisma: PrismaClient, where: Prisma.ApprovalStepWhereInput): AsyncGenerator<ExportStep[]> {
  let after: string | undefined;
  for (;;) {
    const page = await prisma.approvalStep.findMany({
      where,
      include: exportInclude,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: EXPORT_PAGE_SIZE,
      ...(after ? { cursor: { id: after }, skip: 1 } : {}),
    });
    if (page.length > 0) yield page;
    const last = page.at(-1);
    if (!last || page.length < EXPORT_PAGE_SIZE) return;
    after = last.id;
  }
}

export const exportBrandApprovalsHandler: RouteHandler<typeof exportBrandApprovals, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  const brand = await findVisibleBrand(prisma, user, c.req.valid('param').brand_id);
  const where = exportWhere(user, brand.id, c.req.valid('query'));
  const pages = stepPages(prisma, where);
  const encoder = new TextEncoder();
  const logger = c.get('logger');
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(UTF8_BOM + csvRow(HEADER)));
    },
    async pull(controller) {
      try {
        const next = await pages.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value.map(toCsvRow).join('')));
      } catch (error) {
        // The status line is sent already: the client sees a cut-off download, the log says why.
        logger.error({ err: error }, 'approval export failed mid-stream');
        controller.error(error);
      }
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
  return c.body(body, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${brand.slug}-approvals.csv"`,
    'Cache-Control': 'no-store',
  });
};
