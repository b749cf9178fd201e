/**
 * Login throttling in Redis, shared by every API process: failed attempts per account and all
 * attempts per client address, each in a fixed window.
 */
import type { Redis } from 'ioredis';
import { ApiError, ErrorCode } from '../errors.ts';

export interface LoginLimits {
  maxFailuresPerAccount: number;
  maxAttemptsPerAddress: number;
  windowSeconds: number;
}

const accountKey = (email: string) => `login:failures:account:${email}`;
const addressKey = (address: string) => `login:attempts:address:${address}`;

function tooMany(retryAfterSeconds: number, what: string) {
  return new ApiError(ErrorCode.RateLimited, `Too many sign-in attempts for this ${what}; try again in ${retryAfterSeconds} s`, {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}

async function retryAfter(redis: Redis, key: string, windowSeconds: number) {
  const ttl = await redis.ttl(key);
  return ttl > 0 ? ttl : windowSeconds;
}

/** Counts this attempt against the address and refuses it when either limit is reached. */
export async function checkLoginAllowed(redis: Redis, limits: LoginLimits, email: string, address: string): Promise<void> {
  const [[, attempts]] = (await redis
    .multi()
    .incr(addressKey(address))
    .expire(addressKey(address), limits.windowSeconds, 'NX')
    .exec()) as [[Error | null, number]];
  if (attempts > limits.maxAttemptsPerAddress) {
    throw tooMany(await retryAfter(redis, addressKey(address), limits.windowSeconds), 'address');
  }
  const failures = Number((await redis.get(accountKey(email))) ?? 0);
  if (failures >= limits.maxFailuresPerAccount) {
    throw tooMany(await retryAfter(redis, accountKey(email), limits.windowSeconds), 'account');
  }
}

export async function recordLoginFailure(redis: Redis, limits: LoginLimits, email: string): Promise<void> {
  await redis.multi().incr(accountKey(email)).expire(accountKey(email), limits.windowSeconds, 'NX').exec();
}

export async function clearLoginFailures(redis: Redis, email: string): Promise<void> {
  await redis.del(accountKey(email));
}
