/**
 * The development HTTPS listener (`HTTPS_PORT`, api/src/server.ts): Office loads add-ins over
 * HTTPS only, so in development the API also answers on `https://localhost:8443`, where the
 * manifest looks for the task pane (`/addin/…`) and the pane finds the API on the same origin.
 *
 * The certificates come from office-addin-dev-certs' generator (`generateCertificates`, which
 * makes a CA and a `localhost`/`127.0.0.1` certificate it signs with the mkcert library): `ca.crt`,
 * `localhost.crt` and `localhost.key` in `DEV_CERTS_DIR` (default `.certs/` at the repository
 * root, ignored by git). They are made on first use and made again when missing, unreadable,
 * not matching each other or within a week of expiry. Nothing is ever installed into a system
 * trust store (office-addin-dev-certs' `install` is not called); a developer who wants Excel or a
 * browser to trust the pane imports `ca.crt` by hand (addin-excel/README.md says how).
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { TASKPANE_PATH } from '@storesync/addin-excel/paths';
import officeDevCerts from 'office-addin-dev-certs';
import type { Logger } from 'pino';

/** `.certs/` at the repository root. */
export const DEFAULT_CERTS_DIR = fileURLToPath(new URL('../../../../.certs/', import.meta.url));
/** Names office-addin-dev-certs uses in `~/.office-addin-dev-certs`. */
export const CA_FILE = 'ca.crt';
export const CERT_FILE = 'localhost.crt';
export const KEY_FILE = 'localhost.key';
/** The hosts the certificate is for (office-addin-dev-certs' default). */
export const CERT_HOSTS = ['127.0.0.1', 'localhost'];
/** Lifetime of generated certificates. Under the 398 days browsers accept for a leaf certificate. */
export const CERT_DAYS = 365;
/** Certificates that expire sooner than this are made again. */
export const RENEW_WITHIN_DAYS = 7;

export interface DevCertificates {
  dir: string;
  caPath: string;
  certPath: string;
  keyPath: string;
  ca: string;
  cert: string;
  key: string;
  /** When the localhost certificate expires. */
  validTo: Date;
  /** Whether this call made them (false: the ones on disk were still good). */
  generated: boolean;
}

