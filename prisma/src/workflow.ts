/**
 * Writes one workflow transition: the status change, conditional on the status the caller saw,
 * and its ApprovalStep, in one transaction. Used by the API (people) and the worker's lifecycle
 * job (the system), so both leave the same audit trail.
 */
import { TRANSITIONS, type CampaignStatus, type WorkflowAction } from '@storesync/core';
import type { Prisma, PrismaClient } from './generated/client.ts';

export interface TransitionRequest {
  campaignId: string;
  action: WorkflowAction;
  /** Who decided; null for the system (scheduled start and end). */
  actorId: string | null;
  comments: string;
  /** Other fields written with the status, e.g. the schedule of `schedule`. */
  data?: Omit<Prisma.LocationCampaignUpdateManyMutationInput, 'status'>;
  /**
   * Move only while the campaign is at this row_version, so a decision is taken on exactly the
   * copy and status the decider saw (the web approval page sends the version it showed).
   */
  expectedRowVersion?: number;
}

export type TransitionOutcome = { moved: true } | { moved: false; currentStatus: CampaignStatus };

export async function transitionCampaign(prisma: PrismaClient, request: TransitionRequest): Promise<TransitionOutcome> {
  const transition = TRANSITIONS[request.action];
  return prisma.$transaction(async (tx) => {
    // Of two deciders at the same moment the second finds the status changed and moves nothing.
    const moved = await tx.locationCampaign.updateMany({
      where: {
        id: request.campaignId,
        status: transition.from,
        ...(request.expectedRowVersion === undefined ? {} : { rowVersion: request.expectedRowVersion }),
      },
      data: { ...request.data, status: transition.to },
    });
    if (moved.count === 0) {
      const current = await tx.locationCampaign.findUniqueOrThrow({ where: { id: request.campaignId }, select: { status: true } });
      return { moved: false, currentStatus: current.status };
    }
    await tx.approvalStep.create({
      data: {
        campaignId: request.campaignId,
        approverId: request.actorId,
        decision: transition.decision,
        comments: request.comments,
        previousStatus: transition.from,
        newStatus: transition.to,
      },
    });
    return { moved: true };
  });
}
