/**
 * Result files of bulk imports, kept in Redis for 24 hours (no table, no migration): one hash per
 * file under the app's key prefix, keyed by a random id and bound to the user who uploaded it.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export const RESULT_TTL_SECONDS = 24 * 60 * 60;

/** 128 random bits, URL-safe: unguessable, so the id alone never finds another user's file. */
export const RESULT_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export interface ResultMeta {
  userId: string;
  brandId: string;
  filename: string;
  contentType: string;
  createdAt: string;
}

export interface StoredResult {
  meta: ResultMeta;
  body: Buffer;
}

const keyOf = (id: string) => `bulk-import:result:${id}`;

export async function saveResult(redis: Redis, meta: ResultMeta, body: Buffer): Promise<{ id: string; expiresAt: Date }> {
  const id = randomBytes(16).toString('base64url');
  await redis
    .multi()
    .hset(keyOf(id), 'meta', JSON.stringify(meta), 'body', body)
    .expire(keyOf(id), RESULT_TTL_SECONDS)
    .exec();
  return { id, expiresAt: new Date(Date.now() + RESULT_TTL_SECONDS * 1000) };
}

/** The file, or null when it expired, never existed, or belongs to someone else. */
export async function loadResult(redis: Redis, id: string, userId: string): Promise<StoredResult | null> {
  if (!RESULT_ID_PATTERN.test(id)) return null;
  const raw = await redis.hget(keyOf(id), 'meta');
  if (!raw) return null;
  const meta = JSON.parse(raw) as ResultMeta;
  if (meta.userId !== userId) return null;
  const body = await redis.hgetBuffer(keyOf(id), 'body');
  return body ? { meta, body } : null;
}
