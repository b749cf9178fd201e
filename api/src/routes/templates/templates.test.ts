import { parseTemplate, TemplateSyntaxError } from '@storesync/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWorld, expectRejectsBadTokens, useTestContext, type TestUser } from '../../../test/harness.ts';

const ctx = useTestContext();
let world: Awaited<ReturnType<typeof createWorld>>;
/** A location manager of world.brand with no assignments. */
let unassignedManager: TestUser;
beforeAll(async () => {
  world = await createWorld(ctx);
  unassignedManager = await ctx.createUser('location_manager', { brands: [world.brand.id] });
});

const TEMPLATES = '/api/v1/campaigns/templates';
const templatePath = (template: { id: string }) => `${TEMPLATES}/${template.id}`;
const ids = (response: { json: { results: { id: string }[] } }) => response.json.results.map((template) => template.id);
const fields = (response: { json: { error: { details: { field: string }[] } } }) =>
  response.json.error.details.map((detail) => detail.field);
const readersOfBrand = () => [world.users.admin, world.users.brandManager, world.users.locationManager, unassignedManager, world.users.viewer];

/** Liquid's own message for an invalid template, as the API must report it. */
function liquidMessage(source: string): string {
  try {
    parseTemplate(source);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return error.message;
    throw error;
  }
  throw new Error(`expected ${source} to be invalid Liquid`);
}

/** A brand of its own with three templates, so list assertions do not see other tests' templates. */
async function createCatalog() {
  const brand = await ctx.createBrand();
  const create = (name: string, campaignType: string, isActive = true) =>
    ctx.prisma.campaignTemplate.create({
      data: { brandId: brand.id, name, campaignType, isActive, contentTemplate: '{{location.name}}', requiredVariables: [] },
    });
  const summer = await create('Summer sale', 'seasonal_sale');
  const opening = await create('Grand opening', 'grand_opening');
  const retired = await create('Winter clearance', 'clearance', false);
  return { brand, summer, opening, retired };
}

describe('GET /api/v1/campaigns/templates', () => {
  it('lists the templates of the caller’s brands by name, paginated, for every role', async () => {
    const catalog = await createCatalog();
    const users = [
      await ctx.createUser('brand_manager', { brands: [catalog.brand.id] }),
      await ctx.createUser('location_manager', { brands: [catalog.brand.id] }),
      await ctx.createUser('viewer', { brands: [catalog.brand.id] }),
    ];
    for (const user of users) {
      const response = await ctx.request('GET', `${TEMPLATES}/`, { token: user.token });
      expect(response.status, user.role).toBe(200);
      expect(response.json).toMatchObject({ count: 3, next: null, previous: null });
      expect(ids(response), user.role).toEqual([catalog.opening.id, catalog.summer.id, catalog.retired.id]);
    }
    const firstPage = await ctx.request('GET', `${TEMPLATES}?brand=${catalog.brand.id}&page_size=2`, { token: world.users.admin.token });
    expect(firstPage.json.count).toBe(3);
    expect(firstPage.json.next).toContain('page=2');
  });

  it('shows location managers with assignments every template of their brand', async () => {
    const catalog = await createCatalog();
    const location = await ctx.createLocation(catalog.brand.id, '001');
    const assigned = await ctx.createUser('location_manager', { brands: [catalog.brand.id], locations: [location.id] });
    const response = await ctx.request('GET', TEMPLATES, { token: assigned.token });
    expect(response.json.count).toBe(3);
  });

  it('serializes every spec field plus version', async () => {
    const response = await ctx.request('GET', `${TEMPLATES}?brand=${world.brand.id}&search=seasonal&page_size=500`, { token: world.users.viewer.token });
    const listed = response.json.results.find((template: { id: string }) => template.id === world.template.id);
    expect(listed).toEqual({
      id: world.template.id,
      brand: world.brand.id,
      name: 'Seasonal sale',
      description: '',
      content_template: '{{location.name}} is having a {{campaign.sale_type}} sale!',
      required_variables: ['sale_type'],
      campaign_type: 'seasonal_sale',
      is_active: true,
      version: 1,
      row_version: 1,
      created_at: world.template.createdAt.toISOString(),
      updated_at: expect.any(String),
    });
  });

  it('filters by brand, campaign_type, is_active and name', async () => {
    const catalog = await createCatalog();
    const list = (query: string) => ctx.request('GET', `${TEMPLATES}?brand=${catalog.brand.id}&${query}`, { token: world.users.admin.token });
    expect(ids(await list('campaign_type=clearance'))).toEqual([catalog.retired.id]);
    expect(ids(await list('is_active=false'))).toEqual([catalog.retired.id]);
    expect(ids(await list('is_active=true'))).toEqual([catalog.opening.id, catalog.summer.id]);
    expect(ids(await list('search=SUMMER'))).toEqual([catalog.summer.id]);
    expect(ids(await list('search=sale&is_active=true'))).toEqual([catalog.summer.id]);

    const bad = await ctx.request('GET', `${TEMPLATES}?brand=acme&is_active=1`, { token: world.users.admin.token });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(expect.arrayContaining(['query.brand', 'query.is_active']));
  });

  it('never shows another brand’s templates, even when asked for that brand', async () => {
    const own = await ctx.request('GET', `${TEMPLATES}?page_size=500`, { token: world.users.otherBrandManager.token });
    expect(ids(own)).toContain(world.otherTemplate.id);
    expect(ids(own)).not.toContain(world.template.id);
    const asked = await ctx.request('GET', `${TEMPLATES}?brand=${world.brand.id}`, { token: world.users.otherBrandManager.token });
    expect(asked.status).toBe(200);
    expect(asked.json.count).toBe(0);
  });

  it('refuses missing and bad tokens', async () => {
    await expectRejectsBadTokens(ctx, world.users.viewer.id, 'GET', TEMPLATES);
  });
});

