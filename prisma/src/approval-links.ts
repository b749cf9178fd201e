/**
 * Single-use review links. The worker writes one per approver into the review email; the web
 * page checks and spends it. The token is 256 random bits: only its SHA-256 is stored, next to
 * what it is bound to (one approver, one campaign at one row_version) and when it expires, so a
 * token cannot be guessed, forged or read back from the database.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Prisma } from './generated/client.ts';

export const hashApprovalLinkToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface ApprovalLinkGrant {
  userId: string;
  campaignId: string;
  rowVersion: number;
  expiresAt: Date;
}

/** Stores a new link and returns its token (the only copy: it goes into the email). */
export async function createApprovalLink(db: Prisma.TransactionClient, grant: ApprovalLinkGrant): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.approvalLink.create({ data: { ...grant, tokenHash: hashApprovalLinkToken(token) } });
  return token;
}

export function findApprovalLink(db: Prisma.TransactionClient, token: string) {
  return db.approvalLink.findUnique({ where: { tokenHash: hashApprovalLinkToken(token) } });
}

/** Marks the link used; true only for the one caller that did (of two at once, one wins). */
export async function spendApprovalLink(db: Prisma.TransactionClient, id: string): Promise<boolean> {
  const { count } = await db.approvalLink.updateMany({ where: { id, usedAt: null }, data: { usedAt: new Date() } });
  return count === 1;
}
