/**
 * The shared provider rate limiter against the real Redis: two limiter instances (two workers)
 * on one key never exceed the configured pace together, token estimates are corrected by the
 * real usage, and a pause holds every caller.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisConnectionOptions } from '../redis.ts';
import { createRateLimiter, type RateLimiter, type RateLimits } from './limiter.ts';

const prefix = `limiter-test-${randomUUID().slice(0, 8)}`;
// Two connections, as two worker processes would have.
const queues = [0, 1].map(() => new Queue('limiter', { connection: redisConnectionOptions(inject('redisUrl')), prefix }));

afterAll(async () => {
  const client = await queues[0]!.getBackend().client;
  await client.del(...[0, 1, 2, 3, 4].map((index) => `${prefix}:rate-${index}`));
  await Promise.all(queues.map((queue) => queue.close()));
});

let keyIndex = 0;
/** Two limiters (one per connection) on a fresh key with these limits. */
function limiterPair(limits: RateLimits): [RateLimiter, RateLimiter] {
  const key = `${prefix}:rate-${keyIndex++}`;
  return [createRateLimiter(queues[0]!.getBackend().client, key, limits), createRateLimiter(queues[1]!.getBackend().client, key, limits)];
}

/** Calls that take their slot and record when they start, as the provider wrapper does. */
async function startTimes(limiter: RateLimiter, calls: number, tokens: number, until: number): Promise<number[]> {
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: calls }, async () => {
      const { waitMs } = await limiter.reserve(tokens);
      if (Date.now() + waitMs > until) return;
      await sleep(waitMs);
      starts.push(Date.now());
    }),
  );
  return starts;
}

/** The most starts in any window of `windowMs` (each start opening a window). */
function busiestWindow(starts: number[], windowMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let best = 0;
  for (let first = 0, last = 0; first < sorted.length; first++) {
    while (last < sorted.length && sorted[last]! < sorted[first]! + windowMs) last++;
    best = Math.max(best, last - first);
  }
  return best;
}

beforeAll(async () => {
  // The first script call defines the commands; keep that out of the timings.
  await Promise.all(limiterPair({}).map((limiter) => limiter.waitTime()));
});

describe('the shared rate limiter', () => {
  it('keeps two instances together at the requests-per-minute pace, evenly spaced', async () => {
    // 1,200 per minute: one call every 50 ms, at most 20 in any second.
    const [a, b] = limiterPair({ requestsPerMinute: 1_200 });
    const began = Date.now();
    const until = began + 2_000;
    const starts = (await Promise.all([startTimes(a, 40, 10, until), startTimes(b, 40, 10, until)])).flat();
    // Slots are 50 ms apart from the first: within 2 s that is 40 calls (rounding of sleeps aside).
    expect(starts.length).toBeGreaterThanOrEqual(38);
    expect(starts.length).toBeLessThanOrEqual(41);
    // A timer that fires late (a busy machine) moves a start towards the next slot's, so a window
    // may catch one or two extra calls, never a burst.
    expect(busiestWindow(starts, 1_000)).toBeLessThanOrEqual(22);
    expect(busiestWindow(starts, 250)).toBeLessThanOrEqual(7);
  });

  it('hands out distinct slots: 100 reservations from two instances at once are 10 ms apart', async () => {
    const [a, b] = limiterPair({ requestsPerMinute: 6_000 });
    const waits = await Promise.all(Array.from({ length: 100 }, (_, index) => (index % 2 ? a : b).reserve(1).then((r) => r.waitMs)));
    const sorted = waits.sort((x, y) => x - y);
    expect(sorted[0]).toBe(0);
    // The 100th slot lies 99 × 10 ms ahead (the requests arrive over a few ms, which it absorbs).
    expect(sorted[99]).toBeGreaterThanOrEqual(970);
    expect(sorted[99]).toBeLessThanOrEqual(1_000);
    for (let index = 1; index < sorted.length; index++) expect(sorted[index]! - sorted[index - 1]!).toBeLessThanOrEqual(11);
  });

  it('paces tokens per minute and corrects each estimate with the real usage', async () => {
    // 60,000 tokens per minute: 1 ms per token.
    const [a, b] = limiterPair({ tokensPerMinute: 60_000 });
    const first = await a.reserve(500);
    expect(first.waitMs).toBe(0);
    // The next call starts once the first one's 500 tokens are paid for.
    const second = await b.reserve(100);
    expect(second.waitMs).toBeGreaterThan(480);
    expect(second.waitMs).toBeLessThanOrEqual(500);
    // The first call used 200 tokens, not 500: 300 ms come back to whoever is next.
    await a.adjust(first, 200);
    const third = await a.waitTime();
    expect(third).toBeGreaterThan(500 + 100 - 300 - 30);
    expect(third).toBeLessThanOrEqual(500 + 100 - 300);
    // The second used 400 more than it reserved: the queue moves 400 ms further out.
    await b.adjust(second, 500);
    expect(await b.waitTime()).toBeGreaterThan(third + 400 - 30);
  });

  it('waits for whichever limit binds: requests and tokens together', async () => {
    const [a] = limiterPair({ requestsPerMinute: 600, tokensPerMinute: 600_000 });
    // 100 ms per request, 0.1 ms per token: 3,000 tokens take 300 ms, longer than one request.
    await a.reserve(3_000);
    expect(await a.waitTime()).toBeGreaterThan(250);
    const [b] = limiterPair({ requestsPerMinute: 600, tokensPerMinute: 600_000 });
    await b.reserve(10);
    const wait = await b.waitTime();
    expect(wait).toBeGreaterThan(80);
    expect(wait).toBeLessThanOrEqual(100);
  });

  it('holds every caller while paused (Retry-After), also without configured limits', async () => {
    const [a, b] = limiterPair({});
    expect((await a.reserve(100)).waitMs).toBe(0);
    await a.pause(1_500);
    const held = await b.reserve(100);
    expect(held.waitMs).toBeGreaterThan(1_400);
    expect(held.waitMs).toBeLessThanOrEqual(1_500);
    // A shorter pause does not cut a longer one short.
    await b.pause(100);
    expect(await a.waitTime()).toBeGreaterThan(1_300);
  });
});
