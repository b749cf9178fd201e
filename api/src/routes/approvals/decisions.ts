/**
 * Review decisions from the page. The checks are the API's (assertMayTake, preconditions) and the
 * write is transitionCampaign, so the workflow and the audit trail have one source. On top, a
 * decision names the row_version the reviewer saw: if the copy, customizations, schedule or status
 * changed since (a new generation, an edit, another reviewer), nothing is recorded.
 */
import { canTransition } from '@storesync/core';
import { transitionCampaign, type PrismaClient } from '@storesync/db';
import { campaignWhere } from '../../lib/access.ts';
import { ApiError, ErrorCode } from '../../lib/errors.ts';
import type { AuthUser } from '../../lib/types.ts';
import { findVisibleCampaign } from '../campaigns/campaigns.handlers.ts';
import { assertMayTake, preconditions } from '../campaigns/workflow.handlers.ts';

export const DECISIONS = ['approve', 'request_changes', 'reject'] as const;
export type Decision = (typeof DECISIONS)[number];

export const isDecision = (value: unknown): value is Decision => (DECISIONS as readonly unknown[]).includes(value);

export interface DecisionInput {
  campaignId: string;
  decision: Decision;
  comments: string;
  /** The row_version the page showed. */
  seenRowVersion: number;
}

function changedSinceSeen(current: { status: string; rowVersion: number }, seen: number) {
  const now =
    current.status === 'pending_review'
      ? `its copy or details changed (revision ${current.rowVersion}, you saw revision ${seen})`
      : `it is now ${current.status.replace('_', ' ')}`;
  return new ApiError(
    ErrorCode.Conflict,
    `This campaign changed after you opened it: ${now}. Nothing was recorded; check it again and decide on what it is now.`,
    { extra: { current_status: current.status, row_version: current.rowVersion } },
  );
}

/** Records one decision or throws the ApiError that says why not (404, 403, 409 changed, 400). */
export async function decide(prisma: PrismaClient, user: AuthUser, input: DecisionInput): Promise<void> {
  const campaign = await findVisibleCampaign(prisma, user, input.campaignId);
  assertMayTake(user, input.decision, campaign);
  if (campaign.rowVersion !== input.seenRowVersion || !canTransition(campaign.status, input.decision)) {
    throw changedSinceSeen(campaign, input.seenRowVersion);
  }
  preconditions(input.decision, campaign, { comments: input.comments });
  const outcome = await transitionCampaign(prisma, {
    campaignId: campaign.id,
    action: input.decision,
    actorId: user.id,
    comments: input.comments,
    expectedRowVersion: input.seenRowVersion,
  });
  if (!outcome.moved) {
    // Changed between our read and the write: report what it is now.
    const current = await prisma.locationCampaign.findUniqueOrThrow({ where: { id: campaign.id }, select: { status: true, rowVersion: true } });
    throw changedSinceSeen(current, input.seenRowVersion);
  }
}

/** The page shows at most 50 campaigns; a bulk request names at most this many. */
export const MAX_BULK = 200;

export interface BulkSelection {
  campaignId: string;
  seenRowVersion: number;
}

export interface BulkOutcome {
  approved: number;
  exceptions: { campaignId: string; label: string; reason: string }[];
}

/** Approves each selected campaign on its own; those that cannot be approved are listed with why. */
export async function bulkApprove(prisma: PrismaClient, user: AuthUser, selections: BulkSelection[]): Promise<BulkOutcome> {
  const visible = await prisma.locationCampaign.findMany({
    where: { AND: [{ id: { in: selections.map((selection) => selection.campaignId) } }, campaignWhere(user)] },
    select: { id: true, location: { select: { name: true } }, template: { select: { name: true } } },
  });
  const labels = new Map(visible.map((campaign) => [campaign.id, `${campaign.location.name} · ${campaign.template.name}`]));
  const outcome: BulkOutcome = { approved: 0, exceptions: [] };
  for (const selection of selections) {
    try {
      await decide(prisma, user, { ...selection, decision: 'approve', comments: '' });
      outcome.approved += 1;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      outcome.exceptions.push({
        campaignId: selection.campaignId,
        label: labels.get(selection.campaignId) ?? 'A campaign you cannot see',
        reason: error.message,
      });
    }
  }
  return outcome;
}