describe('POST /api/v1/campaigns/templates', () => {
  const newTemplate = (overrides: Record<string, unknown> = {}) => ({
    brand: world.brand.id,
    name: 'Holiday hours',
    content_template: '{{location.name}} is open {{campaign.hours}} over the holidays',
    required_variables: ['hours'],
    campaign_type: 'holiday',
    ...overrides,
  });

  it('lets admins and the brand’s managers create templates, with defaults', async () => {
    for (const user of [world.users.admin, world.users.brandManager]) {
      const response = await ctx.request('POST', `${TEMPLATES}/`, { token: user.token, body: newTemplate({ name: `Holiday hours (${user.role})` }) });
      expect(response.status, user.role).toBe(201);
      expect(response.json).toMatchObject({
        brand: world.brand.id,
        name: `Holiday hours (${user.role})`,
        description: '',
        required_variables: ['hours'],
        campaign_type: 'holiday',
        is_active: true,
        version: 1,
      });
    }
    const minimal = await ctx.request('POST', TEMPLATES, {
      token: world.users.admin.token,
      body: { brand: world.brand.id, name: 'Plain', content_template: 'Hello', campaign_type: 'misc', is_active: false },
    });
    expect(minimal.json).toMatchObject({ required_variables: [], is_active: false });
  });

  it('refuses a name the brand already uses, as sheets compare names (case and spacing ignored), also on rename', async () => {
    const token = world.users.brandManager.token;
    const first = await ctx.request('POST', TEMPLATES, { token, body: newTemplate({ name: 'Winter  Sale' }) });
    expect(first.status).toBe(201);
    const twin = await ctx.request('POST', TEMPLATES, { token, body: newTemplate({ name: 'winter sale' }) });
    expect(twin.status).toBe(409);
    expect(twin.json.error.details).toEqual([{ field: 'name', message: 'already used by another template of this brand (case and spacing ignored)' }]);
    const otherBrand = await ctx.request('POST', TEMPLATES, {
      token: world.users.otherBrandManager.token,
      body: newTemplate({ brand: world.otherBrand.id, name: 'Winter sale' }),
    });
    expect(otherBrand.status).toBe(201);

    const second = await ctx.request('POST', TEMPLATES, { token, body: newTemplate({ name: 'Spring sale' }) });
    const rename = await ctx.request('PATCH', `${TEMPLATES}/${second.json.id}/`, { token, body: { name: 'WINTER SALE' } });
    expect(rename.status).toBe(409);
    const recase = await ctx.request('PATCH', `${TEMPLATES}/${first.json.id}/`, { token, body: { name: 'Winter sale' } });
    expect(recase.status).toBe(200);
  });

  it('refuses location managers and viewers with 403, and unknown or foreign brands as a brand problem', async () => {
    for (const user of [world.users.locationManager, unassignedManager, world.users.viewer]) {
      const response = await ctx.request('POST', TEMPLATES, { token: user.token, body: newTemplate() });
      expect(response.status, user.role).toBe(403);
    }
    for (const brand of [world.brand.id, crypto.randomUUID()]) {
      const response = await ctx.request('POST', TEMPLATES, { token: world.users.otherBrandManager.token, body: newTemplate({ brand }) });
      expect(response.status).toBe(400);
      expect(response.json.error.details).toEqual([{ field: 'brand', message: 'no such brand' }]);
    }
    const missingForAdmin = await ctx.request('POST', TEMPLATES, {
      token: world.users.admin.token,
      body: newTemplate({ brand: crypto.randomUUID() }),
    });
    expect(missingForAdmin.json.error.details).toEqual([{ field: 'brand', message: 'no such brand' }]);
    expect(await ctx.prisma.campaignTemplate.count({ where: { name: 'Holiday hours', brandId: world.otherBrand.id } })).toBe(0);
  });

  it('reports invalid Liquid on content_template with Liquid’s message', async () => {
    const source = '{% if campaign.discount %}Save {{campaign.discount}}%';
    const response = await ctx.request('POST', TEMPLATES, {
      token: world.users.admin.token,
      body: newTemplate({ content_template: source }),
    });
    expect(response.status).toBe(400);
    expect(response.json.error.details).toEqual([{ field: 'content_template', message: liquidMessage(source) }]);
  });

  it('names each bad required variable by index', async () => {
    const response = await ctx.request('POST', TEMPLATES, {
      token: world.users.admin.token,
      body: newTemplate({ required_variables: ['sale_type', '1st_day', 'sale_type', 'end-date', '_ok'] }),
    });
    expect(response.status).toBe(400);
    expect(fields(response).sort()).toEqual(['required_variables.1', 'required_variables.2', 'required_variables.3']);
    const notAList = await ctx.request('POST', TEMPLATES, {
      token: world.users.admin.token,
      body: newTemplate({ required_variables: 'sale_type' }),
    });
    expect(fields(notAList)).toEqual(['required_variables']);
  });

  it('names missing, malformed and unknown fields', async () => {
    const response = await ctx.request('POST', TEMPLATES, {
      token: world.users.admin.token,
      body: { brand: 'acme', name: ' ', campaign_type: 'x'.repeat(51), version: 3 },
    });
    expect(response.status).toBe(400);
    expect(fields(response)).toEqual(expect.arrayContaining(['brand', 'name', 'content_template', 'campaign_type', 'version']));
  });

  it('refuses missing and bad tokens', async () => {
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'POST', TEMPLATES, newTemplate());
  });
});

