/**
 * The similarity bench's data: brands of skewed sizes, their locations and templates, campaigns
 * with 1536-dimension embeddings that have the structure of real text embeddings, and queries
 * near that distribution. Everything comes from fixed seeds, so every run benches the same data.
 *
 * How an embedding is made: a 64-dimension latent vector
 *
 *   z = 0.7·common + topic(template) + 0.6·style(brand) + 0.5·own(template) + 1.2·noise
 *
 * (every part standard normal per dimension) is projected to 1536 dimensions by one fixed
 * random matrix, 1536-dimension noise carrying about 8% of the energy is added, and the result
 * is normalised. `common` is shared by all vectors, as real embeddings share a mean direction;
 * topics (24 campaign kinds) are shared by all brands, so the nearest neighbours of a query are
 * mostly of other brands unless the search is filtered. Measured cosine similarities: 0.55 on
 * average within a template, 0.28 between a brand's other campaigns, 0.17 across brands. The
 * campaign's own variation is large enough that templates overlap: pgvector's default HNSW
 * index reaches recall@10 of about 0.93 at ef_search 40 over all brands.
 */
import { EMBEDDING_DIMENSIONS as DB_DIMENSIONS, REVIEWED_STATUSES } from '@storesync/db';
import { gaussian, random } from './random.ts';

/** A plain local: the imported binding is a getter under tsx, too slow for inner loops. */
export const DIMENSIONS: number = DB_DIMENSIONS;
export const LATENT_DIMENSIONS = 64;
const TOPICS = 24;
const STYLE_WEIGHT = 0.6;
const TEMPLATE_WEIGHT = 0.5;
const CAMPAIGN_NOISE = 1.2;
const COMMON_WEIGHT = 0.7;
/** Standard deviation of the 1536-dimension noise relative to the projected vector's per-dimension size. */
const AMBIENT_NOISE = 0.3;
/** Brand sizes fall off as rank^-ZIPF: the largest brand holds about a fifth of the campaigns. */
const ZIPF = 1.1;
const CAMPAIGNS_PER_LOCATION = 25;
const UNIT_UNIFORM = Math.sqrt(12);

export interface SimilarDatasetSize {
  campaigns: number;
  brands: number;
  queries: number;
}

/** Status mix of campaigns that have copy (and so an embedding): most of them went through review long ago. */
const STATUS_WEIGHTS: [string, number][] = [
  ['draft', 12],
  ['pending_review', 8],
  ['rejected', 5],
  ['approved', 12],
  ['scheduled', 8],
  ['active', 10],
  ['completed', 45],
];
export const STATUSES = STATUS_WEIGHTS.map(([status]) => status);
const REVIEWED = new Set<string>(REVIEWED_STATUSES);

export interface BrandRow {
  id: string;
  name: string;
  slug: string;
  /** Campaigns of this brand. */
  size: number;
}
export interface LocationRow {
  id: string;
  brandIndex: number;
  name: string;
  storeNumber: string;
}
export interface TemplateRow {
  id: string;
  brandIndex: number;
  name: string;
}

export interface SimilarQuery {
  vector: Float32Array;
  /** The brand the filtered search is limited to (the brand whose kind of copy the query is). */
  brandIndex: number;
}

export interface SimilarDataset {
  brands: BrandRow[];
  locations: LocationRow[];
  templates: TemplateRow[];
  campaigns: {
    count: number;
    ids: string[];
    location: Uint32Array;
    template: Uint32Array;
    brand: Uint16Array;
    /** Index into STATUSES. */
    status: Uint8Array;
    /** Whether the status is one of REVIEWED_STATUSES (what the searches ask for). */
    reviewed: Uint8Array;
  };
  /** count × 1536 unit vectors, campaign i at offset i·1536, in a SharedArrayBuffer. */
  vectors: Float32Array;
  /** Draws the embeddings of every campaign before `end` not drawn yet (call with rising ends). */
  fillVectors(end: number): void;
  /** Measured queries. */
  queries: SimilarQuery[];
  /** Other queries from the same distribution, to warm caches before measuring. */
  warmupQueries: SimilarQuery[];
}

