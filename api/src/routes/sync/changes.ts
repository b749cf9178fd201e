/**
 * The change feed of a brand, read by GET /sync/changes and streamed by GET /sync/events: entities
 * changed after a cursor, each as it is now, limited to what the reader may see. Entities the
 * reader may not see are left out, and the cursor still moves past them.
 */
import type { ChangeEvent, ChangeFeedPage } from '@storesync/core';
import { changedEntities, type PrismaClient } from '@storesync/db';
import { campaignWhere, locationWhere, templateWhere } from '../../lib/access.ts';
import type { AuthUser } from '../../lib/types.ts';
import { campaignDetailInclude, toCampaignDetailJson } from '../campaigns/campaigns.serializers.ts';
import { toLocationJson } from '../locations/locations.handlers.ts';
import { toTemplateJson } from '../templates/templates.handlers.ts';

export async function readChanges(
  prisma: PrismaClient,
  user: AuthUser,
  brandId: string,
  since: bigint,
  limit: number,
): Promise<ChangeFeedPage> {
  const changed = await changedEntities(prisma, brandId, since, limit + 1);
  const page = changed.slice(0, limit);
  const idsOf = (entity: string) => page.filter((change) => change.entity === entity && !change.deleted).map((change) => change.entity_id);
  const [locations, campaigns, templates] = await Promise.all([
    prisma.location.findMany({ where: { AND: [{ id: { in: idsOf('location') } }, locationWhere(user)] } }),
    prisma.locationCampaign.findMany({
      relationLoadStrategy: 'join',
      where: { AND: [{ id: { in: idsOf('campaign') } }, campaignWhere(user)] },
      include: campaignDetailInclude,
    }),
    prisma.campaignTemplate.findMany({ where: { AND: [{ id: { in: idsOf('template') } }, templateWhere(user)] } }),
  ]);
  const records = new Map<string, ChangeEvent>();
  for (const location of locations) {
    records.set(location.id, { seq: '', entity: 'location', id: location.id, row_version: location.rowVersion, deleted: false, record: toLocationJson(location) });
  }
  for (const campaign of campaigns) {
    records.set(campaign.id, { seq: '', entity: 'campaign', id: campaign.id, row_version: campaign.rowVersion, deleted: false, record: toCampaignDetailJson(campaign) });
  }
  for (const template of templates) {
    records.set(template.id, { seq: '', entity: 'template', id: template.id, row_version: template.rowVersion, deleted: false, record: toTemplateJson(template) });
  }

  const changes: ChangeEvent[] = [];
  for (const change of page) {
    const seq = change.seq.toString();
    if (change.deleted) {
      changes.push({ seq, entity: change.entity, id: change.entity_id, row_version: change.row_version, deleted: true });
      continue;
    }
    // Not visible to this reader, or deleted since (its deletion is a later change).
    const current = records.get(change.entity_id);
    if (current) changes.push({ ...current, seq });
  }
  const last = page.at(-1);
  return {
    brand: brandId,
    changes,
    next_cursor: last ? last.seq.toString() : since.toString(),
    has_more: changed.length > limit,
  };
}
