/**
 * Workflow transitions: POST /campaigns/{id}/{action}. The checks are here; the write is
 * transitionCampaign (status and ApprovalStep in one transaction, conditional on the status),
 * so of two reviewers deciding at the same moment exactly one decision is recorded.
 */
import type { RouteHandler } from '@hono/zod-openapi';
import {
  allowedActions,
  canTransition,
  TRANSITIONS,
  type CampaignStatus,
  type WorkflowAction,
} from '@storesync/core';
import { transitionCampaign } from '@storesync/db';
import { assertCanWrite, isReviewer } from '../../lib/access.ts';
import { ApiError, ErrorCode, forbidden, validationFailed } from '../../lib/errors.ts';
import type { AppBindings, AuthUser } from '../../lib/types.ts';
import {
  assertRequiredVariables,
  assertScheduleOrder,
  findVisibleCampaign,
  requiredVariablesOf,
} from './campaigns.handlers.ts';
import type { transitionRoutes } from './campaigns.routes.ts';
import { toCampaignDetailJson, type CampaignDetailRow } from './campaigns.serializers.ts';

type TransitionRoute = (typeof transitionRoutes)[number]['route'];

const ACTION_VERBS: Record<WorkflowAction, string> = {
  submit: 'submit',
  approve: 'approve',
  reject: 'reject',
  request_changes: 'request changes to',
  revise: 'revise',
  schedule: 'schedule',
  activate: 'activate',
  complete: 'complete',
};

export function invalidTransition(action: WorkflowAction, status: CampaignStatus) {
  const allowed = allowedActions(status);
  return new ApiError(
    ErrorCode.InvalidTransition,
    `Cannot ${ACTION_VERBS[action]} a campaign that is ${status}; allowed actions: ${allowed.join(', ') || 'none'}`,
    { extra: { current_status: status, allowed_actions: allowed } },
  );
}

export function assertMayTake(user: AuthUser, action: WorkflowAction, campaign: CampaignDetailRow) {
  const { actor } = TRANSITIONS[action];
  if (actor === 'editor') return assertCanWrite(user);
  if (!isReviewer(user)) throw forbidden(`Only admins and brand managers can ${ACTION_VERBS[action]} a campaign`);
  if (actor === 'reviewer' && campaign.createdById === user.id) {
    throw forbidden('You created this campaign; another admin or brand manager must review it');
  }
}

interface TransitionInput {
  comments?: string | undefined;
  scheduled_start?: string | undefined;
  scheduled_end?: string | undefined;
}

/** Checks what the action needs beyond the status; returns schedule changes to write with it. */
export function preconditions(action: WorkflowAction, campaign: CampaignDetailRow, input: TransitionInput) {
  if (TRANSITIONS[action].commentRequired && !input.comments) {
    throw validationFailed([{ field: 'comments', message: `required to ${ACTION_VERBS[action]} a campaign; tell the author what to change` }]);
  }
  if (action !== 'schedule' && (input.scheduled_start || input.scheduled_end)) {
    throw validationFailed([{ field: 'scheduled_start', message: 'only the schedule action takes a schedule; use PATCH to change it' }]);
  }
  if (action === 'submit') {
    if (!campaign.generatedContent.trim()) {
      throw validationFailed([{ field: 'generated_content', message: 'is empty; generate or write the copy before submitting' }]);
    }
    assertRequiredVariables(
      campaign.template.name,
      requiredVariablesOf(campaign.template),
      campaign.customizations as Record<string, unknown>,
    );
  }
  if (action === 'schedule') {
    const start = input.scheduled_start ? new Date(input.scheduled_start) : campaign.scheduledStart;
    const end = input.scheduled_end ? new Date(input.scheduled_end) : campaign.scheduledEnd;
    if (!start) throw validationFailed([{ field: 'scheduled_start', message: 'is required to schedule a campaign' }]);
    assertScheduleOrder(start, end);
    return { scheduledStart: start, scheduledEnd: end };
  }
  return {};
}

export const transitionHandler =
  (action: WorkflowAction): RouteHandler<TransitionRoute, AppBindings> =>
  async (c) => {
    const { prisma } = c.get('deps');
    const user = c.get('user');
    const campaign = await findVisibleCampaign(prisma, user, c.req.valid('param').id);
    const input: TransitionInput = c.req.valid('json') ?? {};
    assertMayTake(user, action, campaign);
    if (!canTransition(campaign.status, action)) throw invalidTransition(action, campaign.status);
    const scheduleChanges = preconditions(action, campaign, input);
    const outcome = await transitionCampaign(prisma, {
      campaignId: campaign.id,
      action,
      actorId: user.id,
      comments: input.comments ?? '',
      data: scheduleChanges,
    });
    // Someone else moved it first; report the status they left it in.
    if (!outcome.moved) throw invalidTransition(action, outcome.currentStatus);
    return c.json(toCampaignDetailJson(await findVisibleCampaign(prisma, user, campaign.id)), 200);
  };