describe('GET /api/v1/campaigns/templates/{id}', () => {
  it('shows a template to every role of its brand, with or without a trailing slash', async () => {
    for (const user of readersOfBrand()) {
      const response = await ctx.request('GET', templatePath(world.template), { token: user.token });
      expect(response.status, user.role).toBe(200);
      expect(response.json.id).toBe(world.template.id);
    }
    const slashed = await ctx.request('GET', `${templatePath(world.template)}/`, { token: world.users.viewer.token });
    expect(slashed.status).toBe(200);
  });

  it('answers 404 for another brand’s template and 400 for a malformed id', async () => {
    const foreign = await ctx.request('GET', templatePath(world.template), { token: world.users.otherBrandManager.token });
    expect(foreign.status).toBe(404);
    const missing = await ctx.request('GET', templatePath({ id: crypto.randomUUID() }), { token: world.users.admin.token });
    expect(missing.status).toBe(404);
    const malformed = await ctx.request('GET', `${TEMPLATES}/42`, { token: world.users.admin.token });
    expect(malformed.status).toBe(400);
    expect(fields(malformed)).toEqual(['param.id']);
  });
});

describe('GET /api/v1/campaigns/templates/{id}/variables', () => {
  it('lists the placeholders the template uses and its required variables', async () => {
    const template = await ctx.createTemplate(world.brand.id, {
      contentTemplate:
        '{{ location.name }}: {{campaign.sale_type | upcase}} sale{% if campaign.discount %}, {{campaign.discount}}% off{% endif %}' +
        '{% for item in campaign.items %} {{ item.title }}{% endfor %} in {{location.name}}',
      requiredVariables: ['sale_type', 'discount'],
    });
    for (const user of readersOfBrand()) {
      const response = await ctx.request('GET', `${templatePath(template)}/variables/`, { token: user.token });
      expect(response.status, user.role).toBe(200);
      expect(response.json).toEqual({
        placeholders: ['location.name', 'campaign.sale_type', 'campaign.discount', 'campaign.items'],
        required_variables: ['sale_type', 'discount'],
      });
    }
  });

  it('answers 404 for another brand’s template', async () => {
    const foreign = await ctx.request('GET', `${templatePath(world.template)}/variables`, { token: world.users.otherBrandManager.token });
    expect(foreign.status).toBe(404);
  });
});

