/**
 * Exact top-k by brute force over the generated vectors, in worker threads (one per core, at
 * most 2): the ground truth recall is measured against. Ranks by dot product, which for these
 * unit vectors orders exactly like cosine distance up to float rounding (recall.ts allows for it).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { DIMENSIONS, type SimilarDataset, type SimilarQuery } from './dataset.ts';

export interface ExactResult {
  /** Campaign indexes of the k nearest reviewed campaigns of any brand, nearest first. */
  all: number[];
  /** The same within the query's brand. */
  own: number[];
}

function runWorker(dataset: SimilarDataset, queries: SimilarQuery[], k: number): Promise<ExactResult[]> {
  const worker = new Worker(new URL('./exact-worker.js', import.meta.url), {
    workerData: {
      vectors: dataset.vectors.buffer,
      dimensions: DIMENSIONS,
      count: dataset.campaigns.count,
      reviewed: dataset.campaigns.reviewed,
      brand: dataset.campaigns.brand,
      queries: queries.map((query) => ({ vector: query.vector, brandIndex: query.brandIndex })),
      k,
    },
  });
  return new Promise<ExactResult[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`exact search worker exited with code ${code}`)));
  }).finally(() => void worker.terminate());
}

export async function exactTopK(dataset: SimilarDataset, queries: SimilarQuery[], k: number): Promise<ExactResult[]> {
  if (!(dataset.vectors.buffer instanceof SharedArrayBuffer)) throw new Error('the vectors must live in a SharedArrayBuffer');
  const threads = Math.max(1, Math.min(2, os.availableParallelism()));
  const share = Math.ceil(queries.length / threads);
  const parts = await Promise.all(
    Array.from({ length: threads }, (_, t) => runWorker(dataset, queries.slice(t * share, (t + 1) * share), k)),
  );
  return parts.flat();
}
