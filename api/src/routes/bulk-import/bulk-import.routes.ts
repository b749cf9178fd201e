import { createRoute, z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { ApiError, ErrorCode } from '../../lib/errors.ts';
import { errorResponses, jsonResponse } from '../../lib/schemas.ts';
import type { AppBindings } from '../../lib/types.ts';
import { requireAuth } from '../../middleware/auth.ts';
import { IMPORT_KINDS } from './importer.ts';
import { RESULT_ID_PATTERN } from './result-store.ts';
import { SyncCountsSchema } from '../sync/sync.schemas.ts';

const tags = ['sync'];

/** Before the form validator: a request that is not a form upload gets a 400 that says how to send one. */
const requireMultipart = createMiddleware<AppBindings>(async (c, next) => {
  const type = c.req.header('Content-Type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw new ApiError(
      ErrorCode.BadRequest,
      `Send the spreadsheet as multipart/form-data (fields file, brand, and optionally kind, dry_run, time_zone); got ${type ? `"${type.split(';')[0]}"` : 'no Content-Type'}`,
    );
  }
  await next();
});

const booleanField = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1')
  .openapi({ type: 'string', enum: ['true', 'false'] });

export const BulkImportForm = z
  .object({
    file: z
      .custom<Blob>((value) => value instanceof Blob, {
        message: 'attach the spreadsheet as a file in the field "file" (.xlsx or .csv)',
      })
      .openapi({ type: 'string', format: 'binary', description: 'The spreadsheet: .xlsx (first worksheet, or the one named like the kind) or .csv' }),
    brand: z.string().uuid().openapi({ description: 'The brand the rows belong to' }),
    kind: z.enum(IMPORT_KINDS).optional().openapi({ description: 'Default: recognised from the header row' }),
    dry_run: booleanField.optional().openapi({ description: 'Check every row and report what would happen; write nothing' }),
    time_zone: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: 'IANA zone for campaign start/end without an offset, and for Last Synced (default UTC)', example: 'America/Chicago' }),
  })
  .strict();

const ProblemSchema = z.object({
  row: z.number().int(),
  column: z.string(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
  field: z.string().optional(),
  text: z.string().openapi({ description: 'As the add-ins list it: `Row 7 · Store #: …`' }),
});

const RowResultSchema = z.object({
  row: z.number().int().openapi({ description: 'Sheet row; 1 is the header row' }),
  status: z.enum(['created', 'updated', 'unchanged', 'conflict', 'error']),
  id: z.string().uuid().nullable().openapi({ description: 'StoreSync id of the location or campaign' }),
  message: z.string().optional().openapi({ description: 'For errors: what is wrong and how to fix it' }),
  column: z.string().optional().openapi({ description: 'The header of the column the message is about' }),
  field: z.string().optional(),
  conflicts: z.array(z.object({ field: z.string(), sheet_value: z.unknown(), server_value: z.unknown() })).optional(),
  problems: z.array(ProblemSchema).optional(),
});

export const BulkImportResultSchema = z
  .object({
    brand: z.string().uuid(),
    kind: z.enum(IMPORT_KINDS),
    dry_run: z.boolean(),
    file: z.object({
      name: z.string(),
      format: z.enum(['xlsx', 'csv']),
      sheet: z.string().openapi({ description: 'The worksheet read' }),
      rows: z.number().int().openapi({ description: 'Data rows (blank rows are skipped)' }),
    }),
    counts: SyncCountsSchema,
    results: z.array(RowResultSchema),
    warnings: z.array(ProblemSchema),
    cursor: z.string().optional().openapi({ description: 'The brand’s change-feed cursor after the import' }),
    result_file: z.object({
      id: z.string(),
      url: z.string().url().openapi({ description: 'GET it (with the same token) within 24 hours' }),
      filename: z.string(),
      content_type: z.string(),
      expires_at: z.string().datetime(),
    }),
  })
  .openapi('BulkImportResult');

export const bulkImport = createRoute({
  method: 'post',
  path: '/campaigns/bulk-import',
  tags,
  summary: 'Import locations or campaigns from an .xlsx or .csv file',
  description: `Reads the file like the add-ins read a sheet: headers are recognised by name (aliases such as "Store No"), other
columns become attributes (locations) or customizations (campaigns), and each row is checked before anything is sent; a
problem names the row, the column header and the fix. Rows without problems go through the same upsert as
\`POST /sync/{kind}/\` in one transaction (found by the StoreSync ID column, else by store number, or store number +
template). One bad row never rejects the others. \`dry_run\` does all of it and rolls back. The answer has one
result per data row and a link to the result file: the upload with StoreSync ID, Sync Status and Sync Error filled in
(text is written inert, never as a formula), kept 24 hours for the uploader. At most 10,000 rows per file.`,
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth, requireMultipart] as const,
  request: {
    body: { content: { 'multipart/form-data': { schema: BulkImportForm } }, required: true, description: 'The file and its brand' },
  },
  responses: { ...errorResponses, 200: jsonResponse(BulkImportResultSchema, 'One result per data row, and the result file') },
});

export const ResultParams = z.object({
  id: z
    .string()
    .regex(RESULT_ID_PATTERN, 'the id from result_file of a bulk import')
    .openapi({ param: { name: 'id', in: 'path' }, example: 'q3J0c2V5bGx5LXJhbmRvbQ' }),
});

export const downloadResult = createRoute({
  method: 'get',
  path: '/campaigns/bulk-import/{id}/result',
  tags,
  summary: 'Download the result file of a bulk import',
  description: 'The uploaded sheet with the results filled in, as .xlsx or .csv like the upload. Only the user who uploaded it can download it, for 24 hours; anyone else gets 404.',
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth] as const,
  request: { params: ResultParams },
  responses: {
    ...errorResponses,
    200: {
      description: 'The result file',
      content: {
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) },
        'text/csv': { schema: z.string() },
      },
    },
  },
});
