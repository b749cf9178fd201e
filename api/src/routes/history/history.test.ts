import { beforeAll, describe, expect, it } from 'vitest';
import { createWorld, expectRejectsBadTokens, useTestContext } from '../../../test/harness.ts';
import { csvCell, csvRow } from './csv.ts';

const ctx = useTestContext();
let world: Awaited<ReturnType<typeof createWorld>>;
beforeAll(async () => {
  world = await createWorld(ctx);
});

const act = async (campaignId: string, action: string, token: string, comments?: string) => {
  const response = await ctx.request('POST', `/api/v1/campaigns/${campaignId}/${action}/`, { token, body: comments ? { comments } : {} });
  expect(response.status, `${action}: ${response.text}`).toBe(200);
  return response.json;
};

/** A campaign by the location manager, submitted and then decided by the brand manager. */
async function reviewedCampaign(decision: 'approve' | 'reject', comments: string, locationId = world.location.id) {
  // The location manager is assigned to the first location only.
  const author = locationId === world.location.id ? world.users.locationManager : world.users.admin;
  const campaign = await ctx.createCampaign(locationId, world.template.id, { createdById: author.id, generatedContent: 'Summer sale at Store 001!' });
  await act(campaign.id, 'submit', author.token);
  await act(campaign.id, decision, world.users.brandManager.token, comments);
  return campaign;
}

