import { z } from '@hono/zod-openapi';
import { CAMPAIGN_STATUSES, WORKFLOW_ACTIONS } from '@storesync/core';
import { paginationQuery } from '../../lib/pagination.ts';
import { JsonObject, RowVersion } from '../../lib/schemas.ts';

export const CampaignStatusSchema = z.enum(CAMPAIGN_STATUSES).openapi('CampaignStatus');

export const ApprovalStepSchema = z
  .object({
    id: z.string().uuid(),
    approver: z.string().uuid().nullable(),
    approver_name: z.string(),
    decision: z.string().openapi({
      description: 'submitted, approved, rejected, requested_changes, revised, scheduled, activated, completed or content_edited',
    }),
    comments: z.string(),
    previous_status: CampaignStatusSchema,
    new_status: CampaignStatusSchema,
    created_at: z.string().datetime(),
  })
  .openapi('ApprovalStep');

export const CampaignListItemSchema = z
  .object({
    id: z.string().uuid(),
    brand: z.string().uuid(),
    location: z.string().uuid(),
    location_name: z.string(),
    store_number: z.string(),
    template: z.string().uuid(),
    template_name: z.string(),
    status: CampaignStatusSchema,
    scheduled_start: z.string().datetime().nullable(),
    scheduled_end: z.string().datetime().nullable(),
    row_version: RowVersion,
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi('LocationCampaignListItem');

export const CampaignDetailSchema = CampaignListItemSchema.extend({
  created_by: z.string().uuid().nullable(),
  created_by_name: z.string(),
  customizations: JsonObject,
  generated_content: z.string(),
  approval_history: z.array(ApprovalStepSchema).openapi({ description: 'Newest first' }),
  allowed_actions: z.array(z.enum(WORKFLOW_ACTIONS)).openapi({
    description: 'Workflow actions the campaign’s status allows (the caller’s role may narrow them further)',
  }),
}).openapi('LocationCampaign');

export const isoDateTime = z.string().datetime({ offset: true, message: 'use an ISO 8601 date-time, e.g. 2026-12-01T09:00:00Z' });

export const CampaignCreateSchema = z
  .object({
    location: z.string().uuid(),
    template: z.string().uuid(),
    customizations: JsonObject.default({}),
    generated_content: z.string().max(100_000).optional(),
    scheduled_start: isoDateTime.nullable().optional(),
    scheduled_end: isoDateTime.nullable().optional(),
  })
  .strict()
  .openapi('LocationCampaignCreate');

export const CampaignUpdateSchema = z
  .object({
    customizations: JsonObject.optional(),
    generated_content: z.string().max(100_000).optional(),
    scheduled_start: isoDateTime.nullable().optional(),
    scheduled_end: isoDateTime.nullable().optional(),
  })
  .strict()
  .openapi('LocationCampaignUpdate');

export const TransitionBodySchema = z
  .object({
    comments: z.string().trim().max(10_000).optional(),
    scheduled_start: isoDateTime.optional().openapi({ description: 'schedule only: when the campaign goes live' }),
    scheduled_end: isoDateTime.optional().openapi({ description: 'schedule only: when it ends' }),
  })
  .strict()
  .openapi('TransitionRequest');

export const statusList = z
  .string()
  .transform((value, context) => {
    const statuses = value.split(',').map((part) => part.trim()).filter(Boolean);
    for (const status of statuses) {
      if (!(CAMPAIGN_STATUSES as readonly string[]).includes(status)) {
        context.addIssue({ code: 'custom', message: `unknown status "${status}"; use ${CAMPAIGN_STATUSES.join(', ')}` });
      }
    }
    return statuses as (typeof CAMPAIGN_STATUSES)[number][];
  })
  .openapi({ type: 'string', description: 'One status or a comma-separated list, e.g. `pending_review,approved`' });

export const CampaignListQuerySchema = z.object({
  ...paginationQuery,
  status: statusList.optional(),
  location: z.string().uuid().optional(),
  brand: z.string().uuid().optional(),
  template: z.string().uuid().optional(),
});

export const PreviewSchema = z
  .object({
    rendered: z.string(),
    missing_placeholders: z.array(z.string()).openapi({ description: 'Placeholders that rendered empty, e.g. campaign.end_date' }),
    template_version: z.number().int(),
  })
  .openapi('CampaignPreview');
