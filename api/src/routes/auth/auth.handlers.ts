import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { signAccessToken } from '../../lib/auth/access-tokens.ts';
import { dummyPasswordHash, verifyPassword } from '@storesync/core/passwords';
import { checkLoginAllowed, clearLoginFailures, recordLoginFailure } from '../../lib/auth/rate-limit.ts';
import { issueRefreshToken, revokeRefreshToken, rotateRefreshToken } from '../../lib/auth/refresh-tokens.ts';
import { ApiError, ErrorCode } from '../../lib/errors.ts';
import type { AppBindings, AppDeps } from '../../lib/types.ts';
import { accessTokenConfig } from '../../middleware/auth.ts';
import { toUserJson, userInclude } from '../users/users.schemas.ts';
import type { logout, me, obtainToken, refreshToken } from './auth.routes.ts';

export function clientAddress(c: Context<AppBindings>): string {
  if (c.get('deps').env.TRUST_PROXY) {
    const forwarded = c.req.header('X-Forwarded-For')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket; every such request shares one address bucket.
    return 'unknown';
  }
}

function sessionMeta(c: Context<AppBindings>) {
  return { createdIp: clientAddress(c), userAgent: c.req.header('User-Agent')?.slice(0, 512) };
}

async function tokenPair(deps: AppDeps, userId: string, refresh: string) {
  return {
    access: await signAccessToken(accessTokenConfig(deps.env), userId),
    refresh,
    access_expires_in: deps.env.ACCESS_TOKEN_TTL_SECONDS,
  };
}

export const loginLimits = (env: AppDeps['env']) => ({
  maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
  maxAttemptsPerAddress: env.LOGIN_MAX_ATTEMPTS_PER_ADDRESS,
  windowSeconds: env.LOGIN_WINDOW_SECONDS,
});

export const obtainTokenHandler: RouteHandler<typeof obtainToken, AppBindings> = async (c) => {
  const deps = c.get('deps');
  const { email, password } = c.req.valid('json');
  const limits = loginLimits(deps.env);
  await checkLoginAllowed(deps.redis, limits, email, clientAddress(c));
  const user = await deps.prisma.user.findUnique({ where: { email }, include: userInclude });
  // Hash even for unknown accounts so response time does not reveal which emails exist.
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !passwordOk || !user.isActive) {
    await recordLoginFailure(deps.redis, limits, email);
    throw new ApiError(ErrorCode.Unauthenticated, 'Email or password is wrong, or the account is deactivated');
  }
  await clearLoginFailures(deps.redis, email);
  const signedIn = await deps.prisma.user.update({
    where: { id: user.id },
    data: { lastLoginAt: new Date() },
    include: userInclude,
  });
  const refresh = await issueRefreshToken(deps.prisma, {
    userId: user.id,
    ttlDays: deps.env.REFRESH_TOKEN_TTL_DAYS,
    ...sessionMeta(c),
  });
  return c.json({ ...(await tokenPair(deps, user.id, refresh)), user: toUserJson(signedIn) }, 200);
};

export const refreshTokenHandler: RouteHandler<typeof refreshToken, AppBindings> = async (c) => {
  const deps = c.get('deps');
  const { refresh } = c.req.valid('json');
  const rotated = await rotateRefreshToken(deps.prisma, refresh, {
    ttlDays: deps.env.REFRESH_TOKEN_TTL_DAYS,
    ...sessionMeta(c),
  });
  const user = await deps.prisma.user.findUnique({ where: { id: rotated.userId }, select: { isActive: true } });
  if (!user?.isActive) throw new ApiError(ErrorCode.Unauthenticated, 'This account no longer exists or is deactivated');
  return c.json(await tokenPair(deps, rotated.userId, rotated.refreshToken), 200);
};

export const logoutHandler: RouteHandler<typeof logout, AppBindings> = async (c) => {
  await revokeRefreshToken(c.get('deps').prisma, c.req.valid('json').refresh);
  return c.body(null, 204);
};

export const meHandler: RouteHandler<typeof me, AppBindings> = async (c) => {
  const user = await c.get('deps').prisma.user.findUniqueOrThrow({ where: { id: c.get('user').id }, include: userInclude });
  return c.json(toUserJson(user), 200);
};
