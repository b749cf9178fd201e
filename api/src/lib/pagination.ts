/** The spec's paginated list shape: `{ count, next, previous, results }` with page/page_size. */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export const paginationQuery = {
  page: z.coerce.number().int().min(1).default(1).openapi({ description: 'Page number, from 1' }),
  page_size: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .openapi({ description: `Results per page (1..${MAX_PAGE_SIZE})` }),
};

export function paginatedSchema<T extends z.ZodTypeAny>(item: T, name: string) {
  return z
    .object({
      count: z.number().int(),
      next: z.string().nullable(),
      previous: z.string().nullable(),
      results: z.array(item),
    })
    .openapi(name);
}

export function pageWindow(query: { page: number; page_size: number }) {
  return { skip: (query.page - 1) * query.page_size, take: query.page_size };
}

function pageLink(c: Context, page: number, publicUrl: string | undefined): string {
  const url = new URL(c.req.url);
  if (publicUrl) {
    const base = new URL(publicUrl);
    url.protocol = base.protocol;
    url.host = base.host;
  }
  url.searchParams.set('page', String(page));
  return url.toString();
}

export function paginated<T>(
  c: Context,
  query: { page: number; page_size: number },
  count: number,
  results: T[],
  publicUrl?: string,
) {
  const lastPage = Math.max(1, Math.ceil(count / query.page_size));
  return {
    count,
    next: query.page < lastPage ? pageLink(c, query.page + 1, publicUrl) : null,
    previous: query.page > 1 ? pageLink(c, Math.min(query.page - 1, lastPage), publicUrl) : null,
    results,
  };
}
