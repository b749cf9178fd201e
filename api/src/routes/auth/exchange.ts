/**
 * `POST /api/v1/auth/exchange/`: sign in with a Google identity instead of a password.
 *
 * The Google Sheets add-in sends the OpenID Connect ID token Apps Script issues for the person
 * (`ScriptApp.getIdentityToken()`). It is accepted only when
 * - its signature verifies against Google's published keys (`GOOGLE_JWKS_URL`, fetched and
 *   cached by jose), with the algorithm pinned to RS256 (so `none` or an HMAC signed with a public
 *   key never passes);
 * - its issuer is Google (`accounts.google.com` or `https://accounts.google.com`);
 * - its audience is one of our OAuth clients (`GOOGLE_CLIENT_IDS`): a token Google issued to
 *   another app must not sign anyone in here;
 * - it has not expired (a minute of clock skew is tolerated) and carries a verified email.
 * The email then names an active StoreSync user, who gets the same token pair as a password
 * sign-in. Everything that fails is one 401 (the reason in the message), so the endpoint tells
 * nothing more than a refused password does.
 */
import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { signAccessToken } from '../../lib/auth/access-tokens.ts';
import { issueRefreshToken } from '../../lib/auth/refresh-tokens.ts';
import { ApiError, ErrorCode } from '../../lib/errors.ts';
import { errorResponses, jsonBody, jsonResponse } from '../../lib/schemas.ts';
import type { AppBindings } from '../../lib/types.ts';
import { accessTokenConfig } from '../../middleware/auth.ts';
import { toUserJson, UserSchema, userInclude } from '../users/users.schemas.ts';
import { clientAddress } from './auth.handlers.ts';

export const GOOGLE_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'];
const ALGORITHMS = ['RS256'];
const CLOCK_TOLERANCE_SECONDS = 60;

const ExchangeSchema = z
  .object({ id_token: z.string().min(1).max(8192).openapi({ description: 'A Google ID token (OpenID Connect), e.g. from ScriptApp.getIdentityToken()' }) })
  .strict()
  .openapi('IdentityExchange');

export const exchangeIdentity = createRoute({
  method: 'post',
  path: '/auth/exchange',
  tags: ['auth'],
  summary: 'Sign in with a Google ID token: the same token pair as a password sign-in',
  request: jsonBody(ExchangeSchema),
  responses: {
    200: jsonResponse(
      z.object({ access: z.string(), refresh: z.string(), access_expires_in: z.number().int(), user: UserSchema }).openapi('ExchangedTokenPair'),
      'Signed in as the StoreSync user with the token’s verified email',
    ),
    400: errorResponses[400],
    401: errorResponses[401],
    503: jsonResponse(errorResponses[400].content['application/json'].schema, 'Google’s keys could not be fetched'),
  },
});

/** One key set per JWKS URL for the process: jose caches the keys and refetches on an unknown `kid`. */
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySet(url: string) {
  let set = keySets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
    keySets.set(url, set);
  }
  return set;
}

function refuse(message: string): never {
  throw new ApiError(ErrorCode.Unauthenticated, message);
}

interface GoogleClaims extends JWTPayload {
  email?: unknown;
  email_verified?: unknown;
}

/** The verified email of a Google ID token, or an ApiError saying why the token is refused. */
export async function verifyGoogleIdToken(token: string, options: { jwksUrl: string; audiences: string[] }): Promise<string> {
  if (options.audiences.length === 0) throw new ApiError(ErrorCode.Forbidden, 'Sign-in with Google is not enabled on this StoreSync server.');
  let claims: GoogleClaims;
  try {
    ({ payload: claims } = await jwtVerify<GoogleClaims>(token, keySet(options.jwksUrl), {
      algorithms: ALGORITHMS,
      issuer: GOOGLE_ISSUERS,
      audience: options.audiences,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'iat', 'sub'],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new ApiError(ErrorCode.TokenExpired, 'The Google identity token has expired; sign in with Google again.');
    if (error instanceof errors.JWKSTimeout || (error instanceof Error && !(error instanceof errors.JOSEError))) {
      throw new ApiError(ErrorCode.Unavailable, 'Google’s signing keys could not be fetched; try again in a moment.');
    }
    if (error instanceof errors.JWTClaimValidationFailed) refuse(`The Google identity token is not for StoreSync (${error.claim} is not accepted).`);
    refuse('The Google identity token is not valid.');
  }
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  if (typeof claims.email !== 'string' || claims.email === '') refuse('The Google identity token has no email; the add-in needs the userinfo.email permission.');
  if (!verified) refuse('Google has not verified this account’s email, so StoreSync cannot sign it in.');
  return claims.email.trim().toLowerCase();
}

export const exchangeIdentityHandler: RouteHandler<typeof exchangeIdentity, AppBindings> = async (c) => {
  const deps = c.get('deps');
  const { id_token: idToken } = c.req.valid('json');
  const email = await verifyGoogleIdToken(idToken, { jwksUrl: deps.env.GOOGLE_JWKS_URL, audiences: deps.env.GOOGLE_CLIENT_IDS });
  const user = await deps.prisma.user.findUnique({ where: { email }, select: { id: true, isActive: true } });
  if (!user?.isActive) refuse('No active StoreSync account has this Google account’s email. Sign in with your StoreSync email and password, or ask an administrator.');
  const signedIn = await deps.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() }, include: userInclude });
  const refresh = await issueRefreshToken(deps.prisma, {
    userId: user.id,
    ttlDays: deps.env.REFRESH_TOKEN_TTL_DAYS,
    createdIp: clientAddress(c),
    userAgent: c.req.header('User-Agent')?.slice(0, 512),
  });
  return c.json(
    {
      access: await signAccessToken(accessTokenConfig(deps.env), user.id),
      refresh,
      access_expires_in: deps.env.ACCESS_TOKEN_TTL_SECONDS,
      user: toUserJson(signedIn),
    },
    200,
  );
};
