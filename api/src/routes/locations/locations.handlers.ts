import type { RouteHandler, z } from '@hono/zod-openapi';
import { fullAddress } from '@storesync/core';
import type { Location, Prisma } from '@storesync/db';
import { assertCanManageBrand, assertCanWrite, locationWhere } from '../../lib/access.ts';
import { ApiError, ErrorCode, forbidden, notFound } from '../../lib/errors.ts';
import { isUniqueViolation } from '../../lib/prisma-errors.ts';
import { pageWindow, paginated } from '../../lib/pagination.ts';
import type { AppBindings, AuthUser } from '../../lib/types.ts';
import { findVisibleBrand } from '../brands/brands.handlers.ts';
import type {
  AddressSchema,
  createLocation,
  deleteLocation,
  getLocation,
  listLocations,
  LocationUpdateSchema,
  updateLocation,
} from './locations.routes.ts';

type Address = z.infer<typeof AddressSchema>;
type LocationUpdate = z.infer<typeof LocationUpdateSchema>;

export function toLocationJson(location: Location) {
  const address = location.address as Address;
  return {
    id: location.id,
    brand: location.brandId,
    name: location.name,
    store_number: location.storeNumber,
    address,
    attributes: location.attributes as Record<string, unknown>,
    is_active: location.isActive,
    full_address: fullAddress(address),
    row_version: location.rowVersion,
    created_at: location.createdAt.toISOString(),
    updated_at: location.updatedAt.toISOString(),
  };
}

const storeNumberTaken = (storeNumber: string) =>
  new ApiError(ErrorCode.Conflict, `Store number ${storeNumber} is already used in this brand; choose another`, {
    details: [{ field: 'store_number', message: `store number ${storeNumber} already exists in this brand` }],
  });

/** A location of `brandId` the user may see, or 404: a location of another brand is not found here. */
async function findVisibleLocation(prisma: Prisma.TransactionClient, user: AuthUser, brandId: string, id: string) {
  const location = await prisma.location.findFirst({ where: { AND: [{ id, brandId }, locationWhere(user)] } });
  if (!location) throw notFound('Location');
  return location;
}

function searchFilter(search: string | undefined): Prisma.LocationWhereInput {
  if (!search) return {};
  return {
    OR: [
      { name: { contains: search, mode: 'insensitive' } },
      { storeNumber: { contains: search, mode: 'insensitive' } },
      { address: { path: ['city'], string_contains: search, mode: 'insensitive' } },
    ],
  };
}

/** Store numbering and activation belong to the brand; location managers look after their stores' details. */
const BRAND_MANAGED_FIELDS = ['store_number', 'is_active'] as const;

function assertMayChangeFields(user: AuthUser, body: LocationUpdate): void {
  if (user.role === 'admin' || user.role === 'brand_manager') return;
  const refused = BRAND_MANAGED_FIELDS.filter((field) => body[field] !== undefined);
  if (refused.length > 0) {
    throw forbidden(
      `Only admins and brand managers can change ${refused.join(' and ')}; location managers may change name, address and attributes`,
    );
  }
}

export const listLocationsHandler: RouteHandler<typeof listLocations, AppBindings> = async (c) => {
  const { prisma, env } = c.get('deps');
  const user = c.get('user');
  const brand = await findVisibleBrand(prisma, user, c.req.valid('param').brand_id);
  const query = c.req.valid('query');
  const where: Prisma.LocationWhereInput = {
    AND: [
      { brandId: brand.id },
      locationWhere(user),
      query.is_active !== undefined ? { isActive: query.is_active } : {},
      searchFilter(query.search),
    ],
  };
  const [count, locations] = await Promise.all([
    prisma.location.count({ where }),
    prisma.location.findMany({ where, orderBy: [{ storeNumber: 'asc' }, { id: 'asc' }], ...pageWindow(query) }),
  ]);
  return c.json(paginated(c, query, count, locations.map(toLocationJson), env.PUBLIC_URL), 200);
};

export const createLocationHandler: RouteHandler<typeof createLocation, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  const brand = await findVisibleBrand(prisma, user, c.req.valid('param').brand_id);
  assertCanManageBrand(user);
  const body = c.req.valid('json');
  try {
    const location = await prisma.location.create({
      data: {
        brandId: brand.id,
        name: body.name,
        storeNumber: body.store_number,
        address: body.address,
        attributes: body.attributes as Prisma.InputJsonObject,
        isActive: body.is_active,
      },
    });
    return c.json(toLocationJson(location), 201);
  } catch (error) {
    if (isUniqueViolation(error)) throw storeNumberTaken(body.store_number);
    throw error;
  }
};

export const getLocationHandler: RouteHandler<typeof getLocation, AppBindings> = async (c) => {
  const { brand_id, id } = c.req.valid('param');
  const location = await findVisibleLocation(c.get('deps').prisma, c.get('user'), brand_id, id);
  return c.json(toLocationJson(location), 200);
};

export const updateLocationHandler: RouteHandler<typeof updateLocation, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  const { brand_id, id } = c.req.valid('param');
  const location = await findVisibleLocation(prisma, user, brand_id, id);
  assertCanWrite(user);
  const body = c.req.valid('json');
  assertMayChangeFields(user, body);
  try {
    const updated = await prisma.location.update({
      where: { id: location.id },
      data: {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.store_number !== undefined ? { storeNumber: body.store_number } : {}),
        ...(body.address !== undefined ? { address: body.address } : {}),
        ...(body.attributes !== undefined ? { attributes: body.attributes as Prisma.InputJsonObject } : {}),
        ...(body.is_active !== undefined ? { isActive: body.is_active } : {}),
      },
    });
    return c.json(toLocationJson(updated), 200);
  } catch (error) {
    if (isUniqueViolation(error) && body.store_number) throw storeNumberTaken(body.store_number);
    throw error;
  }
};

export const deleteLocationHandler: RouteHandler<typeof deleteLocation, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  const { brand_id, id } = c.req.valid('param');
  const location = await findVisibleLocation(prisma, user, brand_id, id);
  assertCanManageBrand(user);
  // The campaign check sits inside the DELETE: campaigns cascade with their location, so a campaign
  // created between a separate check and the delete would silently disappear with it.
  const { count } = await prisma.location.deleteMany({ where: { id: location.id, campaigns: { none: {} } } });
  if (count === 0) {
    throw new ApiError(
      ErrorCode.Conflict,
      `Location "${location.name}" (store ${location.storeNumber}) has campaigns; set is_active=false instead so its campaign history is kept`,
    );
  }
  return c.body(null, 204);
};
