/**
 * A stand-in for Google in tests of sign-in with Google: an RSA key pair, a local HTTP server
 * publishing its public key as a JWKS (as https://www.googleapis.com/oauth2/v3/certs does), and a
 * signer of ID tokens shaped like Google's. Used by exchange.test.ts and the Sheets add-in's tests
 * (whose fake ScriptApp.getIdentityToken() returns these tokens).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface GoogleIdClaims {
  email?: string;
  email_verified?: boolean;
  aud?: string;
  iss?: string;
  sub?: string;
  /** Seconds since the epoch. */
  iat?: number;
  exp?: number;
}

export interface FakeGoogle {
  /** The JWKS URL to configure as GOOGLE_JWKS_URL. */
  jwksUrl: string;
  /** The published key set, for tests that serve it from elsewhere. */
  jwks: { keys: JWK[] };
  /** An ID token signed with the published key (RS256, `kid` set), with Google's claims unless overridden. */
  idToken(claims: GoogleIdClaims & { audience: string }): Promise<string>;
  /** The same, signed with a key that is NOT published (a forgery). */
  forgedIdToken(claims: GoogleIdClaims & { audience: string }): Promise<string>;
  /** How often the JWKS was fetched. */
  readonly fetches: number;
  close(): Promise<void>;
}

const KID = 'storesync-test-key';

async function sign(key: CryptoKey, kid: string, claims: GoogleIdClaims & { audience: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ email: claims.email, email_verified: claims.email_verified ?? true })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(claims.iss ?? 'https://accounts.google.com')
    .setAudience(claims.aud ?? claims.audience)
    .setSubject(claims.sub ?? '1234567890')
    .setIssuedAt(claims.iat ?? now - 10)
    .setExpirationTime(claims.exp ?? now + 3600)
    .sign(key);
}

export async function startFakeGoogle(): Promise<FakeGoogle> {
  const published = await generateKeyPair('RS256', { extractable: true });
  const unpublished = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(published.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  let fetches = 0;
  const server: Server = createServer((request, response) => {
    fetches += 1;
    if (request.url !== '/oauth2/v3/certs') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=3600' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/oauth2/v3/certs`,
    jwks: { keys: [jwk] },
    idToken: (claims) => sign(published.privateKey, KID, claims),
    // Same kid, other key: only the signature check can tell.
    forgedIdToken: (claims) => sign(unpublished.privateKey, KID, claims),
    get fetches() {
      return fetches;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
