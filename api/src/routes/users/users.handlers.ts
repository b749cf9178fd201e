import type { RouteHandler } from '@hono/zod-openapi';
import { hashPassword } from '@storesync/core/passwords';
import type { Prisma, Role } from '@storesync/db';
import { assertAdmin } from '../../lib/access.ts';
import { endAllSessions } from '../../lib/auth/refresh-tokens.ts';
import { ApiError, ErrorCode, notFound, validationFailed, type FieldProblem } from '../../lib/errors.ts';
import { pageWindow, paginated } from '../../lib/pagination.ts';
import { isUniqueViolation } from '../../lib/prisma-errors.ts';
import type { AppBindings, AuthUser } from '../../lib/types.ts';
import type {
  createUser,
  deactivateUser,
  getUser,
  listUsers,
  setUserBrands,
  setUserLocations,
  updateUser,
} from './users.routes.ts';
import { toUserJson, userInclude } from './users.schemas.ts';

type Db = Prisma.TransactionClient;

const emailTaken = (email: string) =>
  new ApiError(ErrorCode.Conflict, `A user with email "${email}" already exists`, {
    details: [{ field: 'email', message: 'already in use' }],
  });

/** Admins must not lock themselves out: the one acting is then always an admin who remains. */
const selfLockout = (what: string) =>
  new ApiError(ErrorCode.Conflict, `You cannot ${what} your own account; ask another admin to do it`);

const unique = (ids: string[]) => [...new Set(ids)];

async function findUser(db: Db, id: string) {
  const user = await db.user.findUnique({ where: { id }, include: userInclude });
  if (!user) throw notFound('User');
  return user;
}

/** One problem per id in `brandIds` that names no brand, reported as `<field>.<index>`. */
async function unknownBrandProblems(db: Db, brandIds: string[], field: string): Promise<FieldProblem[]> {
  const found = await db.brand.findMany({ where: { id: { in: unique(brandIds) } }, select: { id: true } });
  const existing = new Set(found.map((brand) => brand.id));
  return brandIds.flatMap((id, index) =>
    existing.has(id) ? [] : [{ field: `${field}.${index}`, message: `no brand has id ${id}` }],
  );
}

/**
 * One problem per id in `locationIds` that names no location or a location outside `brandIds`,
 * reported as `<field>.<index>`; `fix` tells how to bring the location's brand in.
 */
async function foreignLocationProblems(
  db: Db,
  locationIds: string[],
  brandIds: string[],
  field: string,
  fix: string,
): Promise<FieldProblem[]> {
  const found = await db.location.findMany({
    where: { id: { in: unique(locationIds) } },
    select: { id: true, brandId: true, brand: { select: { name: true } } },
  });
  const byId = new Map(found.map((location) => [location.id, location]));
  return locationIds.flatMap((id, index) => {
    const location = byId.get(id);
    if (!location) return [{ field: `${field}.${index}`, message: `no location has id ${id}` }];
    if (brandIds.includes(location.brandId)) return [];
    return [
      {
        field: `${field}.${index}`,
        message: `belongs to brand "${location.brand.name}", which the user is not a member of; ${fix}`,
      },
    ];
  });
}

function throwIfAny(problems: FieldProblem[]): void {
  if (problems.length > 0) throw validationFailed(problems);
}

const onlyLocationManagersMessage = (role: Role) =>
  `only location managers have location assignments, and this user is a ${role}`;

export const listUsersHandler: RouteHandler<typeof listUsers, AppBindings> = async (c) => {
  assertAdmin(c.get('user'));
  const { prisma, env } = c.get('deps');
  const query = c.req.valid('query');
  const where: Prisma.UserWhereInput = {
    ...(query.role !== undefined ? { role: query.role } : {}),
    ...(query.is_active !== undefined ? { isActive: query.is_active } : {}),
    ...(query.brand !== undefined ? { brands: { some: { brandId: query.brand } } } : {}),
    ...(query.search
      ? {
          OR: [
            { email: { contains: query.search, mode: 'insensitive' } },
            { firstName: { contains: query.search, mode: 'insensitive' } },
            { lastName: { contains: query.search, mode: 'insensitive' } },
          ],
        }
      : {}),
  };
  const [count, users] = await Promise.all([
    prisma.user.count({ where }),
    prisma.user.findMany({ where, include: userInclude, orderBy: { email: 'asc' }, ...pageWindow(query) }),
  ]);
  return c.json(paginated(c, query, count, users.map(toUserJson), env.PUBLIC_URL), 200);
};

export const createUserHandler: RouteHandler<typeof createUser, AppBindings> = async (c) => {
  assertAdmin(c.get('user'));
  const { prisma } = c.get('deps');
  const body = c.req.valid('json');
  const locationsAllowed = body.role === 'location_manager' || body.locations.length === 0;
  throwIfAny([
    ...(await unknownBrandProblems(prisma, body.brands, 'brands')),
    ...(locationsAllowed
      ? await foreignLocationProblems(prisma, body.locations, body.brands, 'locations', 'add that brand to `brands` too')
      : [{ field: 'locations', message: `${onlyLocationManagersMessage(body.role)}; leave it empty` }]),
  ]);
  const passwordHash = await hashPassword(body.password);
  try {
    const user = await prisma.user.create({
      data: {
        email: body.email,
        passwordHash,
        firstName: body.first_name,
        lastName: body.last_name,
        role: body.role,
        brands: { create: unique(body.brands).map((brandId) => ({ brandId })) },
        locationAssignments: { create: unique(body.locations).map((locationId) => ({ locationId })) },
      },
      include: userInclude,
    });
    return c.json(toUserJson(user), 201);
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken(body.email);
    throw error;
  }
};

