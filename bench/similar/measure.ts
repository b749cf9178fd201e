/**
 * Runs the queries through the real `findSimilarCampaigns` and scores them: recall@k against the
 * exact top-k, and latency as the caller sees it (the whole call: Prisma, the transaction, the
 * SQL).
 */
import { findSimilarCampaigns, REVIEWED_STATUSES, type PrismaClient, type SimilarCampaign, type SimilarityQuery } from '@storesync/db';
import { DIMENSIONS, type SimilarDataset, type SimilarQuery } from './dataset.ts';
import type { ExactResult } from './exact.ts';

export type Case = 'all' | 'brand';

/**
 * A returned campaign counts as a hit if it is in the exact top-k or as near as the k-th exact
 * neighbour up to float rounding (ties, and float4 vs float8 arithmetic, may swap the last
 * places; ann-benchmarks allows for the same).
 */
const TIE_EPSILON = 1e-6;

export interface QueryOutcome {
  query: SimilarQuery;
  milliseconds: number;
  /** Returned campaigns that are among the exact nearest. */
  hits: number;
  /** How many the exact search found (k, unless the filter matches fewer campaigns). */
  expected: number;
  returned: number;
}

export interface CaseResult {
  case: Case;
  outcomes: QueryOutcome[];
  recall: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? NaN;
}

function dot(query: Float32Array, vectors: Float32Array, index: number): number {
  const offset = index * DIMENSIONS;
  let sum = 0;
  for (let j = 0; j < DIMENSIONS; j++) sum += query[j]! * vectors[offset + j]!;
  return sum;
}

export function summarize(kind: Case, outcomes: QueryOutcome[]): CaseResult {
  const latencies = outcomes.map((outcome) => outcome.milliseconds);
  return {
    case: kind,
    outcomes,
    recall: outcomes.reduce((sum, outcome) => sum + outcome.hits, 0) / outcomes.reduce((sum, outcome) => sum + outcome.expected, 0),
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    max: Math.max(...latencies),
  };
}

/** A similarity search with findSimilarCampaigns' signature (the real one, or a candidate design). */
export type SearchFunction = (prisma: PrismaClient, query: SimilarityQuery) => Promise<SimilarCampaign[]>;

export class Searcher {
  private readonly indexOf = new Map<string, number>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly dataset: SimilarDataset,
    private readonly k: number,
    private readonly searchFunction: SearchFunction = findSimilarCampaigns,
  ) {
    dataset.campaigns.ids.forEach((id, index) => this.indexOf.set(id, index));
  }

  search(query: SimilarQuery, kind: Case): Promise<SimilarCampaign[]> {
    const brandId = this.dataset.brands[query.brandIndex]?.id;
    if (!brandId) throw new Error(`no brand ${query.brandIndex}`);
    return this.searchFunction(this.prisma, {
      embedding: Array.from(query.vector),
      brandIds: kind === 'brand' ? [brandId] : null,
      statuses: REVIEWED_STATUSES,
      limit: this.k,
    });
  }

  /** Runs each query once, one at a time; throws if an answer breaks the filters. */
  async run(queries: SimilarQuery[], kind: Case, exact: ExactResult[] | null): Promise<QueryOutcome[]> {
    const outcomes: QueryOutcome[] = [];
    for (const [position, query] of queries.entries()) {
      const started = performance.now();
      const rows = await this.search(query, kind);
      const milliseconds = performance.now() - started;
      this.check(query, kind, rows);
      const truth = exact?.[position];
      const expected = truth ? (kind === 'all' ? truth.all : truth.own).length : 0;
      outcomes.push({ query, milliseconds, hits: truth ? this.hits(query, kind, rows, truth) : 0, expected, returned: rows.length });
    }
    return outcomes;
  }

  private check(query: SimilarQuery, kind: Case, rows: SimilarCampaign[]) {
    const { campaigns, brands } = this.dataset;
    const brandId = brands[query.brandIndex]?.id;
    const reviewed = new Set<string>(REVIEWED_STATUSES);
    for (const row of rows) {
      const index = this.indexOf.get(row.id);
      if (index === undefined) throw new Error(`findSimilarCampaigns returned an unknown campaign ${row.id}`);
      if (!reviewed.has(row.status) || !campaigns.reviewed[index]) throw new Error(`findSimilarCampaigns returned campaign ${row.id} in status ${row.status}`);
      if (kind === 'brand' && row.brandId !== brandId) throw new Error(`findSimilarCampaigns returned campaign ${row.id} of another brand`);
    }
    for (let i = 1; i < rows.length; i++) {
      if ((rows[i]?.similarity ?? 0) > (rows[i - 1]?.similarity ?? 0) + 1e-9) throw new Error('findSimilarCampaigns returned rows out of order');
    }
  }

  private hits(query: SimilarQuery, kind: Case, rows: SimilarCampaign[], truth: ExactResult): number {
    const exact = kind === 'all' ? truth.all : truth.own;
    const last = exact[exact.length - 1];
    const threshold = last === undefined ? Infinity : dot(query.vector, this.dataset.vectors, last) - TIE_EPSILON;
    const exactSet = new Set(exact);
    let hits = 0;
    for (const row of rows.slice(0, this.k)) {
      const index = this.indexOf.get(row.id) ?? -1;
      if (exactSet.has(index) || dot(query.vector, this.dataset.vectors, index) >= threshold) hits++;
    }
    return Math.min(hits, exact.length);
  }
}
