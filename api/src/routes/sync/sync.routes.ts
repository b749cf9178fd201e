import { z } from '@hono/zod-openapi';
import { authedRoute } from '../../lib/route.ts';
import { jsonBody, jsonResponse } from '../../lib/schemas.ts';
import { CampaignDetailSchema } from '../campaigns/campaigns.schemas.ts';
import { LocationSchema } from '../locations/locations.routes.ts';
import { TemplateSchema } from '../templates/templates.routes.ts';
import { SyncRequestSchema, syncResponseSchema } from './sync.schemas.ts';

const tags = ['sync'];

const SYNC_DESCRIPTION = `Upserts rows of one sheet: each row is found by \`id\` (the StoreSync ID column), else by
its natural key, and gets one result (created, updated, unchanged, conflict with both values, or error with the
fix). Sending the same rows twice changes nothing the second time. A row whose \`row_version\` is older than the
server's is merged three ways: fields only the sheet changed are written, fields only the server changed are kept,
fields both changed come back as a conflict and the row is not written. Unknown brand, no access or too many
rows reject the whole request with nothing written.`;

export const syncLocations = authedRoute({
  method: 'post',
  path: '/sync/locations',
  tags,
  summary: 'Sync a Locations sheet',
  description: `${SYNC_DESCRIPTION}\n\nRows: \`name\`, \`store_number\`, optional \`address\`, \`attributes\` (merged key by key; \`blank_extras\` removes keys), \`is_active\`.`,
  request: jsonBody(SyncRequestSchema),
  responses: { 200: jsonResponse(syncResponseSchema(LocationSchema, 'LocationSyncResponse'), 'One result per row, in order') },
});

export const syncTemplates = authedRoute({
  method: 'post',
  path: '/sync/templates',
  tags,
  summary: 'Sync a Templates sheet',
  description: `${SYNC_DESCRIPTION}\n\nRows: \`name\` (the key: compared trimmed, spacing collapsed, case-insensitive), \`campaign_type\`, optional \`content_template\` (Liquid; required for new templates), \`description\`, \`required_variables\`, \`is_active\`. Only admins and brand managers may create or change templates; for anyone else such rows are errors. A changed \`content_template\` moves \`version\` up by one.`,
  request: jsonBody(SyncRequestSchema),
  responses: { 200: jsonResponse(syncResponseSchema(TemplateSchema, 'TemplateSyncResponse'), 'One result per row, in order') },
});

export const syncCampaigns = authedRoute({
  method: 'post',
  path: '/sync/campaigns',
  tags,
  summary: 'Sync a Campaigns sheet',
  description: `${SYNC_DESCRIPTION}\n\nRows: \`store_number\` and \`template_name\` (the key), optional \`location\` and \`template\` ids, \`customizations\` (merged key by key; \`blank_extras\` removes keys), \`scheduled_start\`/\`scheduled_end\` (ISO 8601 or null). A row without \`id\` updates the one campaign of its store and template, is an error when there are several, and otherwise creates a draft. Rules as in POST and PATCH /campaigns: location managers only for their stores, active templates with every required variable for new campaigns, edits only while draft, pending_review, approved or rejected (status kept: a sync never edits the copy). Records are the campaign detail.`,
  request: jsonBody(SyncRequestSchema),
  responses: { 200: jsonResponse(syncResponseSchema(CampaignDetailSchema, 'CampaignSyncResponse'), 'One result per row, in order') },
});

export const ChangesQuery = z.object({
  brand: z.string().uuid(),
  since: z
    .string()
    .regex(/^\d{1,19}$/, 'a cursor from an earlier answer')
    .default('0')
    .openapi({ description: 'The `next_cursor` of the previous page, or `0` for everything' }),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

const ChangeSchema = z
  .object({
    seq: z.string(),
    entity: z.enum(['location', 'campaign', 'template']),
    id: z.string().uuid(),
    row_version: z.number().int(),
    deleted: z.boolean(),
    record: z.record(z.string(), z.unknown()).optional().openapi({
      description: 'The location, campaign (detail shape) or template as it is now; absent when deleted',
    }),
  })
  .openapi('Change');

export const ChangeFeedSchema = z
  .object({ brand: z.string().uuid(), changes: z.array(ChangeSchema), next_cursor: z.string(), has_more: z.boolean() })
  .openapi('ChangeFeedPage');

export const listChanges = authedRoute({
  method: 'get',
  path: '/sync/changes',
  tags,
  summary: 'Changes of a brand since a cursor',
  description:
    'Every location, campaign and template change of the brand after `since`, oldest first; an entity that changed several times appears once, as it is now. Gap-free under concurrent writers: a change that commits late never lands behind a cursor already handed out.',
  request: { query: ChangesQuery },
  responses: { 200: jsonResponse(ChangeFeedSchema, 'A page of changes') },
});

export const streamEvents = authedRoute({
  method: 'get',
  path: '/sync/events',
  tags,
  summary: 'Live changes of a brand (server-sent events)',
  description:
    'The change feed as a stream: `event: change`, `id:` the change number, `data:` one Change. Resume with the `Last-Event-ID` header (or `since`). A comment line is sent every 15 s to keep proxies from closing the stream.',
  request: { query: ChangesQuery.pick({ brand: true }).extend({ since: ChangesQuery.shape.since.optional() }) },
  responses: { 200: { description: 'text/event-stream of Change events', content: { 'text/event-stream': { schema: z.string() } } } },
});
