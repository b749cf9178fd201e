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

/**
 * Loads the user behind a verified token. Role, brands and activity are read fresh on every
 * request; tokens issued before the user's sessions were ended (password change, deactivation)
 * count as no user.
 */
export async function loadAuthUser(deps: AppDeps, userId: string, tokenIssuedAt: number): Promise<AuthUser | null> {
  const user = await deps.prisma.user.findUnique({
    relationLoadStrategy: 'join',
    where: { id: userId },
    select: {
      id: true,
      email: true,
      role: true,
      isActive: true,
      sessionsValidAfter: true,
      brands: { select: { brandId: true } },
      locationAssignments: { select: { locationId: true } },
    },
  });
  if (!user || !user.isActive) return null;
  // iat has whole seconds: a token from the same second as the change still counts as newer.
  if (user.sessionsValidAfter && tokenIssuedAt < Math.floor(user.sessionsValidAfter.getTime() / 1000)) return null;
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
  const token = await verifyAccessToken(accessTokenConfig(deps.env), match[1]);
  const user = await loadAuthUser(deps, token.userId, token.issuedAt);
  if (!user) {
    throw new ApiError(ErrorCode.Unauthenticated, 'This session has ended (account deactivated or password changed); sign in again');
  }
  c.set('user', user);
  await next();
});
