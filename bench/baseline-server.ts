/**
 * The bench's baseline: the same request answered by plain Hono and node-postgres, with no ORM,
 * no OpenAPI validation and no middleware. Like the API it verifies the JWT with jose (HS256,
 * issuer, audience, typ), reads the user (role, activity, sessions_valid_after, brands, location
 * assignments) on every request, applies the same visibility rule, counts and fetches the page
 * in parallel, and answers the same JSON (api/src/routes/campaigns/campaigns.serializers.ts).
 * It needs 3 queries per request where Prisma issues 7: one for the user instead of three, and
 * the page with location and template joined instead of two follow-up `IN (...)` queries.
 */
import { Hono, type Context } from 'hono';
import { jwtVerify } from 'jose';
import type pg from 'pg';

export interface BaselineConfig {
  secret: string;
  issuer: string;
  audience: string;
}

interface UserRow {
  role: string;
  is_active: boolean;
  sessions_valid_after: Date | null;
  brand_ids: string[];
  location_ids: string[];
}

interface CampaignRow {
  id: string;
  location_id: string;
  template_id: string;
  status: string;
  scheduled_start: Date | null;
  scheduled_end: Date | null;
  row_version: number;
  created_at: Date;
  updated_at: Date;
  location_name: string;
  store_number: string;
  brand_id: string;
  template_name: string;
}

const USER_SQL = `
  SELECT u.role::text AS role, u.is_active, u.sessions_valid_after,
         ARRAY(SELECT b.brand_id FROM user_brands b WHERE b.user_id = u.id) AS brand_ids,
         ARRAY(SELECT a.location_id FROM location_assignments a WHERE a.user_id = u.id) AS location_ids
  FROM users u WHERE u.id = $1`;

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;

const fail = (c: Context, status: 400 | 401, code: string, message: string) => c.json({ error: { code, message } }, status);

function intParam(raw: string | undefined, fallback: number, max: number): number | null {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1 && value <= max ? value : null;
}

function pageLink(c: Context, page: number): string {
  const url = new URL(c.req.url);
  url.searchParams.set('page', String(page));
  return url.toString();
}

/** The access rule of api/src/lib/access.ts (campaignWhere) as SQL over `l` (locations). */
function visibility(user: UserRow, params: unknown[]): string {
  if (user.role === 'admin') return 'TRUE';
  params.push(user.brand_ids);
  const brands = `l.brand_id = ANY($${params.length}::uuid[])`;
  if (user.role !== 'location_manager' || user.location_ids.length === 0) return brands;
  params.push(user.location_ids);
  return `l.id = ANY($${params.length}::uuid[]) AND ${brands}`;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function createBaselineApp(pool: pg.Pool, config: BaselineConfig) {
  const key = new TextEncoder().encode(config.secret);
  const app = new Hono();

  const listCampaigns = async (c: Context) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('Authorization') ?? '');
    if (!match?.[1]) return fail(c, 401, 'unauthenticated', 'Sign in first: send "Authorization: Bearer <access token>"');
    let userId: string;
    let issuedAt: number;
    try {
      const { payload } = await jwtVerify(match[1], key, {
        algorithms: ['HS256'],
        issuer: config.issuer,
        audience: config.audience,
        typ: 'at+jwt',
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      userId = payload.sub as string;
      issuedAt = payload.iat as number;
    } catch {
      return fail(c, 401, 'unauthenticated', 'Access token is invalid');
    }
    const page = intParam(c.req.query('page'), 1, Number.MAX_SAFE_INTEGER);
    const pageSize = intParam(c.req.query('page_size'), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    if (page === null || pageSize === null) return fail(c, 400, 'validation_failed', 'page and page_size must be positive integers');

    const user = (await pool.query<UserRow>(USER_SQL, [userId])).rows[0];
    // As api/src/middleware/auth.ts: tokens issued before the user's sessions ended do not count.
    const sessionEnded = user?.sessions_valid_after && issuedAt < Math.floor(user.sessions_valid_after.getTime() / 1000);
    if (!user?.is_active || sessionEnded) return fail(c, 401, 'unauthenticated', 'This session has ended; sign in again');

    const params: unknown[] = [];
    const where = visibility(user, params);
    const countSql = `SELECT count(*)::int AS count FROM location_campaigns c JOIN locations l ON l.id = c.location_id WHERE ${where}`;
    const pageSql = `
      SELECT c.id, c.location_id, c.template_id, c.status::text AS status, c.scheduled_start, c.scheduled_end,
             c.row_version, c.created_at, c.updated_at, l.name AS location_name, l.store_number, l.brand_id, t.name AS template_name
      FROM location_campaigns c
      JOIN locations l ON l.id = c.location_id
      JOIN campaign_templates t ON t.id = c.template_id
      WHERE ${where}
      ORDER BY c.created_at DESC, c.id DESC
      LIMIT $${params.length + 1} OFFSET $${params.length + 2}`;
    const [countResult, pageResult] = await Promise.all([
      pool.query<{ count: number }>(countSql, params),
      pool.query<CampaignRow>(pageSql, [...params, pageSize, (page - 1) * pageSize]),
    ]);
    const count = countResult.rows[0]?.count ?? 0;
    const lastPage = Math.max(1, Math.ceil(count / pageSize));
    return c.json(
      {
        count,
        next: page < lastPage ? pageLink(c, page + 1) : null,
        previous: page > 1 ? pageLink(c, Math.min(page - 1, lastPage)) : null,
        results: pageResult.rows.map((row) => ({
          id: row.id,
          brand: row.brand_id,
          location: row.location_id,
          location_name: row.location_name,
          store_number: row.store_number,
          template: row.template_id,
          template_name: row.template_name,
          status: row.status,
          scheduled_start: iso(row.scheduled_start),
          scheduled_end: iso(row.scheduled_end),
          row_version: row.row_version,
          created_at: row.created_at.toISOString(),
          updated_at: row.updated_at.toISOString(),
        })),
      },
      200,
    );
  };

  app.get('/api/v1/campaigns', listCampaigns);
  app.get('/api/v1/campaigns/', listCampaigns);
  return app;
}
