import type { RouteHandler } from '@hono/zod-openapi';
import type { Brand, Prisma } from '@storesync/db';
import { assertAdmin, assertCanManageBrand, brandWhere } from '../../lib/access.ts';
import { ApiError, ErrorCode, notFound } from '../../lib/errors.ts';
import { isUniqueViolation } from '../../lib/prisma-errors.ts';
import { pageWindow, paginated } from '../../lib/pagination.ts';
import type { AppBindings, AuthUser } from '../../lib/types.ts';
import type { createBrand, deleteBrand, getBrand, listBrands, updateBrand } from './brands.routes.ts';

export function toBrandJson(brand: Brand) {
  return {
    id: brand.id,
    name: brand.name,
    slug: brand.slug,
    logo: brand.logo,
    settings: brand.settings as Record<string, unknown>,
    created_at: brand.createdAt.toISOString(),
    updated_at: brand.updatedAt.toISOString(),
  };
}

const slugTaken = (slug: string) =>
  new ApiError(ErrorCode.Conflict, `A brand with slug "${slug}" already exists; choose another slug`, {
    details: [{ field: 'slug', message: 'already in use' }],
  });

/** A brand the user may see, or 404. */
export async function findVisibleBrand(prisma: Prisma.TransactionClient, user: AuthUser, id: string): Promise<Brand> {
  const brand = await prisma.brand.findFirst({ where: { AND: [{ id }, brandWhere(user)] } });
  if (!brand) throw notFound('Brand');
  return brand;
}

export const listBrandsHandler: RouteHandler<typeof listBrands, AppBindings> = async (c) => {
  const { prisma, env } = c.get('deps');
  const query = c.req.valid('query');
  const where: Prisma.BrandWhereInput = {
    AND: [brandWhere(c.get('user')), query.search ? { name: { contains: query.search, mode: 'insensitive' } } : {}],
  };
  const [count, brands] = await Promise.all([
    prisma.brand.count({ where }),
    prisma.brand.findMany({ where, orderBy: [{ name: 'asc' }, { id: 'asc' }], ...pageWindow(query) }),
  ]);
  return c.json(paginated(c, query, count, brands.map(toBrandJson), env.PUBLIC_URL), 200);
};

export const createBrandHandler: RouteHandler<typeof createBrand, AppBindings> = async (c) => {
  assertAdmin(c.get('user'));
  const body = c.req.valid('json');
  try {
    const brand = await c.get('deps').prisma.brand.create({
      data: {
        name: body.name,
        slug: body.slug,
        logo: body.logo ?? null,
        settings: (body.settings ?? {}) as Prisma.InputJsonObject,
      },
    });
    return c.json(toBrandJson(brand), 201);
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(body.slug);
    throw error;
  }
};

export const getBrandHandler: RouteHandler<typeof getBrand, AppBindings> = async (c) => {
  const brand = await findVisibleBrand(c.get('deps').prisma, c.get('user'), c.req.valid('param').id);
  return c.json(toBrandJson(brand), 200);
};

export const updateBrandHandler: RouteHandler<typeof updateBrand, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  const brand = await findVisibleBrand(prisma, user, c.req.valid('param').id);
  assertCanManageBrand(user);
  const body = c.req.valid('json');
  try {
    const updated = await prisma.brand.update({
      where: { id: brand.id },
      data: {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.slug !== undefined ? { slug: body.slug } : {}),
        ...(body.logo !== undefined ? { logo: body.logo } : {}),
        ...(body.settings !== undefined ? { settings: body.settings as Prisma.InputJsonObject } : {}),
      },
    });
    return c.json(toBrandJson(updated), 200);
  } catch (error) {
    if (isUniqueViolation(error) && body.slug) throw slugTaken(body.slug);
    throw error;
  }
};

export const deleteBrandHandler: RouteHandler<typeof deleteBrand, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  const brand = await findVisibleBrand(prisma, user, c.req.valid('param').id);
  assertAdmin(user);
  const locations = await prisma.location.count({ where: { brandId: brand.id } });
  if (locations > 0) {
    throw new ApiError(
      ErrorCode.Conflict,
      `Brand "${brand.name}" still has ${locations} location(s); delete or move them first so no campaign history is lost`,
    );
  }
  await prisma.brand.delete({ where: { id: brand.id } });
  return c.body(null, 204);
};
