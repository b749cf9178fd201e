import { createMiddleware } from 'hono/factory';
import { verifyAccessToken } from '../lib/auth/access-tokens.ts';
import { ApiError, ErrorCode } from '../lib/errors.ts';
import type { AppBindings, AppDeps, AuthUser } from '../lib/types.ts';

export function accessTokenConfig(env: AppDeps['env']) {
  return {
    secret: env.JWT_SECRET,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    ttlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
  };
}

/** Loads the user behind the bearer token. Role, brands and activity are read fresh on every request. */
export async function loadAuthUser(deps: AppDeps, userId: string): Promise<AuthUser | null> {
  const user = await deps.prisma.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      role: true,
      isActive: true,
      brands: { select: { brandId: true } },
      locationAssignments: { select: { locationId: true } },
    },
  });
  if (!user || !user.isActive) return null;
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    brandIds: user.brands.map((membership) => membership.brandId),
    assignedLocationIds: user.role === 'location_manager' ? user.locationAssignments.map((a) => a.locationId) : [],
  };
}

export const requireAuth = createMiddleware<AppBindings>(async (c, next) => {
  const header = c.req.header('Authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) {
    throw new ApiError(ErrorCode.Unauthenticated, 'Sign in first: send "Authorization: Bearer <access token>"', {
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
  const deps = c.get('deps');
  const userId = await verifyAccessToken(accessTokenConfig(deps.env), match[1]);
  const user = await loadAuthUser(deps, userId);
  if (!user) throw new ApiError(ErrorCode.Unauthenticated, 'This account no longer exists or is deactivated');
  c.set('user', user);
  await next();
});
