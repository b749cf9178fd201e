/**
 * Rotating refresh tokens. Each token is random, stored only as its SHA-256, and used once:
 * refreshing spends it and issues the next token of the same family. Presenting a spent token
 * means it was stolen or replayed, so the whole family is revoked.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '@storesync/db';
import { ApiError, ErrorCode } from '../errors.ts';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface IssueOptions {
  userId: string;
  ttlDays: number;
  familyId?: string;
  createdIp?: string;
  userAgent?: string;
}

export async function issueRefreshToken(prisma: PrismaClient, options: IssueOptions): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await prisma.refreshToken.create({
    data: {
      userId: options.userId,
      familyId: options.familyId ?? randomUUID(),
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + options.ttlDays * 24 * 60 * 60 * 1000),
      createdIp: options.createdIp ?? null,
      userAgent: options.userAgent ?? null,
    },
  });
  return token;
}

const invalidRefresh = () => new ApiError(ErrorCode.Unauthenticated, 'Refresh token is invalid, expired or revoked; sign in again');

export async function revokeFamily(prisma: PrismaClient, familyId: string): Promise<void> {
  await prisma.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/**
 * Ends every session of a user (password change, deactivation): refresh tokens are revoked, and
 * requireAuth refuses access tokens issued before now.
 */
export async function endAllSessions(db: Prisma.TransactionClient, userId: string): Promise<void> {
  const now = new Date();
  await db.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  await db.user.update({ where: { id: userId }, data: { sessionsValidAfter: now } });
}

/** Spends `token` and returns the next one of its family, with the user it belongs to. */
export async function rotateRefreshToken(
  prisma: PrismaClient,
  token: string,
  options: Omit<IssueOptions, 'userId' | 'familyId'>,
): Promise<{ userId: string; refreshToken: string }> {
  const stored = await prisma.refreshToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!stored || stored.revokedAt || stored.expiresAt <= new Date()) throw invalidRefresh();
  // Spend it atomically: of two concurrent refreshes with one token, exactly one wins.
  const spent = await prisma.refreshToken.updateMany({
    where: { id: stored.id, usedAt: null, revokedAt: null },
    data: { usedAt: new Date() },
  });
  if (spent.count === 0) {
    await revokeFamily(prisma, stored.familyId);
    throw new ApiError(ErrorCode.Unauthenticated, 'Refresh token was already used; every session of this sign-in is revoked');
  }
  const refreshToken = await issueRefreshToken(prisma, { ...options, userId: stored.userId, familyId: stored.familyId });
  return { userId: stored.userId, refreshToken };
}

/** Logout: revokes the family of `token`. Unknown tokens are ignored so logout is idempotent. */
export async function revokeRefreshToken(prisma: PrismaClient, token: string): Promise<void> {
  const stored = await prisma.refreshToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (stored) await revokeFamily(prisma, stored.familyId);
}
