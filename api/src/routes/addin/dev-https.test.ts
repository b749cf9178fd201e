/**
 * The development HTTPS listener: certificates from office-addin-dev-certs' generator in a folder
 * of ours (never the system trust store), kept while good and made again when not, and the real
 * app answering over TLS with that certificate, which a client trusts only with the generated CA.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request, type RequestOptions } from 'node:https';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addinUrl, CERT_DAYS, ensureDevCertificates, listenHttps, startDevHttps, type HttpsListener } from './dev-https.ts';
import { appWithoutServices } from './test-support.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  fingerprint256: string;
}

function get(options: RequestOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ method: 'GET', agent: false, ...options }, (response) => {
      const socket = response.socket as TLSSocket;
      const fingerprint256 = socket.getPeerCertificate().fingerprint256;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), fingerprint256 }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let dir: string;
let listener: HttpsListener;
const officeDefaultDir = path.join(homedir(), '.office-addin-dev-certs');
const officeDefaultDirExisted = existsSync(officeDefaultDir);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'storesync-certs-'));
  listener = await listenHttps(appWithoutServices().fetch, { hostname: '127.0.0.1', port: 0, certsDir: path.join(dir, 'certs') });
});

afterAll(async () => {
  await listener.close();
  await rm(dir, { recursive: true, force: true });
});

describe('development certificates', () => {
  it('are generated into the folder asked for: a CA and a localhost certificate it signed, the key private', async () => {
    const certs = listener.certificates;
    expect(certs.generated).toBe(true);
    expect(certs.caPath).toBe(path.join(dir, 'certs', 'ca.crt'));
    const ca = new X509Certificate(await readFile(certs.caPath));
    const cert = new X509Certificate(await readFile(certs.certPath));
    expect(ca.ca).toBe(true);
    expect(ca.subject).toContain('Developer CA for Microsoft Office Add-ins');
    expect(cert.ca).toBe(false);
    expect(cert.issuer).toBe(ca.subject);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    const days = (new Date(cert.validTo).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(CERT_DAYS - 2);
    expect(days).toBeLessThan(CERT_DAYS + 1);
    expect((await stat(certs.keyPath)).mode & 0o777).toBe(0o600);
    expect(await readFile(path.join(dir, 'certs', '.gitignore'), 'utf8')).toBe('*\n');
    // Nothing went to office-addin-dev-certs' own folder in the home directory (its install step is never run).
    expect(existsSync(officeDefaultDir)).toBe(officeDefaultDirExisted);
  });

  it('are kept while good, and made again when broken or near expiry', async () => {
    const certsDir = path.join(dir, 'certs');
    const again = await ensureDevCertificates(certsDir);
    expect(again.generated).toBe(false);
    expect(again.cert).toBe(listener.certificates.cert);

    const nearExpiry = await ensureDevCertificates(certsDir, { now: new Date(Date.now() + (CERT_DAYS - 3) * 86_400_000) });
    expect(nearExpiry.generated).toBe(true);
    expect(nearExpiry.cert).not.toBe(listener.certificates.cert);

    await writeFile(path.join(certsDir, 'localhost.key'), 'not a key');
    const repaired = await ensureDevCertificates(certsDir);
    expect(repaired.generated).toBe(true);
    expect(new X509Certificate(repaired.cert).checkPrivateKey((await import('node:crypto')).createPrivateKey(repaired.key))).toBe(true);
  });
});

describe('the HTTPS listener', () => {
  it('answers with the generated certificate, trusted through the generated CA', async () => {
    const expected = new X509Certificate(listener.certificates.cert).fingerprint256;
    const ca = listener.certificates.ca;
    // By name (what the manifest uses) and by address: both are in the certificate.
    for (const target of [{ host: '127.0.0.1', servername: 'localhost' }, { host: '127.0.0.1' }]) {
      const icon = await get({ ...target, port: listener.port, path: '/addin/assets/icon-32.png', ca });
      expect(icon.status).toBe(200);
      expect(icon.fingerprint256).toBe(expected);
      expect(icon.headers['content-type']).toBe('image/png');
      expect(icon.body.subarray(1, 4).toString('latin1')).toBe('PNG');
    }
    // The API on the same origin.
    const health = await get({ host: '127.0.0.1', servername: 'localhost', port: listener.port, path: '/healthz', ca });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body.toString('utf8'))).toEqual({ status: 'ok' });
    // No way out of the add-in's folders over the wire either.
    const escape = await get({ host: '127.0.0.1', port: listener.port, path: '/addin/assets/..%2f..%2f..%2fpackage.json', ca });
    expect(escape.status).toBe(404);
  });

  it('is not trusted without the CA (nothing was added to the system store)', async () => {
    await expect(get({ host: '127.0.0.1', servername: 'localhost', port: listener.port, path: '/healthz' })).rejects.toMatchObject({
      code: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER_CERT/),
    });
  });

  it('logs the add-in URL, or what to do when the port is taken, and never stops the API', async () => {
    const logged: { level: string; fields: Record<string, unknown>; message: string }[] = [];
    const logger = {
      info: (fields: Record<string, unknown>, message: string) => logged.push({ level: 'info', fields, message }),
      error: (fields: Record<string, unknown>, message: string) => logged.push({ level: 'error', fields, message }),
    } as unknown as Logger;
    const started = await startDevHttps(appWithoutServices().fetch, { hostname: '127.0.0.1', port: 0, certsDir: path.join(dir, 'certs'), logger });
    expect(started).toBeDefined();
    expect(logged[0]?.fields.url).toBe(`https://localhost:${started?.port}/addin/taskpane.html`);
    await started?.close();

    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const failed = await startDevHttps(appWithoutServices().fetch, { hostname: '127.0.0.1', port, certsDir: path.join(dir, 'certs'), logger });
    expect(failed).toBeUndefined();
    expect(logged[1]?.level).toBe('error');
    expect(logged[1]?.message).toContain(`port ${port} is in use`);
    await new Promise((resolve) => blocker.close(resolve));
  });

  it('names localhost for loopback and wildcard hosts', () => {
    expect(addinUrl('127.0.0.1', 8443)).toBe('https://localhost:8443/addin/taskpane.html');
    expect(addinUrl('0.0.0.0', 8443)).toBe('https://localhost:8443/addin/taskpane.html');
    expect(addinUrl('dev.example.test', 9443)).toBe('https://dev.example.test:9443/addin/taskpane.html');
  });
});
