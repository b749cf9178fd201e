import { z } from '@hono/zod-openapi';
import type { Role } from '@storesync/db';

export const ROLES = ['admin', 'brand_manager', 'location_manager', 'viewer'] as const satisfies readonly Role[];

export const UserSchema = z
  .object({
    id: z.string().uuid(),
    email: z.string().email(),
    first_name: z.string(),
    last_name: z.string(),
    full_name: z.string(),
    role: z.enum(ROLES),
    is_active: z.boolean(),
    brands: z.array(z.string().uuid()).openapi({ description: 'Ids of the brands this user belongs to' }),
    locations: z
      .array(z.string().uuid())
      .openapi({ description: 'Location managers only: assigned location ids (empty = every location of their brands)' }),
    last_login_at: z.string().datetime().nullable(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi('User');

export const userInclude = {
  brands: { select: { brandId: true } },
  locationAssignments: { select: { locationId: true } },
} as const;

interface UserRow {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  isActive: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  brands: { brandId: string }[];
  locationAssignments: { locationId: string }[];
}

export const fullName = (user: { firstName: string; lastName: string; email: string }) =>
  [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email;

export function toUserJson(user: UserRow): z.infer<typeof UserSchema> {
  return {
    id: user.id,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    full_name: fullName(user),
    role: user.role,
    is_active: user.isActive,
    brands: user.brands.map((membership) => membership.brandId),
    locations: user.locationAssignments.map((assignment) => assignment.locationId),
    last_login_at: user.lastLoginAt?.toISOString() ?? null,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}
