/**
 * `/addin/*`: the add-in's static files with their content types and cache headers, the two roots
 * in order, conditional requests, and no way out of the roots (encoded dots and slashes,
 * backslashes, NUL, hidden files, symbolic links). No database: /addin never touches one.
 */
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { STATIC_ROOTS, type StaticRoot } from '@storesync/addin-excel/paths';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppBindings } from '../../lib/types.ts';
import { registerAddinRoutes } from './addin.index.ts';
import { CACHE_IMMUTABLE, CACHE_REVALIDATE, CACHE_SHORT, resolveStaticFile, safeSegments } from './static.ts';
import { appWithoutServices } from './test-support.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
let base: string;
let roots: StaticRoot[];
let app: Hono<AppBindings>;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'storesync-addin-'));
  const assets = path.join(base, 'addin-excel', 'assets');
  const dist = path.join(base, 'addin-excel', 'dist', 'taskpane');
  await mkdir(assets, { recursive: true });
  await mkdir(path.join(dist, 'assets'), { recursive: true });
  await writeFile(path.join(base, 'secret.txt'), 'top secret');
  await writeFile(path.join(base, 'addin-excel', 'secret.txt'), 'also secret');
  await writeFile(path.join(assets, 'icon-16.png'), PNG);
  await writeFile(path.join(assets, 'support.html'), '<!doctype html><title>Support</title>');
  await writeFile(path.join(assets, '.env'), 'JWT_SECRET=nope');
  await writeFile(path.join(dist, 'taskpane.html'), '<!doctype html><title>StoreSync</title>');
  await writeFile(path.join(dist, 'assets', 'index-Dj7753C5.js'), 'console.log("pane")');
  await writeFile(path.join(dist, 'assets', 'index-Dj7753C5.css'), 'body{}');
  await writeFile(path.join(dist, 'assets', 'icon-16.png'), 'not the icon');
  await writeFile(path.join(dist, 'notes.md'), '# build notes');
  await writeFile(path.join(dist, 'app.json'), '{"ok":true}');
  await symlink(path.join(base, 'secret.txt'), path.join(dist, 'leak.txt'));
  await symlink(path.join(base, 'addin-excel'), path.join(dist, 'up'));
  // A fixed modification time, for Last-Modified.
  await utimes(path.join(dist, 'taskpane.html'), new Date('2026-01-02T03:04:05Z'), new Date('2026-01-02T03:04:05Z'));
  roots = [
    { urlPath: '/addin/assets/', dir: assets + path.sep, hashedAssets: false },
    { urlPath: '/addin/', dir: dist + path.sep, hashedAssets: true },
  ];
  app = new Hono<AppBindings>();
  registerAddinRoutes(app, roots);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('serving the add-in', () => {
  it('serves each file with its content type, length and cache policy', async () => {
    const cases: [string, string, string][] = [
      ['/addin/taskpane.html', 'text/html; charset=utf-8', CACHE_REVALIDATE],
      ['/addin/assets/index-Dj7753C5.js', 'text/javascript; charset=utf-8', CACHE_IMMUTABLE],
      ['/addin/assets/index-Dj7753C5.css', 'text/css; charset=utf-8', CACHE_IMMUTABLE],
      ['/addin/assets/icon-16.png', 'image/png', CACHE_SHORT],
      ['/addin/assets/support.html', 'text/html; charset=utf-8', CACHE_REVALIDATE],
      ['/addin/app.json', 'application/json; charset=utf-8', CACHE_SHORT],
    ];
    for (const [url, type, cache] of cases) {
      const response = await app.request(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toBe(type);
      expect(response.headers.get('cache-control'), url).toBe(cache);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Number(response.headers.get('content-length'))).toBe((await response.arrayBuffer()).byteLength);
    }
    const page = await app.request('/addin/taskpane.html');
    expect(await page.text()).toBe('<!doctype html><title>StoreSync</title>');
    expect(page.headers.get('last-modified')).toBe('Fri, 02 Jan 2026 03:04:05 GMT');
    expect(page.headers.get('etag')).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
  });

  it('takes /addin/assets/ from the icons folder first, then from the built pane', async () => {
    const icon = await app.request('/addin/assets/icon-16.png');
    expect(Buffer.from(await icon.arrayBuffer())).toEqual(PNG);
    expect(await (await app.request('/addin/assets/index-Dj7753C5.js')).text()).toBe('console.log("pane")');
  });

  it('answers conditional requests with 304 and HEAD without a body', async () => {
    const first = await app.request('/addin/assets/icon-16.png');
    const etag = first.headers.get('etag') ?? '';
    const byTag = await app.request('/addin/assets/icon-16.png', { headers: { 'If-None-Match': `"other", ${etag}` } });
    expect(byTag.status).toBe(304);
    expect(byTag.headers.get('etag')).toBe(etag);
    expect(byTag.headers.get('cache-control')).toBe(CACHE_SHORT);
    expect(await byTag.text()).toBe('');
    expect((await app.request('/addin/assets/icon-16.png', { headers: { 'If-None-Match': '"other"' } })).status).toBe(200);
    const byDate = await app.request('/addin/taskpane.html', { headers: { 'If-Modified-Since': 'Fri, 02 Jan 2026 03:04:05 GMT' } });
    expect(byDate.status).toBe(304);
    expect((await app.request('/addin/taskpane.html', { headers: { 'If-Modified-Since': 'Fri, 02 Jan 2026 03:04:04 GMT' } })).status).toBe(200);

    const head = await app.request('/addin/taskpane.html', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await head.text()).toBe('');
  });

  it('sends /addin and /addin/ to the task pane', async () => {
    for (const url of ['/addin', '/addin/']) {
      const response = await app.request(url);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/addin/taskpane.html');
    }
  });

  it('never serves anything outside its folders, hidden files, folders or unknown types', async () => {
    const refused = [
      '/addin/..%2fsecret.txt',
      '/addin/..%2f..%2fsecret.txt',
      '/addin/%2e%2e%2fsecret.txt',
      '/addin/%2E%2E%2F%2E%2E%2Fsecret.txt',
      '/addin/assets/..%2f..%2f..%2fsecret.txt',
      '/addin/assets/..%5c..%5csecret.txt',
      '/addin/assets/%2e%2e%5csecret.txt',
      '/addin/assets/.env',
      '/addin/assets/%2eenv',
      '/addin/assets/icon-16.png%00.html',
      '/addin/assets/%E0%A4%A.png',
      '/addin/assets//icon-16.png',
      '/addin/assets/icon-16.png/',
      '/addin/leak.txt',
      '/addin/up/secret.txt',
      '/addin/notes.md',
      '/addin/assets',
      '/addin/C:%5csecret.txt',
      '/addin/nothing-here.js',
    ];
    for (const url of refused) {
      const response = await app.request(url);
      expect(response.status, url).toBe(404);
      const body = await response.text();
      expect(body, url).not.toMatch(/top secret|also secret|JWT_SECRET|build notes/);
    }
    // Dot segments that URL parsing would remove before routing, given to the resolver as they came.
    for (const raw of ['/addin/../secret.txt', '/addin/assets/../../secret.txt', '/addin/./taskpane.html', '/addin/assets/./icon-16.png']) {
      expect(await resolveStaticFile(roots, raw), raw).toBeNull();
    }
    expect(safeSegments('a/b.js')).toEqual(['a', 'b.js']);
    expect(safeSegments('a/../b.js')).toBeNull();
  });

  it('says how to build the pane when it is not built', async () => {
    const bare = new Hono<AppBindings>();
    registerAddinRoutes(bare, [roots[0] as StaticRoot, { urlPath: '/addin/', dir: path.join(base, 'missing') + path.sep, hashedAssets: true }]);
    const response = await bare.request('/addin/taskpane.html');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('npm run build -w @storesync/addin-excel');
    expect((await bare.request('/addin/assets/icon-16.png')).status).toBe(200);
  });
});

describe('in the API app', () => {
  it('serves the repository’s icons without the API’s frame and resource-policy headers', async () => {
    const api = appWithoutServices();
    const icon = await api.request('/addin/assets/icon-32.png');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/png');
    expect(icon.headers.get('x-frame-options')).toBeNull();
    expect(icon.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(icon.headers.get('x-request-id')).toBeTruthy();
    const support = await api.request('/addin/assets/support.html');
    expect(support.status).toBe(200);
    // The API itself keeps them.
    const health = await api.request('/healthz');
    expect(health.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect((await api.request('/addin/assets/..%2f..%2fpackage.json')).status).toBe(404);
    expect((await api.request('/addin/assets/icon-32.png', { method: 'POST' })).status).toBe(404);
    expect(STATIC_ROOTS.map((root) => root.urlPath)).toEqual(['/addin/assets/', '/addin/']);
  });
});
