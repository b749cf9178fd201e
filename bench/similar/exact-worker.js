// Exact nearest neighbours by brute force, for the similarity bench (see exact.ts). Plain
// JavaScript because worker threads do not inherit tsx's loader.
import { parentPort, workerData } from 'node:worker_threads';

const { vectors: vectorBuffer, dimensions, count, reviewed, brand, queries, k } = workerData;
const vectors = new Float32Array(vectorBuffer);
/** Queries per pass over the data: each stored vector is read once for the whole block. */
const BLOCK = 8;

/** A top-k list of [similarity, index], best first. */
function insert(list, similarity, index) {
  if (list.length === k && similarity <= list[k - 1][0]) return;
  let position = list.length < k ? list.length : k - 1;
  if (list.length < k) list.push([similarity, index]);
  while (position > 0 && list[position - 1][0] < similarity) {
    list[position] = list[position - 1];
    position--;
  }
  list[position] = [similarity, index];
}

const results = [];
for (let start = 0; start < queries.length; start += BLOCK) {
  const block = queries.slice(start, start + BLOCK);
  const q = block.map((query) => Float64Array.from(query.vector));
  const all = block.map(() => []);
  const own = block.map(() => []);
  const sums = new Float64Array(block.length);
  for (let i = 0; i < count; i++) {
    if (!reviewed[i]) continue;
    const offset = i * dimensions;
    for (let b = 0; b < block.length; b++) {
      const query = q[b];
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < dimensions; j += 4) {
        s0 += query[j] * vectors[offset + j];
        s1 += query[j + 1] * vectors[offset + j + 1];
        s2 += query[j + 2] * vectors[offset + j + 2];
        s3 += query[j + 3] * vectors[offset + j + 3];
      }
      sums[b] = s0 + s1 + s2 + s3;
    }
    for (let b = 0; b < block.length; b++) {
      insert(all[b], sums[b], i);
      if (brand[i] === block[b].brandIndex) insert(own[b], sums[b], i);
    }
  }
  for (let b = 0; b < block.length; b++) {
    results.push({ all: all[b].map(([, index]) => index), own: own[b].map(([, index]) => index) });
  }
}
parentPort.postMessage(results);
