/**
 * Sign-in with a Google ID token against a local stand-in for Google's JWKS endpoint: only tokens
 * signed with a published key, issued by Google, for one of our client ids, unexpired, with a
 * verified email of an active user get a token pair.
 */
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestContext } from '../../../test/harness.ts';
import { verifyGoogleIdToken } from './exchange.ts';
import { startFakeGoogle } from './exchange.testing.ts';

const CLIENT_ID = '1234-storesync.apps.googleusercontent.com';
const google = await startFakeGoogle();
afterAll(() => google.close());

const ctx = useTestContext({ GOOGLE_CLIENT_IDS: `other-client.apps.googleusercontent.com, ${CLIENT_ID}`, GOOGLE_JWKS_URL: google.jwksUrl });

const exchange = (idToken: string) => ctx.request('POST', '/api/v1/auth/exchange/', { body: { id_token: idToken } });

describe('POST /api/v1/auth/exchange', () => {
  it('signs in the active user with the verified email and returns the same pair as a password sign-in', async () => {
    const user = await ctx.createUser('brand_manager', { email: `google-${Date.now()}@example.test` });
    const response = await exchange(await google.idToken({ audience: CLIENT_ID, email: user.email.toUpperCase() }));
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ access_expires_in: 900, user: { id: user.id, email: user.email } });
    const me = await ctx.request('GET', '/api/v1/auth/me/', { token: response.json.access });
    expect(me.json.id).toBe(user.id);
    // The refresh token is an ordinary one: it rotates like a password sign-in's.
    const refreshed = await ctx.request('POST', '/api/v1/auth/token/refresh/', { body: { refresh: response.json.refresh } });
    expect(refreshed.status).toBe(200);
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt).not.toBeNull();
  });

  it('accepts both issuer spellings Google uses', async () => {
    const user = await ctx.createUser('viewer');
    const response = await exchange(await google.idToken({ audience: CLIENT_ID, email: user.email, iss: 'accounts.google.com' }));
    expect(response.status).toBe(200);
  });

  it('refuses forged, expired, foreign, unverified and unknown identities with 401', async () => {
    const user = await ctx.createUser('viewer');
    const inactive = await ctx.createUser('viewer', { isActive: false });
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string, RegExp][] = [
      ['forged', await google.forgedIdToken({ audience: CLIENT_ID, email: user.email }), /not valid/],
      ['expired', await google.idToken({ audience: CLIENT_ID, email: user.email, iat: now - 7200, exp: now - 3600 }), /expired/],
      ['another app', await google.idToken({ audience: 'someone-else.apps.googleusercontent.com', email: user.email }), /not for StoreSync \(aud/],
      ['another issuer', await google.idToken({ audience: CLIENT_ID, email: user.email, iss: 'https://evil.example' }), /not for StoreSync \(iss/],
      ['unverified email', await google.idToken({ audience: CLIENT_ID, email: user.email, email_verified: false }), /not verified/],
      ['unknown email', await google.idToken({ audience: CLIENT_ID, email: 'nobody-here@example.test' }), /No active StoreSync account/],
      ['deactivated user', await google.idToken({ audience: CLIENT_ID, email: inactive.email }), /No active StoreSync account/],
      ['no email', await google.idToken({ audience: CLIENT_ID }), /no email/],
      ['garbage', 'not-a-jwt', /not valid/],
    ];
    for (const [name, token, message] of cases) {
      const response = await exchange(token);
      expect(response.status, name).toBe(401);
      expect(response.json.error.code, name).toBe(name === 'expired' ? 'token_expired' : 'unauthenticated');
      expect(response.json.error.message, name).toMatch(message);
    }
  });

  it('pins RS256: a token signed with HMAC (even with the public key as secret) never passes', async () => {
    const user = await ctx.createUser('viewer');
    const jwks = (await (await fetch(google.jwksUrl)).json()) as { keys: { n: string }[] };
    const hmac = await new SignJWT({ email: user.email, email_verified: true })
      .setProtectedHeader({ alg: 'HS256', kid: 'storesync-test-key' })
      .setIssuer('https://accounts.google.com')
      .setAudience(CLIENT_ID)
      .setSubject('1')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(jwks.keys[0]?.n ?? 'x'));
    const response = await exchange(hmac);
    expect(response.status).toBe(401);
  });

  it('rejects unknown fields and a missing token by name', async () => {
    const response = await ctx.request('POST', '/api/v1/auth/exchange/', { body: { id_token: 'x', email: 'a@b.c' } });
    expect(response.status).toBe(400);
    expect(response.json.error.details.map((detail: { field: string }) => detail.field)).toContain('email');
  });

  it('is off without configured client ids, and unavailable when Google’s keys cannot be fetched', async () => {
    const token = await google.idToken({ audience: CLIENT_ID, email: 'a@example.test' });
    await expect(verifyGoogleIdToken(token, { jwksUrl: google.jwksUrl, audiences: [] })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(verifyGoogleIdToken(token, { jwksUrl: 'http://127.0.0.1:9/oauth2/v3/certs', audiences: [CLIENT_ID] })).rejects.toMatchObject({ code: 'service_unavailable' });
  });
});
