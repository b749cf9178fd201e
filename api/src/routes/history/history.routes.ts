import { z } from '@hono/zod-openapi';
import { APPROVAL_DECISIONS } from '@storesync/core';
import { authedRoute } from '../../lib/route.ts';
import { IdParam, jsonResponse } from '../../lib/schemas.ts';
import { ApprovalStepSchema, CampaignStatusSchema, statusList } from '../campaigns/campaigns.schemas.ts';

const HistoryStepSchema = ApprovalStepSchema.extend({
  approver_email: z.string().nullable().openapi({ description: 'null for steps taken by the system' }),
}).openapi('ApprovalHistoryStep');

export const CampaignHistorySchema = z
  .object({
    campaign: z.string().uuid(),
    status: CampaignStatusSchema,
    row_version: z.number().int(),
    count: z.number().int(),
    results: z.array(HistoryStepSchema).openapi({ description: 'Newest first, like the campaign’s approval_history' }),
  })
  .openapi('CampaignHistory');

export const campaignHistory = authedRoute({
  method: 'get',
  path: '/campaigns/{id}/history',
  tags: ['audit'],
  summary: 'The approval trail of a campaign: every workflow step, who took it and why, newest first',
  request: { params: IdParam },
  responses: { 200: jsonResponse(CampaignHistorySchema, 'The campaign’s steps') },
});

/** `2026-11-01` (a whole UTC day) or an ISO date-time. */
const dateOrDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T.+)?$/, 'use a date (2026-11-01) or an ISO 8601 date-time')
  .refine((value) => !Number.isNaN(Date.parse(value)), 'is not a valid date');

const decisionList = z
  .string()
  .transform((value, context) => {
    const decisions = value.split(',').map((part) => part.trim()).filter(Boolean);
    for (const decision of decisions) {
      if (!(APPROVAL_DECISIONS as readonly string[]).includes(decision)) {
        context.addIssue({ code: 'custom', message: `unknown decision "${decision}"; use ${APPROVAL_DECISIONS.join(', ')}` });
      }
    }
    return decisions as (typeof APPROVAL_DECISIONS)[number][];
  })
  .openapi({ type: 'string', description: 'One decision or a comma-separated list, e.g. `approved,rejected`' });

export const ApprovalExportQuerySchema = z.object({
  from: dateOrDateTime.optional().openapi({ description: 'Steps at or after this date (UTC day) or instant' }),
  to: dateOrDateTime.optional().openapi({ description: 'Steps up to this date (the whole UTC day) or instant' }),
  status: statusList.optional().openapi({ description: 'Steps that led to this status (one or a comma-separated list)' }),
  decision: decisionList.optional(),
  approver: z.string().uuid().optional().openapi({ description: 'Steps taken by this user' }),
});

export const BrandIdParam = z.object({
  brand_id: z.string().uuid().openapi({ param: { name: 'brand_id', in: 'path' }, example: '9b2f4c1d-6a3e-4f7b-8c21-5d0e9a7b3c44' }),
});

export const exportBrandApprovals = authedRoute({
  method: 'get',
  path: '/brands/{brand_id}/approvals.csv',
  tags: ['audit'],
  summary: 'Export the approval trail of a brand as CSV, oldest first',
  description:
    'One row per approval step of the campaigns you can see in the brand. Cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) are prefixed with a single quote.',
  request: { params: BrandIdParam, query: ApprovalExportQuerySchema },
  responses: {
    200: {
      description: 'UTF-8 CSV with a byte order mark and a header row',
      content: { 'text/csv': { schema: z.string() } },
    },
  },
});
