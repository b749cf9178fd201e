/**
 * The generation bench's data: one brand with `campaigns` draft campaigns to generate, spread
 * over its stores and templates, a few dozen approved campaigns with copy and embeddings for the
 * worker to retrieve as examples, and an admin to start the run as.
 */
import { randomUUID } from 'node:crypto';
import { createPrismaClient, setCampaignEmbeddings } from '@storesync/db';
import { seededRandom } from '@storesync/db/testing';
import { createOfflineProviders } from '@storesync/worker/providers';

const LOCATIONS = 250;
const TEMPLATES = 4;
const EXAMPLES = 60;
const CITIES = ['Austin', 'Denver', 'Portland', 'Columbus', 'Raleigh', 'Madison', 'Tucson', 'Boise'];
const SEASONS = ['Spring', 'Summer', 'Fall', 'Winter'];

export interface GenerationDataset {
  brandId: string;
  userId: string;
  campaignIds: string[];
  examples: number;
  locations: number;
  templates: number;
}

export async function seedGenerationDataset(url: string, campaigns: number): Promise<GenerationDataset> {
  const prisma = createPrismaClient(url, { poolSize: 2 });
  const next = seededRandom(20261201);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  try {
    const brand = await prisma.brand.create({
      data: { name: 'Acme Hardware', slug: 'acme-hardware', settings: { tone: 'friendly and local', default_locale: 'en-US' } },
    });
    const locations = Array.from({ length: LOCATIONS }, (_, index) => {
      const storeNumber = String(index + 1).padStart(4, '0');
      const city = pick(CITIES);
      return {
        id: randomUUID(),
        brandId: brand.id,
        name: `Acme ${city} #${storeNumber}`,
        storeNumber,
        address: { street: `${100 + index} Main St`, city, state: 'TX', zip: String(70000 + index) },
        attributes: { region: pick(['north', 'south', 'east', 'west']), has_garden_center: next() < 0.4 },
      };
    });
    await prisma.location.createMany({ data: locations });
    const templates = Array.from({ length: TEMPLATES }, (_, index) => ({
      id: randomUUID(),
      brandId: brand.id,
      name: `Seasonal sale ${index + 1}`,
      contentTemplate: '{{ location.name }} is having a {{ campaign.sale_type }} sale: {{ campaign.discount }} off this weekend!',
      requiredVariables: ['sale_type', 'discount'],
      campaignType: 'seasonal_sale',
    }));
    await prisma.campaignTemplate.createMany({ data: templates });

    const campaign = (status: 'draft' | 'approved', index: number) => {
      const location = locations[index % locations.length]!;
      return {
        id: randomUUID(),
        locationId: location.id,
        templateId: templates[Math.floor(index / locations.length) % templates.length]!.id,
        status,
        customizations: { sale_type: pick(SEASONS), discount: `${5 * (1 + Math.floor(next() * 8))}%` },
        generatedContent:
          status === 'approved' ? `${location.name} is having a sale this weekend: big savings on tools and garden supplies. See you there!` : '',
      };
    };
    const drafts = Array.from({ length: campaigns }, (_, index) => campaign('draft', index));
    const approved = Array.from({ length: EXAMPLES }, (_, index) => campaign('approved', campaigns + index));
    await prisma.locationCampaign.createMany({ data: [...drafts, ...approved] });
    // The examples' embeddings as the fake server computes them (the offline provider's vectors).
    const { embeddings } = await createOfflineProviders().embeddings.embed(approved.map((row) => row.generatedContent));
    await setCampaignEmbeddings(prisma, approved.map((row, index) => ({ campaignId: row.id, embedding: embeddings[index] ?? [] })));

    const user = await prisma.user.create({
      data: {
        email: 'bench-admin@example.test',
        // Nobody signs in: the bench signs an access token for this user directly.
        passwordHash: 'bench-user-has-no-password',
        firstName: 'Bench',
        lastName: 'Admin',
        role: 'admin',
      },
    });
    await prisma.$executeRawUnsafe('ANALYZE');
    return {
      brandId: brand.id,
      userId: user.id,
      campaignIds: drafts.map((row) => row.id),
      examples: EXAMPLES,
      locations: LOCATIONS,
      templates: TEMPLATES,
    };
  } finally {
    await prisma.$disconnect();
  }
}