function uuid(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Math.floor(next() * 4) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

function brandSizes(total: number, brands: number): number[] {
  const weights = Array.from({ length: brands }, (_, rank) => (rank + 1) ** -ZIPF);
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((weight) => Math.max(1, Math.round((total * weight) / sum)));
  sizes[0] = (sizes[0] ?? 0) + total - sizes.reduce((a, b) => a + b, 0);
  return sizes;
}

/** Projects latent vectors to unit vectors of EMBEDDING_DIMENSIONS. */
class Projector {
  private readonly matrix = new Float32Array(LATENT_DIMENSIONS * DIMENSIONS);
  private readonly out = new Float64Array(DIMENSIONS);

  constructor(normal: () => number) {
    for (let index = 0; index < this.matrix.length; index++) this.matrix[index] = normal();
  }

  /**
   * Writes the unit vector of `latent` to `target` at `offset`. `uniform` draws the
   * 1536-dimension noise (uniform with unit variance: as good as normal there, and cheaper).
   */
  project(latent: Float64Array, uniform: () => number, target: Float32Array, offset: number) {
    const out = this.out;
    const matrix = this.matrix;
    out.fill(0);
    const d = DIMENSIONS;
    // Eight latent dimensions per pass over `out` (twice as fast as one at a time).
    for (let k = 0; k < LATENT_DIMENSIONS; k += 8) {
      const [w0, w1, w2, w3, w4, w5, w6, w7] = latent.subarray(k, k + 8) as unknown as number[];
      const row = k * d;
      for (let j = 0; j < d; j++) {
        const b = row + j;
        out[j] =
          out[j]! +
          w0! * matrix[b]! +
          w1! * matrix[b + d]! +
          w2! * matrix[b + 2 * d]! +
          w3! * matrix[b + 3 * d]! +
          w4! * matrix[b + 4 * d]! +
          w5! * matrix[b + 5 * d]! +
          w6! * matrix[b + 6 * d]! +
          w7! * matrix[b + 7 * d]!;
      }
    }
    let squares = 0;
    for (let j = 0; j < DIMENSIONS; j++) squares += (out[j] ?? 0) ** 2;
    const scale = AMBIENT_NOISE * UNIT_UNIFORM * Math.sqrt(squares / DIMENSIONS);
    squares = 0;
    for (let j = 0; j < DIMENSIONS; j++) {
      const value = (out[j] ?? 0) + scale * (uniform() - 0.5);
      out[j] = value;
      squares += value * value;
    }
    const norm = Math.sqrt(squares);
    for (let j = 0; j < DIMENSIONS; j++) target[offset + j] = (out[j] ?? 0) / norm;
  }
}

/** Draws embeddings: a template's centre plus this campaign's (or query's) own variation. */
class Sampler {
  private readonly z = new Float64Array(LATENT_DIMENSIONS);
  private readonly normal: () => number;
  private readonly uniform: () => number;

  constructor(
    private readonly projector: Projector,
    private readonly centres: Float64Array[],
    seed: number,
  ) {
    this.uniform = random(seed);
    this.normal = gaussian(random(seed + 1));
  }

  sample(template: number, target: Float32Array, offset: number) {
    const centre = this.centres[template];
    if (!centre) throw new Error(`no template ${template}`);
    for (let k = 0; k < LATENT_DIMENSIONS; k++) this.z[k] = (centre[k] ?? 0) + CAMPAIGN_NOISE * this.normal();
    this.projector.project(this.z, this.uniform, target, offset);
  }
}

/**
 * Draws the data set. Brands, locations, templates, campaigns and queries come at once; the
 * campaigns' embeddings (the expensive part, about 30 s for 100,000) are drawn by
 * `fillVectors`, in order, so the loader can insert one batch while the next is drawn.
 */
export function generateDataset(size: SimilarDatasetSize, warmupQueries = 100): SimilarDataset {
  const next = random(20261128);
  const normal = gaussian(next);
  const latent = (weight = 1) => Float64Array.from({ length: LATENT_DIMENSIONS }, () => weight * normal());
  const projector = new Projector(normal);

  const common = latent(COMMON_WEIGHT);
  const topics = Array.from({ length: TOPICS }, () => latent());
  const sizes = brandSizes(size.campaigns, size.brands);
  const brands: BrandRow[] = sizes.map((campaigns, index) => ({
    id: uuid(next),
    name: `Similar Brand ${index + 1}`,
    slug: `similar-brand-${index + 1}`,
    size: campaigns,
  }));
  const locations: LocationRow[] = [];
  const templates: TemplateRow[] = [];
  /** Latent centre of each template. */
  const centres: Float64Array[] = [];
  const brandTemplates: number[][] = [];
  const brandLocations: number[][] = [];
  brands.forEach((brand, brandIndex) => {
    const style = latent(STYLE_WEIGHT);
    const mine: number[] = [];
    const templateCount = 4 + Math.floor(next() * 9);
    for (let t = 0; t < templateCount; t++) {
      const topic = topics[Math.floor(next() * TOPICS)] ?? common;
      const own = latent(TEMPLATE_WEIGHT);
      centres.push(Float64Array.from(common, (value, k) => value + (topic[k] ?? 0) + (style[k] ?? 0) + (own[k] ?? 0)));
      mine.push(templates.length);
      templates.push({ id: uuid(next), brandIndex, name: `Template ${t + 1}` });
    }
    brandTemplates.push(mine);
    const stores: number[] = [];
    const locationCount = Math.max(2, Math.round(brand.size / CAMPAIGNS_PER_LOCATION));
    for (let l = 0; l < locationCount; l++) {
      stores.push(locations.length);
      const storeNumber = String(l + 1).padStart(4, '0');
      locations.push({ id: uuid(next), brandIndex, name: `${brand.name} #${storeNumber}`, storeNumber });
    }
    brandLocations.push(stores);
  });

  // Campaigns of all brands interleaved, as they are created over time (the order rows reach
  // the table is the order the index build sees them).
  const count = size.campaigns;
  const order = new Uint16Array(count);
  let filled = 0;
  sizes.forEach((brandSize, brandIndex) => order.fill(brandIndex, filled, (filled += brandSize)));
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const swap = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = swap;
  }
  const campaigns: SimilarDataset['campaigns'] = {
    count,
    ids: [],
    location: new Uint32Array(count),
    template: new Uint32Array(count),
    brand: order,
    status: new Uint8Array(count),
    reviewed: new Uint8Array(count),
  };
  const totalWeight = STATUS_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  const status = () => {
    let roll = next() * totalWeight;
    for (let index = 0; index < STATUS_WEIGHTS.length; index++) {
      roll -= STATUS_WEIGHTS[index]?.[1] ?? 0;
      if (roll < 0) return index;
    }
    return 0;
  };
  const pick = (items: number[] | undefined) => (items ? (items[Math.floor(next() * items.length)] ?? 0) : 0);
  for (let index = 0; index < count; index++) {
    const brandIndex = order[index] ?? 0;
    campaigns.ids.push(uuid(next));
    campaigns.location[index] = pick(brandLocations[brandIndex]);
    campaigns.template[index] = pick(brandTemplates[brandIndex]);
    const statusIndex = status();
    campaigns.status[index] = statusIndex;
    campaigns.reviewed[index] = REVIEWED.has(STATUSES[statusIndex] ?? '') ? 1 : 0;
  }

  // Shared, so the exact search's worker threads read the vectors without a copy.
  const vectors = new Float32Array(new SharedArrayBuffer(count * DIMENSIONS * 4));
  const campaignSampler = new Sampler(projector, centres, 1536);
  let drawn = 0;
  const fillVectors = (end: number) => {
    for (; drawn < Math.min(end, count); drawn++) campaignSampler.sample(campaigns.template[drawn] ?? 0, vectors, drawn * DIMENSIONS);
  };

  // Queries: fresh samples of a brand's templates (new copy of a kind the brand writes), every
  // brand equally often, so small brands are asked about as much as big ones.
  const makeQueries = (total: number, seed: number) => {
    const pickQuery = random(seed);
    const sampler = new Sampler(projector, centres, seed + 1);
    return Array.from({ length: total }, (_, q): SimilarQuery => {
      const brandIndex = q % brands.length;
      const mine = brandTemplates[brandIndex] ?? [];
      const vector = new Float32Array(DIMENSIONS);
      sampler.sample(mine[Math.floor(pickQuery() * mine.length)] ?? 0, vector, 0);
      return { vector, brandIndex };
    });
  };
  return {
    brands,
    locations,
    templates,
    campaigns,
    vectors,
    fillVectors,
    queries: makeQueries(size.queries, 200),
    warmupQueries: makeQueries(warmupQueries, 300),
  };
}
