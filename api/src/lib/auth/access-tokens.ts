/**
 * Access tokens: HS256 JWTs of 15 minutes with algorithm, issuer, audience and type pinned on
 * verification, so tokens signed another way (including `alg: none`) never pass.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import { ApiError, ErrorCode } from '../errors.ts';

const ALGORITHM = 'HS256';
const TOKEN_TYPE = 'at+jwt';

export interface AccessTokenConfig {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

const keyOf = (secret: string) => new TextEncoder().encode(secret);

export async function signAccessToken(
  config: AccessTokenConfig,
  userId: string,
  issuedAt: Date = new Date(),
): Promise<string> {
  const iat = Math.floor(issuedAt.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE })
    .setSubject(userId)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + config.ttlSeconds)
    .setJti(crypto.randomUUID())
    .sign(keyOf(config.secret));
}

export interface VerifiedAccessToken {
  userId: string;
  /** Seconds since the epoch, as in the token's `iat`. */
  issuedAt: number;
}

/** Returns who a valid token belongs to, or throws a 401 ApiError saying why. */
export async function verifyAccessToken(config: AccessTokenConfig, token: string): Promise<VerifiedAccessToken> {
  try {
    const { payload } = await jwtVerify(token, keyOf(config.secret), {
      algorithms: [ALGORITHM],
      issuer: config.issuer,
      audience: config.audience,
      typ: TOKEN_TYPE,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    return { userId: payload.sub as string, issuedAt: payload.iat as number };
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw new ApiError(ErrorCode.TokenExpired, 'Access token expired; refresh it at /api/v1/auth/token/refresh/');
    }
    if (error instanceof errors.JOSEError) {
      throw new ApiError(ErrorCode.Unauthenticated, 'Access token is invalid');
    }
    throw error;
  }
}
