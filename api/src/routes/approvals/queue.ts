/**
 * The approval queue: campaigns in review that the user can see, longest waiting first, with
 * brand, template and location filters. Each filter's options are counted with the other two
 * filters applied, so a count says how many campaigns choosing that option would list.
 */
import type { Prisma, PrismaClient } from '@storesync/db';
import { campaignWhere } from '../../lib/access.ts';
import type { AuthUser } from '../../lib/types.ts';

export const QUEUE_PAGE_SIZE = 50;
/** Big chains have thousands of stores: the location filter offers the busiest ones. */
const MAX_LOCATION_OPTIONS = 100;

export interface QueueFilters {
  brand?: string | undefined;
  template?: string | undefined;
  location?: string | undefined;
  page: number;
}

export interface FacetOption {
  id: string;
  label: string;
  count: number;
}

export const queueSelect = {
  id: true,
  rowVersion: true,
  createdById: true,
  submittedAt: true,
  createdAt: true,
  generatedContent: true,
  location: { select: { name: true, storeNumber: true, brand: { select: { name: true } } } },
  template: { select: { name: true } },
  createdBy: { select: { firstName: true, lastName: true, email: true } },
} as const satisfies Prisma.LocationCampaignSelect;

export type QueueItem = Prisma.LocationCampaignGetPayload<{ select: typeof queueSelect }>;

export interface Queue {
  items: QueueItem[];
  /** Campaigns the filters match (all pages). */
  total: number;
  /** Campaigns in review the user can see, unfiltered. */
  unfiltered: number;
  brands: FacetOption[];
  templates: FacetOption[];
  locations: FacetOption[];
  /** More locations have campaigns waiting than the filter offers. */
  locationsTruncated: boolean;
}

const inReview = (user: AuthUser): Prisma.LocationCampaignWhereInput[] => [campaignWhere(user), { status: 'pending_review' }];

function filterWhere(filters: QueueFilters): Prisma.LocationCampaignWhereInput[] {
  return [
    ...(filters.brand ? [{ location: { brandId: filters.brand } }] : []),
    ...(filters.template ? [{ templateId: filters.template }] : []),
    ...(filters.location ? [{ locationId: filters.location }] : []),
  ];
}

export const queueOrder: Prisma.LocationCampaignOrderByWithRelationInput[] = [
  { submittedAt: { sort: 'asc', nulls: 'first' } },
  { createdAt: 'asc' },
  { id: 'asc' },
];

interface Group {
  locationId: string;
  templateId: string;
  brandId: string;
  count: number;
}

/** Counts per option of one filter, over the groups the other two filters keep. */
function facet(groups: Group[], key: 'brandId' | 'templateId' | 'locationId', keep: (group: Group) => boolean, labels: Map<string, string>) {
  const counts = new Map<string, number>();
  for (const group of groups) if (keep(group)) counts.set(group[key], (counts.get(group[key]) ?? 0) + group.count);
  return [...counts]
    .map(([id, count]) => ({ id, count, label: labels.get(id) ?? id }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

export async function loadQueue(prisma: PrismaClient, user: AuthUser, filters: QueueFilters): Promise<Queue> {
  const where = { AND: [...inReview(user), ...filterWhere(filters)] };
  const [total, items, rawGroups] = await Promise.all([
    prisma.locationCampaign.count({ where }),
    prisma.locationCampaign.findMany({
      relationLoadStrategy: 'join',
      where,
      select: queueSelect,
      orderBy: queueOrder,
      skip: (filters.page - 1) * QUEUE_PAGE_SIZE,
      take: QUEUE_PAGE_SIZE,
    }),
    prisma.locationCampaign.groupBy({ by: ['locationId', 'templateId'], where: { AND: inReview(user) }, _count: { _all: true } }),
  ]);
  const [locations, templates] = await Promise.all([
    prisma.location.findMany({
      where: { id: { in: [...new Set(rawGroups.map((group) => group.locationId))] } },
      select: { id: true, name: true, storeNumber: true, brandId: true, brand: { select: { name: true } } },
    }),
    prisma.campaignTemplate.findMany({
      where: { id: { in: [...new Set(rawGroups.map((group) => group.templateId))] } },
      select: { id: true, name: true },
    }),
  ]);
  const locationById = new Map(locations.map((location) => [location.id, location]));
  const groups: Group[] = rawGroups.map((group) => ({
    locationId: group.locationId,
    templateId: group.templateId,
    brandId: locationById.get(group.locationId)?.brandId ?? '',
    count: group._count._all,
  }));
  const keep = (skip: keyof Omit<QueueFilters, 'page'>) => (group: Group) =>
    (skip === 'brand' || !filters.brand || group.brandId === filters.brand) &&
    (skip === 'template' || !filters.template || group.templateId === filters.template) &&
    (skip === 'location' || !filters.location || group.locationId === filters.location);
  const brandLabels = new Map(locations.map((location) => [location.brandId, location.brand.name]));
  const templateLabels = new Map(templates.map((template) => [template.id, template.name]));
  const locationLabels = new Map(locations.map((location) => [location.id, `${location.name} (#${location.storeNumber})`]));
  const allLocations = facet(groups, 'locationId', keep('location'), locationLabels);
  const busiest = [...allLocations].sort((a, b) => b.count - a.count).slice(0, MAX_LOCATION_OPTIONS);
  const selected = allLocations.find((option) => option.id === filters.location);
  const offered = selected && !busiest.includes(selected) ? [...busiest, selected] : busiest;
  return {
    items,
    total,
    unfiltered: groups.reduce((sum, group) => sum + group.count, 0),
    brands: facet(groups, 'brandId', keep('brand'), brandLabels),
    templates: facet(groups, 'templateId', keep('template'), templateLabels),
    locations: offered.sort((a, b) => a.label.localeCompare(b.label)),
    locationsTruncated: allLocations.length > offered.length,
  };
}

/** The longest-waiting campaign in review that this user may decide on, other than `exceptId`. */
export async function nextToDecide(prisma: PrismaClient, user: AuthUser, exceptId: string) {
  return prisma.locationCampaign.findFirst({
    where: {
      AND: [...inReview(user), { id: { not: exceptId } }, { OR: [{ createdById: null }, { createdById: { not: user.id } }] }],
    },
    select: { id: true, location: { select: { name: true } }, template: { select: { name: true } } },
    orderBy: queueOrder,
  });
}
