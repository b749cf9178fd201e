import { beforeAll, describe, expect, it } from 'vitest';
import { createBrandWithManager, createWorld, expectRejectsBadTokens, useTestContext } from '../../../test/harness.ts';

const ctx = useTestContext();
let world: Awaited<ReturnType<typeof createWorld>>;

beforeAll(async () => {
  world = await createWorld(ctx);
});

const sync = (token: string, brand: string, rows: unknown[]) => ctx.request('POST', '/api/v1/sync/templates/', { token, body: { brand, rows } });

const spring = {
  name: 'Spring sale',
  campaign_type: 'seasonal_sale',
  description: 'For March',
  content_template: '{{location.name}} has a {{campaign.sale_type}} sale!',
  required_variables: ['sale_type'],
  is_active: true,
};

type Result = { index: number; status: string; field?: string; message?: string; record?: Record<string, unknown> };

describe('POST /sync/templates', () => {
  it('creates templates, answers one result per row in order, and a second identical request changes nothing', async () => {
    const { brand, token } = await createBrandWithManager(ctx);
    const rows = [
      { ref: { key: 'spring sale' }, ...spring },
      { name: 'Grand opening', campaign_type: 'opening', content_template: 'Welcome to {{location.name}}' },
    ];
    const first = await sync(token, brand.id, rows);
    expect(first.status, first.text).toBe(200);
    expect(first.json.counts).toEqual({ created: 2, updated: 0, unchanged: 0, conflict: 0, error: 0 });
    expect(first.json.results[0].ref).toEqual({ key: 'spring sale' });
    expect(first.json.results[0].record).toMatchObject({ ...spring, brand: brand.id, version: 1, row_version: 1 });
    expect(first.json.results[1].record).toMatchObject({ description: '', required_variables: [], is_active: true });

    const second = await sync(token, brand.id, rows);
    expect(second.json.counts).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    const stored = await ctx.prisma.campaignTemplate.findMany({ where: { brandId: brand.id } });
    expect(stored).toHaveLength(2);
    expect(stored.every((template) => template.rowVersion === 1 && template.version === 1)).toBe(true);
  });

  it('keeps going past bad rows, naming the field, and writes the good ones', async () => {
    const { brand, token } = await createBrandWithManager(ctx);
    const response = await sync(token, brand.id, [
      { ...spring },
      { ...spring, name: 'Broken', content_template: 'Hello {{ location.name ' },
      { ...spring, name: 'Bad variable', required_variables: ['sale type'] },
      { name: 'No text', campaign_type: 'x' },
      { ...spring, name: '  SPRING   sale ' },
      { ...spring, name: 'Unknown key', colour: 'red' },
      { ...spring, name: '' },
      { ...spring, name: 'Twice listed', required_variables: ['a', 'a'] },
      { ...spring, name: 'Blank extras', blank_extras: ['x'] },
    ]);
    expect(response.status).toBe(200);
    const [good, liquid, variable, noText, duplicate, unknownKey, noName, twice, blankExtras] = response.json.results as Result[];
    expect(good!.status).toBe('created');
    expect(liquid).toMatchObject({ status: 'error', field: 'content_template' });
    expect(variable).toMatchObject({ status: 'error', field: 'required_variables.0' });
    expect(noText).toMatchObject({ status: 'error', field: 'content_template' });
    expect(noText!.message).toMatch(/content template of "No text" is empty/);
    expect(duplicate!.status).toBe('error');
    expect(duplicate!.message).toMatch(/also in row 1 of this request/);
    expect(unknownKey!.message).toMatch(/colour/);
    expect(noName).toMatchObject({ status: 'error', field: 'name' });
    expect(twice).toMatchObject({ status: 'error', field: 'required_variables.1' });
    expect(blankExtras!.message).toMatch(/blank_extras/);
    expect(await ctx.prisma.campaignTemplate.count({ where: { brandId: brand.id } })).toBe(1);
  });

  it('finds templates by name case- and spacing-insensitively, bumps version only when the text changes', async () => {
    const { brand, token } = await createBrandWithManager(ctx);
    const created = await sync(token, brand.id, [spring]);
    const { id } = created.json.results[0].record;

    // Found by its name in other spelling: renamed to that spelling, the text is the same.
    const renamed = await sync(token, brand.id, [{ ...spring, name: 'SPRING  Sale', description: 'For April' }]);
    expect(renamed.json.results[0]).toMatchObject({
      status: 'updated',
      record: { id, name: 'SPRING  Sale', description: 'For April', version: 1, row_version: 2 },
    });

    const text = await sync(token, brand.id, [{ id, row_version: 2, ...spring, content_template: 'New text for {{location.name}}' }]);
    expect(text.json.results[0]).toMatchObject({ status: 'updated', record: { id, name: 'Spring sale', version: 2, row_version: 3 } });
    const stored = await ctx.prisma.campaignTemplate.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ version: 2, contentTemplate: 'New text for {{location.name}}' });

    // A row without the text column leaves the text (and version) alone.
    const { content_template: _text, ...withoutText } = spring;
    const noText = await sync(token, brand.id, [{ id, ...withoutText, is_active: false }]);
    expect(noText.json.results[0]).toMatchObject({ status: 'updated', record: { is_active: false, version: 2 } });
  });

  it('refuses a rename onto the name of another template, and an id of another brand', async () => {
    const { brand, token } = await createBrandWithManager(ctx);
    const created = await sync(token, brand.id, [spring, { ...spring, name: 'Autumn sale' }]);
    const autumn = created.json.results[1].record;
    const response = await sync(token, brand.id, [
      { ...spring, id: autumn.id, name: 'spring sale' },
      { ...spring, id: world.otherTemplate.id, name: 'Stolen' },
    ]);
    expect(response.json.results[0]).toMatchObject({ status: 'error', field: 'name' });
    expect(response.json.results[1]).toMatchObject({ status: 'error', field: 'id' });
    const other = await ctx.prisma.campaignTemplate.findUniqueOrThrow({ where: { id: world.otherTemplate.id } });
    expect(other.name).not.toBe('Stolen');
  });

  it('merges a stale row three ways: the sheet wins where only it changed, a field both changed is a conflict', async () => {
    const { brand, token } = await createBrandWithManager(ctx);
    const created = await sync(token, brand.id, [spring]);
    const { id } = created.json.results[0].record;
    const patch = await ctx.request('PATCH', `/api/v1/campaigns/templates/${id}/`, { token, body: { description: 'Server text', required_variables: [] } });
    expect(patch.status, patch.text).toBe(200);

    const sheetOnly = await sync(token, brand.id, [{ id, row_version: 1, ...spring, content_template: 'Sheet {{location.name}}' }]);
    expect(sheetOnly.json.results[0]).toMatchObject({
      status: 'updated',
      record: { description: 'Server text', required_variables: [], content_template: 'Sheet {{location.name}}', version: 2 },
    });

    const both = await sync(token, brand.id, [{ id, row_version: 1, ...spring, description: 'Sheet text' }]);
    expect(both.json.results[0].status).toBe('conflict');
    // The text and the variables the sheet still has as at version 1: only the server changed them.
    expect(both.json.results[0].conflicts).toEqual([{ field: 'description', sheet_value: 'Sheet text', server_value: 'Server text' }]);
    expect(both.json.results[0].message).toMatch(/description/);
    const stored = await ctx.prisma.campaignTemplate.findUniqueOrThrow({ where: { id } });
    expect(stored.description).toBe('Server text');
  });

  it('creates a name once when two syncs race for it', async () => {
    const { brand, token } = await createBrandWithManager(ctx);
    const [a, b] = await Promise.all([sync(token, brand.id, [spring]), sync(token, brand.id, [spring])]);
    expect([a.json.results[0].status, b.json.results[0].status].sort()).toEqual(['created', 'unchanged']);
    expect(await ctx.prisma.campaignTemplate.count({ where: { brandId: brand.id } })).toBe(1);
  });

  it('rejects whole requests: another brand, a viewer, too many rows, bad tokens', async () => {
    const otherBrand = await sync(world.users.brandManager.token, world.otherBrand.id, [{ ...spring, name: 'X1' }]);
    expect(otherBrand.status).toBe(404);
    const viewer = await sync(world.users.viewer.token, world.brand.id, [{ ...spring, name: 'X1' }]);
    expect(viewer.status).toBe(403);
    const tooMany = await sync(world.users.brandManager.token, world.brand.id, Array.from({ length: 10_001 }, () => spring));
    expect(tooMany.status).toBe(400);
    expect(await ctx.prisma.campaignTemplate.count({ where: { name: 'X1' } })).toBe(0);
    await expectRejectsBadTokens(ctx, world.users.brandManager.id, 'POST', '/api/v1/sync/templates/', {
      brand: world.brand.id,
      rows: [{ ...spring, name: 'X1' }],
    });
  });

  it('lets only admins and brand managers write; a location manager gets row errors but sees unchanged rows', async () => {
    const template = world.template;
    const same = {
      id: template.id,
      name: template.name,
      campaign_type: template.campaignType,
      content_template: template.contentTemplate,
      required_variables: template.requiredVariables,
    };
    const token = world.users.locationManager.token;
    const response = await sync(token, world.brand.id, [same, { ...spring, name: 'New by a store' }]);
    expect(response.status).toBe(200);
    const [unchanged, created] = response.json.results as Result[];
    const [changed] = (await sync(token, world.brand.id, [{ ...same, content_template: 'Changed by a store' }])).json.results as Result[];
    expect(unchanged!.status).toBe('unchanged');
    expect(changed!.status).toBe('error');
    expect(changed!.message).toMatch(/Only admins and brand managers can change templates/);
    expect(created!.status).toBe('error');
    expect(created!.message).toMatch(/Only admins and brand managers can add templates/);

    const admin = await sync(world.users.admin.token, world.brand.id, [{ ...spring, name: 'By the admin' }]);
    expect(admin.json.results[0].status).toBe('created');
  });

  it('shows the changes in the change feed', async () => {
    const { brand, token } = await createBrandWithManager(ctx);
    const start = await ctx.request('GET', `/api/v1/sync/changes/?brand=${brand.id}`, { token });
    const created = await sync(token, brand.id, [spring]);
    const { id } = created.json.results[0].record;
    await sync(token, brand.id, [{ id, ...spring, content_template: 'v2 {{location.name}}' }]);
    const feed = await ctx.request('GET', `/api/v1/sync/changes/?brand=${brand.id}&since=${start.json.next_cursor}`, { token });
    expect(feed.json.changes).toEqual([
      expect.objectContaining({
        entity: 'template',
        id,
        row_version: 2,
        record: expect.objectContaining({ content_template: 'v2 {{location.name}}', version: 2 }),
      }),
    ]);
    const sinceCreate = await ctx.request('GET', `/api/v1/sync/changes/?brand=${brand.id}&since=${created.json.cursor}`, { token });
    expect(sinceCreate.json.changes.map((change: { row_version: number }) => change.row_version)).toEqual([2]);
  });
});

describe('OpenAPI', () => {
  it('documents the template and campaign sync routes', async () => {
    const schema = await ctx.request('GET', '/api/schema');
    expect(schema.status).toBe(200);
    expect(Object.keys(schema.json.paths)).toEqual(expect.arrayContaining(['/api/v1/sync/templates', '/api/v1/sync/campaigns']));
    expect(Object.keys(schema.json.components.schemas)).toEqual(expect.arrayContaining(['TemplateSyncResponse', 'CampaignSyncResponse']));
  });
});
