/**
 * Who may see and change what. Admins see everything; everyone else sees only their brands;
 * location managers with assignments see only those locations; viewers only read.
 * Objects outside a user's reach answer 404, never 403, so their existence does not leak.
 *
 * The *Where helpers return filters that may constrain `id`: combine them with other filters
 * through `AND: [...]`, never by object spread, which would let a caller's `id` replace ours.
 */
import type { Prisma } from '@storesync/db';
import { forbidden } from './errors.ts';
import type { AuthUser } from './types.ts';

export const isAdmin = (user: AuthUser) => user.role === 'admin';

export function brandWhere(user: AuthUser): Prisma.BrandWhereInput {
  return isAdmin(user) ? {} : { id: { in: user.brandIds } };
}

export function locationWhere(user: AuthUser): Prisma.LocationWhereInput {
  if (isAdmin(user)) return {};
  if (user.assignedLocationIds.length > 0) {
    return { id: { in: user.assignedLocationIds }, brandId: { in: user.brandIds } };
  }
  return { brandId: { in: user.brandIds } };
}

export function templateWhere(user: AuthUser): Prisma.CampaignTemplateWhereInput {
  return isAdmin(user) ? {} : { brandId: { in: user.brandIds } };
}

export function campaignWhere(user: AuthUser): Prisma.LocationCampaignWhereInput {
  return isAdmin(user) ? {} : { location: locationWhere(user) };
}

export function canSeeBrand(user: AuthUser, brandId: string): boolean {
  return isAdmin(user) || user.brandIds.includes(brandId);
}

/** Viewers read only. */
export function assertCanWrite(user: AuthUser): void {
  if (user.role === 'viewer') throw forbidden('Viewers have read-only access');
}

/** Brand configuration (brand settings, locations, templates) is for admins and brand managers. */
export function assertCanManageBrand(user: AuthUser): void {
  if (user.role !== 'admin' && user.role !== 'brand_manager') {
    throw forbidden('Only admins and brand managers can change brand settings, locations and templates');
  }
}

export function assertAdmin(user: AuthUser): void {
  if (!isAdmin(user)) throw forbidden('Only admins can do this');
}

export const isReviewer = (user: AuthUser) => user.role === 'admin' || user.role === 'brand_manager';
