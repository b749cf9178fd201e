import { WORKFLOW_ACTIONS, type WorkflowAction } from '@storesync/core';
import { paginatedSchema } from '../../lib/pagination.ts';
import { authedRoute } from '../../lib/route.ts';
import { IdParam, jsonBody, jsonResponse } from '../../lib/schemas.ts';
import {
  CampaignCreateSchema,
  CampaignDetailSchema,
  CampaignListItemSchema,
  CampaignListQuerySchema,
  CampaignUpdateSchema,
  PreviewSchema,
  TransitionBodySchema,
} from './campaigns.schemas.ts';

const tags = ['campaigns'];

export const listCampaigns = authedRoute({
  method: 'get',
  path: '/campaigns',
  tags,
  summary: 'List location campaigns the caller may see, newest first',
  request: { query: CampaignListQuerySchema },
  responses: { 200: jsonResponse(paginatedSchema(CampaignListItemSchema, 'LocationCampaignPage'), 'A page of campaigns') },
});

export const createCampaign = authedRoute({
  method: 'post',
  path: '/campaigns',
  tags,
  summary: 'Create a campaign for a location from a template',
  request: jsonBody(CampaignCreateSchema),
  responses: { 201: jsonResponse(CampaignDetailSchema, 'Created, in draft') },
});

export const getCampaign = authedRoute({
  method: 'get',
  path: '/campaigns/{id}',
  tags,
  summary: 'Retrieve a campaign with its approval history',
  request: { params: IdParam },
  responses: { 200: jsonResponse(CampaignDetailSchema, 'The campaign') },
});

export const updateCampaign = authedRoute({
  method: 'patch',
  path: '/campaigns/{id}',
  tags,
  summary: 'Edit customizations, copy or schedule. Editing the copy of a campaign in review or approved sends it back to draft.',
  request: { params: IdParam, ...jsonBody(CampaignUpdateSchema) },
  responses: { 200: jsonResponse(CampaignDetailSchema, 'Updated') },
});

export const deleteCampaign = authedRoute({
  method: 'delete',
  path: '/campaigns/{id}',
  tags,
  summary: 'Delete a draft or rejected campaign',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' } },
});

export const previewCampaign = authedRoute({
  method: 'get',
  path: '/campaigns/{id}/preview',
  tags,
  summary: 'The template rendered with this location and these customizations',
  request: { params: IdParam },
  responses: { 200: jsonResponse(PreviewSchema, 'Rendered template') },
});

const ACTION_SUMMARIES: Record<WorkflowAction, string> = {
  submit: 'Submit a draft for review',
  approve: 'Approve a campaign in review (admins and brand managers; not your own)',
  reject: 'Reject a campaign in review; comments required (admins and brand managers; not your own)',
  request_changes: 'Send a campaign in review back to draft with comments (admins and brand managers; not your own)',
  revise: 'Reopen a rejected campaign as a draft',
  schedule: 'Schedule an approved campaign; needs scheduled_start (in the body or already set)',
  activate: 'Mark a scheduled campaign active',
  complete: 'Mark an active campaign completed',
};

/** POST /campaigns/{id}/{action}, one route per workflow action. */
export const transitionRoutes = WORKFLOW_ACTIONS.map((action) => ({
  action,
  route: authedRoute({
    method: 'post',
    path: `/campaigns/{id}/${action}`,
    tags,
    summary: ACTION_SUMMARIES[action],
    request: {
      params: IdParam,
      body: { content: { 'application/json': { schema: TransitionBodySchema } }, required: false },
    },
    responses: { 200: jsonResponse(CampaignDetailSchema, 'The campaign in its new status') },
  }),
}));