export const getUserHandler: RouteHandler<typeof getUser, AppBindings> = async (c) => {
  assertAdmin(c.get('user'));
  const user = await findUser(c.get('deps').prisma, c.req.valid('param').id);
  return c.json(toUserJson(user), 200);
};

function assertNotSelfLockout(actor: AuthUser, targetId: string, change: { role?: Role; is_active?: boolean }): void {
  if (actor.id !== targetId) return;
  if (change.role !== undefined && change.role !== 'admin') throw selfLockout('demote');
  if (change.is_active === false) throw selfLockout('deactivate');
}

export const updateUserHandler: RouteHandler<typeof updateUser, AppBindings> = async (c) => {
  const actor = c.get('user');
  assertAdmin(actor);
  const { prisma } = c.get('deps');
  const body = c.req.valid('json');
  const target = await findUser(prisma, c.req.valid('param').id);
  assertNotSelfLockout(actor, target.id, body);
  // Hash before the transaction: scrypt is slow and must not hold a database connection.
  const passwordHash = body.password !== undefined ? await hashPassword(body.password) : undefined;
  const endsSessions = passwordHash !== undefined || body.is_active === false;
  const leavesLocationManager = body.role !== undefined && body.role !== 'location_manager';
  try {
    const updated = await prisma.$transaction(async (tx) => {
      if (endsSessions) await endAllSessions(tx, target.id);
      if (leavesLocationManager) await tx.locationAssignment.deleteMany({ where: { userId: target.id } });
      return tx.user.update({
        where: { id: target.id },
        data: {
          ...(body.email !== undefined ? { email: body.email } : {}),
          ...(passwordHash !== undefined ? { passwordHash } : {}),
          ...(body.first_name !== undefined ? { firstName: body.first_name } : {}),
          ...(body.last_name !== undefined ? { lastName: body.last_name } : {}),
          ...(body.role !== undefined ? { role: body.role } : {}),
          ...(body.is_active !== undefined ? { isActive: body.is_active } : {}),
        },
        include: userInclude,
      });
    });
    return c.json(toUserJson(updated), 200);
  } catch (error) {
    if (isUniqueViolation(error) && body.email !== undefined) throw emailTaken(body.email);
    throw error;
  }
};

export const deactivateUserHandler: RouteHandler<typeof deactivateUser, AppBindings> = async (c) => {
  const actor = c.get('user');
  assertAdmin(actor);
  const { prisma } = c.get('deps');
  const target = await findUser(prisma, c.req.valid('param').id);
  assertNotSelfLockout(actor, target.id, { is_active: false });
  await prisma.$transaction(async (tx) => {
    await endAllSessions(tx, target.id);
    await tx.user.update({ where: { id: target.id }, data: { isActive: false } });
  });
  return c.body(null, 204);
};

export const setUserBrandsHandler: RouteHandler<typeof setUserBrands, AppBindings> = async (c) => {
  assertAdmin(c.get('user'));
  const { prisma } = c.get('deps');
  const target = await findUser(prisma, c.req.valid('param').id);
  const brandIds = c.req.valid('json').brand_ids;
  throwIfAny(await unknownBrandProblems(prisma, brandIds, 'brand_ids'));
  const updated = await prisma.$transaction(async (tx) => {
    await tx.brandMembership.deleteMany({ where: { userId: target.id } });
    await tx.brandMembership.createMany({ data: unique(brandIds).map((brandId) => ({ userId: target.id, brandId })) });
    // An assignment outside the user's brands would grant nothing, so it must not linger.
    await tx.locationAssignment.deleteMany({ where: { userId: target.id, location: { brandId: { notIn: brandIds } } } });
    return findUser(tx, target.id);
  });
  return c.json(toUserJson(updated), 200);
};

export const setUserLocationsHandler: RouteHandler<typeof setUserLocations, AppBindings> = async (c) => {
  assertAdmin(c.get('user'));
  const { prisma } = c.get('deps');
  const target = await findUser(prisma, c.req.valid('param').id);
  if (target.role !== 'location_manager') {
    throw new ApiError(
      ErrorCode.Conflict,
      `This user has no location assignments: ${onlyLocationManagersMessage(target.role)}; ` +
        'change the role with PATCH /users/{id} first',
    );
  }
  const locationIds = c.req.valid('json').location_ids;
  const brandIds = target.brands.map((membership) => membership.brandId);
  throwIfAny(
    await foreignLocationProblems(
      prisma,
      locationIds,
      brandIds,
      'location_ids',
      'add that brand with PUT /users/{id}/brands first',
    ),
  );
  const updated = await prisma.$transaction(async (tx) => {
    await tx.locationAssignment.deleteMany({ where: { userId: target.id } });
    await tx.locationAssignment.createMany({
      data: unique(locationIds).map((locationId) => ({ userId: target.id, locationId })),
    });
    return findUser(tx, target.id);
  });
  return c.json(toUserJson(updated), 200);
};
