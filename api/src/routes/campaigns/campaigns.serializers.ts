import type { Prisma } from '@storesync/db';
import { allowedActions } from '@storesync/core';
import { fullName } from '../users/users.schemas.ts';

const personName = { select: { firstName: true, lastName: true, email: true } } as const;

export const campaignListSelect = {
  id: true,
  locationId: true,
  templateId: true,
  status: true,
  scheduledStart: true,
  scheduledEnd: true,
  rowVersion: true,
  createdAt: true,
  updatedAt: true,
  location: { select: { name: true, storeNumber: true, brandId: true } },
  template: { select: { name: true } },
} as const satisfies Prisma.LocationCampaignSelect;

export const campaignDetailInclude = {
  location: { select: { name: true, storeNumber: true, brandId: true, address: true, attributes: true } },
  template: { select: { name: true, contentTemplate: true, requiredVariables: true, version: true } },
  createdBy: personName,
  approvalSteps: {
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    include: { approver: personName },
  },
} as const satisfies Prisma.LocationCampaignInclude;

export type CampaignListRow = Prisma.LocationCampaignGetPayload<{ select: typeof campaignListSelect }>;
export type CampaignDetailRow = Prisma.LocationCampaignGetPayload<{ include: typeof campaignDetailInclude }>;

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toCampaignListJson(campaign: CampaignListRow) {
  return {
    id: campaign.id,
    brand: campaign.location.brandId,
    location: campaign.locationId,
    location_name: campaign.location.name,
    store_number: campaign.location.storeNumber,
    template: campaign.templateId,
    template_name: campaign.template.name,
    status: campaign.status,
    scheduled_start: iso(campaign.scheduledStart),
    scheduled_end: iso(campaign.scheduledEnd),
    row_version: campaign.rowVersion,
    created_at: campaign.createdAt.toISOString(),
    updated_at: campaign.updatedAt.toISOString(),
  };
}

export type ApprovalStepRow = CampaignDetailRow['approvalSteps'][number];

export function toApprovalStepJson(step: ApprovalStepRow) {
  return {
    id: step.id,
    approver: step.approverId,
    // Users are deactivated, never deleted (the append-only trigger refuses the SET NULL a
    // deletion would cause), so a step without an approver was taken by the system.
    approver_name: step.approver ? fullName(step.approver) : 'StoreSync (automatic)',
    decision: step.decision,
    comments: step.comments,
    previous_status: step.previousStatus,
    new_status: step.newStatus,
    created_at: step.createdAt.toISOString(),
  };
}

export function toCampaignDetailJson(campaign: CampaignDetailRow) {
  return {
    ...toCampaignListJson(campaign),
    created_by: campaign.createdById,
    created_by_name: campaign.createdBy ? fullName(campaign.createdBy) : '',
    customizations: campaign.customizations as Record<string, unknown>,
    generated_content: campaign.generatedContent,
    approval_history: campaign.approvalSteps.map(toApprovalStepJson),
    allowed_actions: allowedActions(campaign.status),
  };
}
