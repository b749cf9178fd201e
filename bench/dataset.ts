/**
 * The bench's throwaway database: created on the configured server, migrated, filled with a
 * realistic volume of rows, and dropped afterwards.
 */
import { randomUUID } from 'node:crypto';
import { applyMigrations, createPrismaClient, type CampaignStatus } from '@storesync/db';
import { databaseUrl, dropDatabase, seededRandom } from '@storesync/db/testing';
import pg from 'pg';

export interface DatasetSize {
  brands: number;
  locationsPerBrand: number;
  templatesPerBrand: number;
  campaigns: number;
}

export const DEFAULT_DATASET: DatasetSize = { brands: 2, locationsPerBrand: 100, templatesPerBrand: 6, campaigns: 5_000 };

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** An empty, migrated database named `storesync_bench_<random>`. */
export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `storesync_bench_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const database = { name, url: databaseUrl(serverUrl, name), drop: () => dropDatabase(serverUrl, name) };
  try {
    await applyMigrations(database.url);
  } catch (error) {
    await database.drop();
    throw error;
  }
  return database;
}

/** Roughly how a chain's campaigns spread over the workflow. */
const STATUS_WEIGHTS: [CampaignStatus, number][] = [
  ['draft', 30],
  ['pending_review', 15],
  ['approved', 10],
  ['rejected', 5],
  ['scheduled', 10],
  ['active', 10],
  ['completed', 20],
];

const CITIES = [
  ['Austin', 'TX'],
  ['Denver', 'CO'],
  ['Portland', 'OR'],
  ['Columbus', 'OH'],
  ['Raleigh', 'NC'],
  ['Madison', 'WI'],
  ['Tucson', 'AZ'],
  ['Boise', 'ID'],
] as const;

const TEMPLATE_KINDS = ['seasonal_sale', 'grand_opening', 'holiday_hours', 'local_event', 'loyalty', 'clearance'];


export interface Dataset {
  brandIds: string[];
  /** A brand manager of the first brand: the user the load is sent as. */
  userId: string;
  /** Rows per table, for the report. */
  counts: { brands: number; locations: number; templates: number; campaigns: number; campaignsVisible: number; users: number };
}

/** Fills an empty StoreSync database with `size` worth of brands, locations, templates and campaigns. */
export async function seedDataset(url: string, size: DatasetSize = DEFAULT_DATASET): Promise<Dataset> {
  const prisma = createPrismaClient(url, { poolSize: 2 });
  const next = seededRandom(20261127);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  try {
    const brands = Array.from({ length: size.brands }, (_, index) => ({
      id: randomUUID(),
      name: index === 0 ? 'Acme Hardware' : `Brand ${index + 1} Outfitters`,
      slug: index === 0 ? 'acme-hardware' : `brand-${index + 1}-outfitters`,
      settings: { tone: 'friendly', default_locale: 'en-US' },
    }));
    await prisma.brand.createMany({ data: brands });

    const locations = brands.flatMap((brand) =>
      Array.from({ length: size.locationsPerBrand }, (_, index) => {
        const [city, state] = pick(CITIES);
        const storeNumber = String(index + 1).padStart(4, '0');
        return {
          id: randomUUID(),
          brandId: brand.id,
          name: `${brand.name} ${city} #${storeNumber}`,
          storeNumber,
          address: { street: `${100 + index} Main St`, city, state, zip: String(10000 + Math.floor(next() * 89999)) },
          attributes: { region: pick(['north', 'south', 'east', 'west']), square_feet: 8000 + Math.floor(next() * 20000), has_garden_center: next() < 0.4 },
        };
      }),
    );
    await prisma.location.createMany({ data: locations });

    const templates = brands.flatMap((brand) =>
      Array.from({ length: size.templatesPerBrand }, (_, index) => {
        const kind = TEMPLATE_KINDS[index % TEMPLATE_KINDS.length] ?? 'seasonal_sale';
        return {
          id: randomUUID(),
          brandId: brand.id,
          name: `${kind.replaceAll('_', ' ')} ${index + 1}`,
          description: `Standard ${kind.replaceAll('_', ' ')} copy for ${brand.name}`,
          contentTemplate: '{{ location.name }} is having a {{ campaign.sale_type }} sale: {{ campaign.discount }} off this weekend!',
          requiredVariables: ['sale_type', 'discount'],
          campaignType: kind,
        };
      }),
    );
    await prisma.campaignTemplate.createMany({ data: templates });

    const totalWeight = STATUS_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
    const status = (): CampaignStatus => {
      let roll = next() * totalWeight;
      for (const [value, weight] of STATUS_WEIGHTS) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return 'draft';
    };
    const now = Date.now();
    const yearMs = 365 * 24 * 3600 * 1000;
    const campaigns = Array.from({ length: size.campaigns }, () => {
      const location = pick(locations);
      const template = pick(templates.filter((candidate) => candidate.brandId === location.brandId));
      const createdAt = new Date(now - Math.floor(next() * yearMs));
      const campaignStatus = status();
      const scheduled = ['scheduled', 'active', 'completed'].includes(campaignStatus);
      const scheduledStart = scheduled ? new Date(createdAt.getTime() + 7 * 24 * 3600 * 1000) : null;
      return {
        locationId: location.id,
        templateId: template.id,
        status: campaignStatus,
        customizations: { sale_type: pick(['Spring', 'Summer', 'Fall', 'Winter']), discount: `${5 * (1 + Math.floor(next() * 8))}%` },
        generatedContent: `${location.name} is having a sale this weekend! Visit us at ${(location.address as { street: string }).street}.`,
        scheduledStart,
        scheduledEnd: scheduledStart ? new Date(scheduledStart.getTime() + 14 * 24 * 3600 * 1000) : null,
        createdAt,
        updatedAt: createdAt,
      };
    });
    for (let start = 0; start < campaigns.length; start += 2_000) {
      await prisma.locationCampaign.createMany({ data: campaigns.slice(start, start + 2_000) });
    }

    const firstBrand = brands[0];
    if (!firstBrand) throw new Error('the dataset needs at least one brand');
    const user = await prisma.user.create({
      data: {
        email: 'bench-manager@example.test',
        // Nobody signs in: the bench signs an access token for this user directly.
        passwordHash: 'bench-user-has-no-password',
        firstName: 'Bench',
        lastName: 'Manager',
        role: 'brand_manager',
        brands: { create: [{ brandId: firstBrand.id }] },
      },
    });
    const firstBrandLocations = new Set(locations.filter((location) => location.brandId === firstBrand.id).map((location) => location.id));
    // Fresh statistics, as autovacuum would have them on a long-lived database.
    await prisma.$executeRawUnsafe('ANALYZE');
    return {
      brandIds: brands.map((brand) => brand.id),
      userId: user.id,
      counts: {
        brands: brands.length,
        locations: locations.length,
        templates: templates.length,
        campaigns: campaigns.length,
        campaignsVisible: campaigns.filter((campaign) => firstBrandLocations.has(campaign.locationId)).length,
        users: 1,
      },
    };
  } finally {
    await prisma.$disconnect();
  }
}
