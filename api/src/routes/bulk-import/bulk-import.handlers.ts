import type { RouteHandler } from '@hono/zod-openapi';
import { assertTimeZone, describeProblem } from '@storesync/core';
import { assertCanWrite } from '../../lib/access.ts';
import { ApiError, ErrorCode, validationFailed } from '../../lib/errors.ts';
import type { AppBindings } from '../../lib/types.ts';
import { findVisibleBrand } from '../brands/brands.handlers.ts';
import type { bulkImport, downloadResult } from './bulk-import.routes.ts';
import { referenceData, syncImportRows } from './importer.ts';
import { ImportPoolBusy, ImportRejected, ImportWorkerFailed, importPool } from './import-pool.ts';
import type { WorkerAnswer } from './import-protocol.ts';
import { loadResult, saveResult } from './result-store.ts';
import type { SheetFile } from './sheet-files.ts';

const CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
} as const;

function fileProblem(message: string) {
  return validationFailed([{ field: 'file', message }], message);
}

function resultFilename(uploaded: string, format: SheetFile['format']): string {
  const base = uploaded.replace(/\.[^.]*$/, '').replace(/[\\/:*?"<>|]|\p{Cc}/gu, ' ').trim().slice(0, 120) || 'import';
  return `${base} (StoreSync result).${format}`;
}

/** `attachment` with an ASCII fallback and the exact name in RFC 5987 form. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export const bulkImportHandler: RouteHandler<typeof bulkImport, AppBindings> = async (c) => {
  const { prisma, redis, env } = c.get('deps');
  const user = c.get('user');
  const form = c.req.valid('form');
  const brand = await findVisibleBrand(prisma, user, form.brand);
  assertCanWrite(user);
  const timeZone = form.time_zone ?? 'UTC';
  try {
    assertTimeZone(timeZone);
  } catch {
    throw validationFailed([{ field: 'time_zone', message: `"${timeZone}" is not a time zone; use an IANA name such as America/Chicago` }]);
  }

  const upload = form.file as Blob & { name?: string };
  const filename = upload.name?.trim() || 'upload';
  const dryRun = form.dry_run ?? false;
  // Parsing, reading rows and writing the result file run in a worker thread; the database part
  // (reference data, the sync) runs here when the worker asks for it.
  const pool = importPool({ size: env.BULK_IMPORT_THREADS, maxQueue: env.BULK_IMPORT_QUEUE });
  let outcome: WorkerAnswer;
  try {
    outcome = await pool.run({
      bytes: await upload.arrayBuffer(),
      filename,
      ...(form.kind ? { kind: form.kind } : {}),
      dryRun,
      timeZone,
      reference: () => referenceData(prisma, user, brand.id),
      sync: (kind, payloads) => syncImportRows(prisma, user, brand.id, kind, dryRun, payloads),
    });
  } catch (error) {
    if (error instanceof ImportRejected) {
      const { failure } = error;
      if (failure.kind === 'file') throw fileProblem(failure.message);
      throw validationFailed(
        failure.problems.map((problem) => ({ field: 'file', message: describeProblem(problem) })),
        failure.message,
      );
    }
    if (error instanceof ImportPoolBusy) {
      throw new ApiError(ErrorCode.Unavailable, 'StoreSync is busy importing other files; retry in a few seconds', {
        headers: { 'Retry-After': String(error.retryAfterSeconds) },
      });
    }
    if (error instanceof ImportWorkerFailed) {
      c.get('logger').error({ err: error }, 'bulk import: worker failed');
      throw new ApiError(ErrorCode.Internal, 'StoreSync could not process the file (its import worker failed); quote the request id when reporting it');
    }
    throw error;
  }

  const file = outcome.file;
  const body = Buffer.from(outcome.body);
  const name = resultFilename(filename, file.format);
  const contentType = CONTENT_TYPES[file.format];
  const saved = await saveResult(
    redis,
    { userId: user.id, brandId: brand.id, filename: name, contentType, createdAt: new Date().toISOString() },
    body,
  );
  const url = new URL(`/api/v1/campaigns/bulk-import/${saved.id}/result/`, env.PUBLIC_URL ?? c.req.url);

  return c.json(
    {
      brand: brand.id,
      kind: outcome.kind,
      dry_run: dryRun,
      file: { name: filename, format: file.format, sheet: file.sheetName, rows: outcome.results.length },
      counts: outcome.counts,
      results: outcome.results,
      warnings: outcome.warnings,
      ...(outcome.cursor ? { cursor: outcome.cursor } : {}),
      result_file: { id: saved.id, url: url.toString(), filename: name, content_type: contentType, expires_at: saved.expiresAt.toISOString() },
    },
    200,
  );
};

export const downloadResultHandler: RouteHandler<typeof downloadResult, AppBindings> = async (c) => {
  const { prisma, redis } = c.get('deps');
  const user = c.get('user');
  const stored = await loadResult(redis, c.req.valid('param').id, user.id);
  if (!stored) {
    throw new ApiError(ErrorCode.NotFound, 'Result file not found (result files are kept 24 hours, for the user who uploaded the file)');
  }
  // Still only for someone who can see the brand (membership may have changed since the upload).
  await findVisibleBrand(prisma, user, stored.meta.brandId);
  return c.body(new Uint8Array(stored.body), 200, {
    'Content-Type': stored.meta.contentType,
    'Content-Disposition': contentDisposition(stored.meta.filename),
    'Cache-Control': 'private, no-store',
  });
};