/** Parses our CSV (every cell quoted, CRLF rows; Response.text() drops the BOM) back into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  const cell = /"((?:[^"]|"")*)"(,|\r\n)/y;
  let row: string[] = [];
  for (let position = 0; position < text.length; position = cell.lastIndex) {
    cell.lastIndex = position;
    const match = cell.exec(text);
    if (!match) throw new Error(`not a quoted CSV cell at ${position}: ${text.slice(position, position + 40)}`);
    row.push((match[1] ?? '').replaceAll('""', '"'));
    if (match[2] === '\r\n') {
      rows.push(row);
      row = [];
    }
  }
  return rows;
}

const exportCsv = async (token: string, query = '', brandId = world.brand.id) =>
  ctx.request('GET', `/api/v1/brands/${brandId}/approvals.csv${query}`, { token });

describe('approval steps are append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of a step in the database itself', async () => {
    const campaign = await reviewedCampaign('approve', 'Fine');
    const step = await ctx.prisma.approvalStep.findFirstOrThrow({ where: { campaignId: campaign.id, decision: 'approved' } });
    await expect(ctx.prisma.approvalStep.update({ where: { id: step.id }, data: { comments: 'rewritten' } })).rejects.toThrow(/append-only/);
    await expect(ctx.prisma.approvalStep.delete({ where: { id: step.id } })).rejects.toThrow(/append-only/);
    await expect(ctx.prisma.$executeRawUnsafe('TRUNCATE approval_steps CASCADE')).rejects.toThrow(/append-only/);
    expect(await ctx.prisma.approvalStep.findUniqueOrThrow({ where: { id: step.id } })).toEqual(step);
  });

  it('refuses deleting a user who took a decision, so no step loses its approver', async () => {
    const reviewer = await ctx.createUser('brand_manager', { brands: [world.brand.id] });
    const campaign = await ctx.createCampaign(world.location.id, world.template.id, { status: 'pending_review', generatedContent: 'x' });
    await act(campaign.id, 'approve', reviewer.token);
    await expect(ctx.prisma.user.delete({ where: { id: reviewer.id } })).rejects.toThrow(/append-only/);
  });

  it('lets the steps go with their campaign when a rejected campaign is deleted', async () => {
    const campaign = await reviewedCampaign('reject', 'Wrong store');
    expect(await ctx.prisma.approvalStep.count({ where: { campaignId: campaign.id } })).toBe(2);
    const deleted = await ctx.request('DELETE', `/api/v1/campaigns/${campaign.id}`, { token: world.users.brandManager.token });
    expect(deleted.status).toBe(204);
    expect(await ctx.prisma.approvalStep.count({ where: { campaignId: campaign.id } })).toBe(0);
  });
});

describe('GET /api/v1/campaigns/{id}/history', () => {
  it('lists every step, newest first, with who took it, to every reader of the campaign', async () => {
    const campaign = await reviewedCampaign('reject', 'Wrong dates');
    for (const user of [world.users.viewer, world.users.locationManager, world.users.brandManager, world.users.admin]) {
      const response = await ctx.request('GET', `/api/v1/campaigns/${campaign.id}/history/`, { token: user.token });
      expect(response.status, user.role).toBe(200);
      expect(response.json).toMatchObject({ campaign: campaign.id, status: 'rejected', row_version: 3, count: 2 });
      expect(response.json.results).toEqual([
        expect.objectContaining({
          decision: 'rejected',
          comments: 'Wrong dates',
          previous_status: 'pending_review',
          new_status: 'rejected',
          approver: world.users.brandManager.id,
          approver_name: 'brand_manager Tester',
          approver_email: world.users.brandManager.email,
        }),
        expect.objectContaining({ decision: 'submitted', approver: world.users.locationManager.id }),
      ]);
    }
  });

  it('answers 404 for another brand’s campaign and for a location outside a location manager’s assignments', async () => {
    const campaign = await reviewedCampaign('approve', '');
    const foreign = await ctx.request('GET', `/api/v1/campaigns/${campaign.id}/history`, { token: world.users.otherBrandManager.token });
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.code).toBe('not_found');
    const elsewhere = await ctx.createCampaign(world.secondLocation.id, world.template.id);
    const unassigned = await ctx.request('GET', `/api/v1/campaigns/${elsewhere.id}/history`, { token: world.users.locationManager.token });
    expect(unassigned.status).toBe(404);
  });

  it('refuses missing and bad tokens', async () => {
    const campaign = await ctx.createCampaign(world.location.id, world.template.id);
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'GET', `/api/v1/campaigns/${campaign.id}/history`);
  });
});

describe('GET /api/v1/brands/{id}/approvals.csv', () => {
  it('exports the brand’s trail oldest first as a CSV download with a header row', async () => {
    const campaign = await reviewedCampaign('approve', 'Great, ship it');
    const response = await exportCsv(world.users.viewer.token);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="acme-hardware-approvals.csv"');
    const [header, ...rows] = parseCsv(response.text);
    expect(header).toEqual([
      'created_at', 'campaign_id', 'store_number', 'location', 'template', 'decision', 'previous_status',
      'new_status', 'approver_id', 'approver_name', 'approver_email', 'comments', 'step_id',
    ]);
    const mine = rows.filter((row) => row[1] === campaign.id);
    expect(mine.map((row) => row[5])).toEqual(['submitted', 'approved']);
    expect(mine[1]).toEqual([
      expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      campaign.id,
      '001',
      'Store 001',
      'Seasonal sale',
      'approved',
      'pending_review',
      'approved',
      world.users.brandManager.id,
      'brand_manager Tester',
      world.users.brandManager.email,
      'Great, ship it',
      expect.any(String),
    ]);
    const times = rows.map((row) => row[0] ?? '');
    expect(times).toEqual([...times].sort());
    const raw = await ctx.app.request(`/api/v1/brands/${world.brand.id}/approvals.csv`, {
      headers: { Authorization: `Bearer ${world.users.viewer.token}` },
    });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 4)]).toEqual([0xef, 0xbb, 0xbf, 0x22]);
  });

  it('filters by dates, the status a step led to, decision and approver', async () => {
    const campaign = await reviewedCampaign('reject', 'Not this week');
    const idsOf = async (query: string) => {
      const response = await exportCsv(world.users.brandManager.token, query);
      expect(response.status, `${query}: ${response.text}`).toBe(200);
      return parseCsv(response.text).slice(1).filter((row) => row[1] === campaign.id).map((row) => row[5]);
    };
    const today = new Date().toISOString().slice(0, 10);
    expect(await idsOf(`?from=${today}&to=${today}`)).toEqual(['submitted', 'rejected']);
    expect(await idsOf('?to=2000-01-01')).toEqual([]);
    expect(await idsOf(`?from=${new Date(Date.now() + 60_000).toISOString()}`)).toEqual([]);
    expect(await idsOf('?status=rejected')).toEqual(['rejected']);
    expect(await idsOf('?status=pending_review,rejected')).toEqual(['submitted', 'rejected']);
    expect(await idsOf('?decision=submitted')).toEqual(['submitted']);
    expect(await idsOf(`?approver=${world.users.brandManager.id}`)).toEqual(['rejected']);
    expect(await idsOf(`?approver=${world.users.admin.id}`)).toEqual([]);
  });

  it('refuses bad filters with our 400 body', async () => {
    const token = world.users.brandManager.token;
    const backwards = await exportCsv(token, '?from=2026-02-01&to=2026-01-31');
    expect(backwards.status).toBe(400);
    expect(backwards.json.error.details).toEqual([{ field: 'query.to', message: 'must not be before from' }]);
    expect((await exportCsv(token, '?from=yesterday')).json.error.details[0].field).toBe('query.from');
    expect((await exportCsv(token, '?status=submitted')).json.error.details[0].message).toContain('unknown status "submitted"');
    expect((await exportCsv(token, '?decision=approve')).json.error.details[0].message).toContain('unknown decision "approve"');
  });

  it('neutralises cells a spreadsheet would run as formulas', async () => {
    const campaign = await reviewedCampaign('reject', '=HYPERLINK("http://evil.test","click")');
    const response = await exportCsv(world.users.brandManager.token, '?decision=rejected');
    const row = parseCsv(response.text).find((cells) => cells[1] === campaign.id);
    expect(row?.[11]).toBe(`'=HYPERLINK("http://evil.test","click")`);
    expect(response.text).toContain(`"'=HYPERLINK(""http://evil.test"",""click"")"`);
  });

  it('shows only what the caller may see: 404 for another brand, assigned locations for location managers', async () => {
    const foreign = await exportCsv(world.users.otherBrandManager.token);
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.code).toBe('not_found');
    const elsewhere = await reviewedCampaign('approve', '', world.secondLocation.id);
    const scoped = parseCsv((await exportCsv(world.users.locationManager.token)).text);
    expect(scoped.length).toBeGreaterThan(1);
    expect(scoped.slice(1).every((row) => row[2] === '001')).toBe(true);
    expect(scoped.some((row) => row[1] === elsewhere.id)).toBe(false);
    const admin = parseCsv((await exportCsv(world.users.admin.token)).text);
    expect(admin.some((row) => row[1] === elsewhere.id)).toBe(true);
  });

  it('refuses missing and bad tokens', async () => {
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'GET', `/api/v1/brands/${world.brand.id}/approvals.csv`);
  });
});

describe('csvCell', () => {
  it('prefixes a single quote to cells starting with = + - @ tab or carriage return, and quotes every cell', () => {
    for (const risky of ['=1+1', '+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(csvCell(risky)).toBe(`"'${risky}"`);
    expect(csvCell('plain, "quoted"\ntext')).toBe('"plain, ""quoted""\ntext"');
    expect(csvCell('a=1')).toBe('"a=1"');
    expect(csvRow(['a', 'b'])).toBe('"a","b"\r\n');
  });
});
