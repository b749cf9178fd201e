/** What the campaign page shows, loaded within the user's reach (another brand's campaign is a 404). */
import { renderTemplate } from '@storesync/core';
import type { PrismaClient } from '@storesync/db';
import { campaignWhere, isReviewer } from '../../lib/access.ts';
import type { AuthUser } from '../../lib/types.ts';
import { findVisibleCampaign, templateContextOf } from '../campaigns/campaigns.handlers.ts';
import type { CampaignDetailRow } from '../campaigns/campaigns.serializers.ts';

export async function loadCampaignView(prisma: PrismaClient, user: AuthUser, id: string) {
  const campaign = await findVisibleCampaign(prisma, user, id);
  const [brand, rendered, versions] = await Promise.all([
    prisma.brand.findUniqueOrThrow({ where: { id: campaign.location.brandId }, select: { name: true } }),
    renderTemplate(campaign.template.contentTemplate, templateContextOf(campaign)),
    prisma.campaignContentVersion.findMany({
      where: { campaignId: campaign.id },
      orderBy: { versionNumber: 'desc' },
      select: {
        id: true,
        versionNumber: true,
        status: true,
        content: true,
        failureReason: true,
        provider: true,
        model: true,
        exampleIds: true,
        createdAt: true,
      },
    }),
  ]);
  // The examples the current copy was generated from; ones the user cannot see are left out.
  const exampleIds = versions.find((version) => version.id === campaign.currentVersionId)?.exampleIds ?? [];
  const examples = exampleIds.length
    ? await prisma.locationCampaign.findMany({
        where: { AND: [{ id: { in: exampleIds } }, campaignWhere(user)] },
        select: {
          id: true,
          status: true,
          generatedContent: true,
          location: { select: { name: true, storeNumber: true } },
          template: { select: { name: true } },
        },
      })
    : [];
  return { campaign, brandName: brand.name, rendered, versions, examples, hiddenExamples: exampleIds.length - examples.length };
}

export type CampaignView = Awaited<ReturnType<typeof loadCampaignView>>;

/** Why this user may not decide on this campaign now, or null when they may. */
export function whyNoDecision(user: AuthUser, campaign: CampaignDetailRow): string | null {
  if (campaign.status !== 'pending_review') return `This campaign is ${campaign.status.replace('_', ' ')}; there is nothing to decide.`;
  if (!isReviewer(user)) return 'You can follow this campaign here; brand managers and admins take the decisions.';
  if (campaign.createdById === user.id) return 'You created this campaign, so another brand manager or admin decides on it.';
  return null;
}