describe('PATCH /api/v1/campaigns/templates/{id}', () => {
  it('bumps the version only when content_template changes', async () => {
    const template = await ctx.createTemplate(world.brand.id);
    const patch = (body: Record<string, unknown>) =>
      ctx.request('PATCH', templatePath(template), { token: world.users.brandManager.token, body });

    const renamed = await patch({ name: 'Renamed', description: 'For summer', is_active: false });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ name: 'Renamed', description: 'For summer', is_active: false, version: 1 });
    const sameContent = await patch({ content_template: template.contentTemplate });
    expect(sameContent.json.version).toBe(1);
    const rewritten = await patch({ content_template: 'Visit {{location.name}}!', required_variables: [] });
    expect(rewritten.json).toMatchObject({ content_template: 'Visit {{location.name}}!', required_variables: [], version: 2 });
    const byAdmin = await ctx.request('PATCH', `${templatePath(template)}/`, {
      token: world.users.admin.token,
      body: { content_template: 'Come to {{location.name}}' },
    });
    expect(byAdmin.json).toMatchObject({ version: 3, name: 'Renamed', is_active: false });
  });

  it('refuses to move a template to another brand and names invalid fields', async () => {
    const template = await ctx.createTemplate(world.brand.id);
    const moved = await ctx.request('PATCH', templatePath(template), {
      token: world.users.admin.token,
      body: { brand: world.otherBrand.id },
    });
    expect(moved.status).toBe(400);
    expect(moved.json.error.details).toEqual([{ field: 'brand', message: 'unknown field: brand; remove it' }]);
    const source = '{{ location.name ';
    const invalid = await ctx.request('PATCH', templatePath(template), {
      token: world.users.admin.token,
      body: { content_template: source, required_variables: ['a', 'a'], campaign_type: '' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.details).toEqual(
      expect.arrayContaining([
        { field: 'content_template', message: liquidMessage(source) },
        { field: 'required_variables.1', message: '"a" is listed more than once' },
      ]),
    );
    expect(fields(invalid)).toContain('campaign_type');
    const stored = await ctx.prisma.campaignTemplate.findUniqueOrThrow({ where: { id: template.id } });
    expect(stored).toMatchObject({ brandId: world.brand.id, version: 1, contentTemplate: template.contentTemplate });
  });

  it('refuses location managers and viewers with 403 and other brands with 404', async () => {
    const template = await ctx.createTemplate(world.brand.id);
    for (const user of [world.users.locationManager, unassignedManager, world.users.viewer]) {
      const response = await ctx.request('PATCH', templatePath(template), { token: user.token, body: { name: 'Y' } });
      expect(response.status, user.role).toBe(403);
    }
    const foreign = await ctx.request('PATCH', templatePath(template), { token: world.users.otherBrandManager.token, body: { name: 'Y' } });
    expect(foreign.status).toBe(404);
  });

  it('refuses missing and bad tokens', async () => {
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'PATCH', templatePath(world.template), { name: 'Nope' });
  });
});

describe('DELETE /api/v1/campaigns/templates/{id}', () => {
  it('lets admins and brand managers delete a template no campaign uses', async () => {
    for (const user of [world.users.admin, world.users.brandManager]) {
      const template = await ctx.createTemplate(world.brand.id);
      const response = await ctx.request('DELETE', templatePath(template), { token: user.token });
      expect(response.status, user.role).toBe(204);
      expect((await ctx.request('GET', templatePath(template), { token: user.token })).status).toBe(404);
    }
  });

  it('answers 409 for a template campaigns use, suggesting is_active=false', async () => {
    const template = await ctx.createTemplate(world.brand.id);
    await ctx.createCampaign(world.location.id, template.id);
    const response = await ctx.request('DELETE', `${templatePath(template)}/`, { token: world.users.admin.token });
    expect(response.status).toBe(409);
    expect(response.json.error.message).toContain('is_active=false');
    expect(await ctx.prisma.campaignTemplate.count({ where: { id: template.id } })).toBe(1);
  });

  it('refuses location managers and viewers with 403 and other brands with 404', async () => {
    const template = await ctx.createTemplate(world.brand.id);
    for (const user of [world.users.locationManager, unassignedManager, world.users.viewer]) {
      const response = await ctx.request('DELETE', templatePath(template), { token: user.token });
      expect(response.status, user.role).toBe(403);
    }
    const foreign = await ctx.request('DELETE', templatePath(template), { token: world.users.otherBrandManager.token });
    expect(foreign.status).toBe(404);
    expect(await ctx.prisma.campaignTemplate.count({ where: { id: template.id } })).toBe(1);
  });
});

describe('OpenAPI', () => {
  it('documents the template routes and schemas', async () => {
    const schema = await ctx.request('GET', '/api/schema');
    expect(Object.keys(schema.json.paths)).toEqual(
      expect.arrayContaining([TEMPLATES, '/api/v1/campaigns/templates/{id}', '/api/v1/campaigns/templates/{id}/variables']),
    );
    expect(Object.keys(schema.json.components.schemas)).toEqual(
      expect.arrayContaining(['CampaignTemplate', 'CampaignTemplateCreate', 'CampaignTemplateUpdate', 'CampaignTemplatePage']),
    );
  });
});
