/** Zod schemas shared by the sync kinds and routes: the envelope and what every row may carry. */
import { z } from '@hono/zod-openapi';
import { SYNC_MAX_ROWS } from '@storesync/core';

const RowRefSchema = z
  .object({ id: z.string().max(100).nullish(), key: z.string().max(1000).nullish(), fingerprint: z.string().max(100).nullish() })
  .strict();

/** The sync metadata of a row (core's SyncRowMeta). */
export const syncRowMeta = {
  ref: RowRefSchema.optional(),
  id: z.string().uuid().nullish(),
  row_version: z.number().int().min(1).nullish(),
  blank_extras: z.array(z.string().min(1).max(255)).max(1000).optional(),
};

export const SyncRequestSchema = z
  .object({
    brand: z.string().uuid(),
    // Items are checked one by one by the kind's row schema, so a row that is not even an object
    // (a null from a broken sheet) becomes that row's error instead of rejecting the request;
    // nor is every row copied once more here.
    rows: z
      .array(z.unknown().openapi({ type: 'object', description: 'One sheet row (see the row fields above)' }))
      .min(1)
      .max(SYNC_MAX_ROWS)
      .openapi({
        description: `1..${SYNC_MAX_ROWS} rows. Each is validated on its own: a bad row gets an error result, the others are still synced.`,
      }),
  })
  .strict();

/** Rows per outcome, every outcome present (zero included). */
export const SyncCountsSchema = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    conflict: z.number().int(),
    error: z.number().int(),
  })
  .openapi('SyncCounts');

const FieldConflictSchema = z.object({ field: z.string(), sheet_value: z.unknown(), server_value: z.unknown() });

export function syncResponseSchema<T extends z.ZodTypeAny>(record: T, name: string) {
  return z
    .object({
      brand: z.string().uuid(),
      counts: SyncCountsSchema,
      results: z.array(
        z.object({
          index: z.number().int(),
          ref: RowRefSchema.optional(),
          status: z.enum(['created', 'updated', 'unchanged', 'conflict', 'error']),
          record: record.optional(),
          message: z.string().optional(),
          field: z.string().optional(),
          conflicts: z.array(FieldConflictSchema).optional(),
        }),
      ),
      cursor: z.string().openapi({ description: 'Change-feed cursor for a client that has none yet' }),
    })
    .openapi(name);
}
