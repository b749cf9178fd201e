/**
 * Sign-ins of the web approval page: server-side sessions in Redis behind an opaque cookie.
 *
 * - The cookie carries 256 random bits; Redis keeps only their SHA-256, so whoever reads Redis
 *   cannot use the sessions in it.
 * - It is a `__Host-` cookie (Secure, Path=/, no Domain: a sibling subdomain cannot plant one),
 *   HttpOnly (scripts never see it) and SameSite=Lax (not sent with cross-site POSTs).
 * - Signing in always starts a new session under a new id and ends the one the browser brought,
 *   so an id somebody planted or saw before sign-in is worth nothing afterwards (fixation).
 * - Each session has its own CSRF token, which every form posts back (synchronizer token).
 * - Sessions end after WEB_SESSION_IDLE_SECONDS without a request (the Redis TTL, renewed on use)
 *   and WEB_SESSION_MAX_SECONDS after sign-in. The user is loaded fresh on every request, and a
 *   session from before the user's sessions were ended (password change, deactivation) is none.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import { loadAuthUser } from '../../middleware/auth.ts';
import type { AppBindings, AuthUser } from '../../lib/types.ts';

const SESSION_COOKIE = 'storesync_session';
/** Double-submit token of the sign-in form, which has no session yet to hold one. */
const SIGN_IN_COOKIE = 'storesync_sign_in';

const cookieOptions: CookieOptions = { prefix: 'host', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' };

/** A message shown once, on the next page the browser loads (after a redirect). */
export interface Flash {
  kind: 'success' | 'error' | 'info';
  message: string;
  /** Bulk approval lists the campaigns it could not approve, each with why. */
  items?: { text: string; href?: string }[];
}

interface SessionData {
  userId: string;
  csrf: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  flash?: Flash;
}

export interface WebSession {
  key: string;
  csrf: string;
  user: AuthUser;
  flash: Flash | undefined;
}

const randomToken = () => randomBytes(32).toString('base64url');
const redisKey = (id: string) => `web:session:${createHash('sha256').update(id).digest('hex')}`;

/** Constant-time comparison of a form's token with the expected one. */
export function tokensMatch(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** Ends the session the request came with, if any, and starts a new one for `userId`. */
export async function startSession(c: Context<AppBindings>, userId: string): Promise<void> {
  const { redis, env } = c.get('deps');
  const previous = getCookie(c, SESSION_COOKIE, 'host');
  if (previous) await redis.del(redisKey(previous));
  const id = randomToken();
  const data: SessionData = { userId, csrf: randomToken(), createdAt: Date.now() };
  await redis.set(redisKey(id), JSON.stringify(data), 'EX', env.WEB_SESSION_IDLE_SECONDS);
  setCookie(c, SESSION_COOKIE, id, cookieOptions);
  deleteCookie(c, SIGN_IN_COOKIE, { path: '/', secure: true, prefix: 'host' });
}

/** The signed-in session of this request, or null (no cookie, unknown, expired or user gone). */
export async function currentSession(c: Context<AppBindings>): Promise<WebSession | null> {
  const deps = c.get('deps');
  const id = getCookie(c, SESSION_COOKIE, 'host');
  if (!id) return null;
  const key = redisKey(id);
  const stored = await deps.redis.get(key);
  if (!stored) return null;
  const data = JSON.parse(stored) as SessionData;
  const user =
    Date.now() - data.createdAt < deps.env.WEB_SESSION_MAX_SECONDS * 1000
      ? await loadAuthUser(deps, data.userId, Math.floor(data.createdAt / 1000))
      : null;
  if (!user) {
    await deps.redis.del(key);
    return null;
  }
  if (data.flash) {
    // Shown once: this request's page displays it.
    await deps.redis.set(key, JSON.stringify({ ...data, flash: undefined }), 'EX', deps.env.WEB_SESSION_IDLE_SECONDS);
  } else {
    await deps.redis.expire(key, deps.env.WEB_SESSION_IDLE_SECONDS);
  }
  return { key, csrf: data.csrf, user, flash: data.flash };
}

/** Keeps `flash` for the next page this browser loads. */
export async function setFlash(c: Context<AppBindings>, session: WebSession, flash: Flash): Promise<void> {
  const { redis } = c.get('deps');
  const stored = await redis.get(session.key);
  if (!stored) return;
  await redis.set(session.key, JSON.stringify({ ...(JSON.parse(stored) as SessionData), flash }), 'KEEPTTL');
}

export async function endSession(c: Context<AppBindings>, session: WebSession): Promise<void> {
  await c.get('deps').redis.del(session.key);
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true, prefix: 'host' });
}

/** The sign-in form's CSRF token: the one in the browser's cookie, or a new one set now. */
export function signInToken(c: Context<AppBindings>): string {
  const existing = getCookie(c, SIGN_IN_COOKIE, 'host');
  if (existing && existing.length === 43) return existing;
  const token = randomToken();
  setCookie(c, SIGN_IN_COOKIE, token, { ...cookieOptions, maxAge: 60 * 60 });
  return token;
}

export function signInTokenMatches(c: Context<AppBindings>, given: unknown): boolean {
  const cookie = getCookie(c, SIGN_IN_COOKIE, 'host');
  return cookie !== undefined && tokensMatch(cookie, given);
}
