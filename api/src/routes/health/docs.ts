/**
 * Swagger UI at /api/docs, with its script and stylesheet served from the swagger-ui-dist
 * package instead of a CDN, so the docs work on machines without internet access.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { swaggerUI } from '@hono/swagger-ui';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { notFound } from '../../lib/errors.ts';
import type { AppBindings } from '../../lib/types.ts';

const ASSET_BASE = '/api/docs/assets';
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const distDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const assetCache = new Map<string, Promise<string>>();

export function registerDocsRoutes(app: OpenAPIHono<AppBindings>, schemaPath: string) {
  // @hono/swagger-ui appends `/swagger-ui-dist/<file>` to the base URL.
  app.get('/api/docs', swaggerUI({ url: schemaPath, baseUrl: ASSET_BASE, title: 'StoreSync API' }));
  app.get(`${ASSET_BASE}/swagger-ui-dist/:file`, async (c) => {
    const file = c.req.param('file');
    const contentType = ASSETS[file];
    if (!contentType) throw notFound('Asset');
    if (!assetCache.has(file)) assetCache.set(file, readFile(path.join(distDir, file), 'utf8'));
    return c.body(await (assetCache.get(file) as Promise<string>), 200, {
      'Content-Type': contentType,
      'Cache-Control': 'public, max-age=86400',
    });
  });
}