interface Files {
  ca: string;
  cert: string;
  key: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

async function readFiles(dir: string): Promise<Files | undefined> {
  try {
    const [ca, cert, key] = await Promise.all([CA_FILE, CERT_FILE, KEY_FILE].map((name) => readFile(path.join(dir, name), 'utf8')));
    return ca && cert && key ? { ca, cert, key } : undefined;
  } catch {
    return undefined;
  }
}

/** When the files are a usable set (CA signed the certificate, key matches it, covers the hosts, not near expiry): its expiry. */
function usable(files: Files, now: Date): Date | undefined {
  try {
    const ca = new X509Certificate(files.ca);
    const cert = new X509Certificate(files.cert);
    const validTo = new Date(cert.validTo);
    if (!cert.verify(ca.publicKey) || !cert.checkPrivateKey(createPrivateKey(files.key))) return undefined;
    if (!cert.checkHost('localhost') || !cert.checkIP('127.0.0.1')) return undefined;
    // validFrom has whole seconds and may lie a moment after `now`; five minutes of clock skew are fine.
    if (new Date(cert.validFrom).getTime() > now.getTime() + 5 * 60_000 || validTo.getTime() - now.getTime() < RENEW_WITHIN_DAYS * DAY_MS) return undefined;
    if (new Date(ca.validTo).getTime() - now.getTime() < RENEW_WITHIN_DAYS * DAY_MS) return undefined;
    return validTo;
  } catch {
    return undefined;
  }
}

/**
 * The development certificates in `dir`, generated with office-addin-dev-certs when the ones
 * there are missing or no longer usable. The new files are written to a temporary folder beside
 * them and moved into place, the key readable by its owner only.
 */
export async function ensureDevCertificates(
  dir: string = DEFAULT_CERTS_DIR,
  /** `now`: the time to judge the certificates on disk by (tests). */
  options: { now?: Date; days?: number } = {},
): Promise<DevCertificates> {
  const now = options.now ?? new Date();
  const paths = { dir, caPath: path.join(dir, CA_FILE), certPath: path.join(dir, CERT_FILE), keyPath: path.join(dir, KEY_FILE) };
  const existing = await readFiles(dir);
  const existingValidTo = existing && usable(existing, now);
  if (existing && existingValidTo) return { ...paths, ...existing, validTo: existingValidTo, generated: false };

  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Nothing in this folder belongs in git, wherever DEV_CERTS_DIR points.
  await writeFile(path.join(dir, '.gitignore'), '*\n');
  const staging = await mkdtemp(path.join(dir, '.new-'));
  try {
    const staged = { ca: path.join(staging, CA_FILE), cert: path.join(staging, CERT_FILE), key: path.join(staging, KEY_FILE) };
    await officeDevCerts.generateCertificates(staged.ca, staged.cert, staged.key, options.days ?? CERT_DAYS, CERT_HOSTS);
    await chmod(staged.key, 0o600);
    await rename(staged.key, paths.keyPath);
    await rename(staged.cert, paths.certPath);
    await rename(staged.ca, paths.caPath);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const made = await readFiles(dir);
  const validTo = made && usable(made, new Date());
  if (!made || !validTo) throw new Error(`office-addin-dev-certs did not produce usable certificates in ${dir}`);
  return { ...paths, ...made, validTo, generated: true };
}

export interface HttpsListener {
  server: ServerType;
  port: number;
  certificates: DevCertificates;
  close(): Promise<void>;
}

/** Serves `fetch` over HTTPS with the development certificates; resolves once it listens. */
export async function listenHttps(
  fetch: (request: Request) => Response | Promise<Response>,
  options: { hostname: string; port: number; certsDir?: string },
): Promise<HttpsListener> {
  const certificates = await ensureDevCertificates(options.certsDir ?? DEFAULT_CERTS_DIR);
  return new Promise<HttpsListener>((resolve, reject) => {
    const server = serve(
      {
        fetch,
        hostname: options.hostname,
        port: options.port,
        createServer,
        serverOptions: { key: certificates.key, cert: certificates.cert },
      },
      (info) => {
        server.off('error', reject);
        resolve({
          server,
          port: info.port,
          certificates,
          close: () => new Promise<void>((done) => server.close(() => done())),
        });
      },
    );
    server.once('error', reject);
  });
}

/** The address a developer opens: `localhost` (what the certificate and the manifest name) for loopback and wildcard hosts. */
export function addinUrl(hostname: string, port: number): string {
  const host = ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'].includes(hostname) ? 'localhost' : hostname;
  return `https://${host}:${port}${TASKPANE_PATH}`;
}

/**
 * api/src/server.ts: the HTTPS listener beside the HTTP one. A failure (port taken, certificates
 * unwritable) is logged with what to do and leaves the API running on HTTP.
 */
export async function startDevHttps(
  fetch: (request: Request) => Response | Promise<Response>,
  options: { hostname: string; port: number; certsDir?: string; logger: Logger },
): Promise<HttpsListener | undefined> {
  try {
    const listener = await listenHttps(fetch, options);
    const url = addinUrl(options.hostname, listener.port);
    options.logger.info(
      { url, ca: listener.certificates.caPath, certificates_generated: listener.certificates.generated, valid_to: listener.certificates.validTo.toISOString() },
      'StoreSync add-in served over HTTPS',
    );
    return listener;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const hint = code === 'EADDRINUSE' ? `port ${options.port} is in use: stop what uses it or set HTTPS_PORT (empty: no HTTPS)` : 'see the error';
    options.logger.error({ err: error }, `the HTTPS listener for the add-in did not start (${hint}); the API still answers over HTTP`);
    return undefined;
  }
}
