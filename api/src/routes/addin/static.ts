/**
 * Static files of the Excel add-in under `/addin/` (addin-excel/src/paths.ts says which URL path is
 * which folder): the built task pane and its Excel entry page, the icons and support page.
 *
 * - Only files with a known extension are served, each with its content type; anything else is 404.
 * - No path traversal: every segment of the raw URL path is decoded on its own and refused when it
 *   is empty, `.`, `..`, hidden (`.env`), or holds a slash, backslash, colon or NUL; the file's real
 *   path (symbolic links followed) must lie inside its root's real path.
 * - Caching: the pane's hashed build assets (`assets/name-HASH.js`) are immutable for a year;
 *   HTML is `no-cache` (always revalidated, so a rebuilt pane shows at once); icons and the rest
 *   are cached for an hour. Every answer has a weak `ETag` and `Last-Modified`, and conditional
 *   requests get 304.
 */
import { realpath, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { StaticRoot } from '@storesync/addin-excel/paths';

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
export const CACHE_REVALIDATE = 'no-cache';
export const CACHE_SHORT = 'public, max-age=3600';

/** Vite's output names: `assets/index-Dj7753C5.js` (8 characters of base64url hash). */
const HASHED_ASSET = /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

export interface StaticFile {
  /** Real path on disk. */
  file: string;
  /** Path inside the root, `/`-separated. */
  relative: string;
  root: StaticRoot;
  contentType: string;
  size: number;
  mtimeMs: number;
}

/** The decoded segments of `rest`, or null when any of them is not a plain file or folder name. */
export function safeSegments(rest: string): string[] | null {
  if (rest === '') return null;
  const segments: string[] = [];
  for (const raw of rest.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '' || segment.startsWith('.') || /[/\\:\0]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

function inside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * The file a URL path names (the raw path, still percent-encoded), from the first root whose
 * prefix matches and which has it; null when there is none or the path is not allowed.
 */
export async function resolveStaticFile(roots: readonly StaticRoot[], urlPath: string): Promise<StaticFile | null> {
  for (const root of roots) {
    if (!urlPath.startsWith(root.urlPath)) continue;
    const segments = safeSegments(urlPath.slice(root.urlPath.length));
    if (!segments) return null;
    const contentType = CONTENT_TYPES[path.extname(segments[segments.length - 1] ?? '').toLowerCase()];
    if (!contentType) return null;
    const candidate = path.join(root.dir, ...segments);
    if (!inside(root.dir, candidate)) return null;
    try {
      const [realRoot, realFile] = await Promise.all([realpath(root.dir), realpath(candidate)]);
      if (!inside(realRoot, realFile)) continue;
      const info = await stat(realFile);
      if (!info.isFile()) continue;
      return { file: realFile, relative: segments.join('/'), root, contentType, size: info.size, mtimeMs: info.mtimeMs };
    } catch {
      // Not in this root (or the root is not built): try the next one.
    }
  }
  return null;
}

export function cacheControl(found: Pick<StaticFile, 'relative' | 'root' | 'contentType'>): string {
  if (found.root.hashedAssets && HASHED_ASSET.test(found.relative)) return CACHE_IMMUTABLE;
  if (found.contentType.startsWith('text/html')) return CACHE_REVALIDATE;
  return CACHE_SHORT;
}

export function etagOf(found: Pick<StaticFile, 'size' | 'mtimeMs'>): string {
  return `W/"${found.size.toString(16)}-${Math.floor(found.mtimeMs).toString(16)}"`;
}

/** Whether the request's validators say its copy is current (If-None-Match wins over If-Modified-Since). */
export function notModified(headers: { ifNoneMatch?: string; ifModifiedSince?: string }, etag: string, mtimeMs: number): boolean {
  if (headers.ifNoneMatch !== undefined) {
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    return headers.ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
  }
  if (headers.ifModifiedSince !== undefined) {
    const since = Date.parse(headers.ifModifiedSince);
    return Number.isFinite(since) && Math.floor(mtimeMs / 1000) * 1000 <= since;
  }
  return false;
}

export function readStaticFile(found: StaticFile): Promise<Buffer> {
  return readFile(found.file);
}
