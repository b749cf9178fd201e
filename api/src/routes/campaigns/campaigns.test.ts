import { beforeAll, describe, expect, it } from 'vitest';
import { getCampaignEmbedding, setCampaignEmbedding } from '@storesync/db';
import { createWorld, expectRejectsBadTokens, useTestContext } from '../../../test/harness.ts';

const ctx = useTestContext();
let world: Awaited<ReturnType<typeof createWorld>>;
beforeAll(async () => {
  world = await createWorld(ctx);
});

const draftFor = (overrides: Parameters<typeof ctx.createCampaign>[2] = {}) =>
  ctx.createCampaign(world.location.id, world.template.id, { generatedContent: 'Store 001 summer sale!', ...overrides });

describe('GET /api/v1/campaigns', () => {
  it('lists campaigns of visible brands in the spec’s paginated shape and list fields', async () => {
    const mine = await draftFor();
    const foreign = await ctx.createCampaign(world.otherLocation.id, world.otherTemplate.id);
    const response = await ctx.request('GET', '/api/v1/campaigns/', { token: world.users.viewer.token });
    expect(response.status).toBe(200);
    const ids = response.json.results.map((campaign: { id: string }) => campaign.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(foreign.id);
    expect(response.json.results.find((campaign: { id: string }) => campaign.id === mine.id)).toEqual({
      id: mine.id,
      brand: world.brand.id,
      location: world.location.id,
      location_name: 'Store 001',
      store_number: '001',
      template: world.template.id,
      template_name: 'Seasonal sale',
      status: 'draft',
      scheduled_start: null,
      scheduled_end: null,
      row_version: 1,
      created_at: mine.createdAt.toISOString(),
      updated_at: mine.updatedAt.toISOString(),
    });
    const admin = await ctx.request('GET', '/api/v1/campaigns?page_size=500', { token: world.users.admin.token });
    expect(admin.json.results.map((campaign: { id: string }) => campaign.id)).toEqual(expect.arrayContaining([mine.id, foreign.id]));
  });

  it('filters by status (one or several), location, brand and template', async () => {
    const approved = await draftFor({ status: 'approved' });
    const onSecond = await ctx.createCampaign(world.secondLocation.id, world.template.id, { status: 'pending_review' });
    const token = world.users.brandManager.token;
    const byStatus = await ctx.request('GET', '/api/v1/campaigns?status=approved', { token });
    expect(byStatus.json.results.every((campaign: { status: string }) => campaign.status === 'approved')).toBe(true);
    expect(byStatus.json.results.map((campaign: { id: string }) => campaign.id)).toContain(approved.id);
    const several = await ctx.request('GET', '/api/v1/campaigns?status=approved,pending_review', { token });
    expect(several.json.results.map((campaign: { id: string }) => campaign.id)).toEqual(expect.arrayContaining([approved.id, onSecond.id]));
    const byLocation = await ctx.request('GET', `/api/v1/campaigns?location=${world.secondLocation.id}`, { token });
    expect(byLocation.json.results.map((campaign: { id: string }) => campaign.id)).toEqual([onSecond.id]);
    const byOtherBrand = await ctx.request('GET', `/api/v1/campaigns?brand=${world.otherBrand.id}`, { token });
    expect(byOtherBrand.json.count).toBe(0);
    const byTemplate = await ctx.request('GET', `/api/v1/campaigns?template=${world.template.id}&status=pending_review`, { token });
    expect(byTemplate.json.results.map((campaign: { id: string }) => campaign.id)).toContain(onSecond.id);
    const bad = await ctx.request('GET', '/api/v1/campaigns?status=submitted', { token });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0]).toMatchObject({ field: 'query.status' });
    expect(bad.json.error.details[0].message).toContain('unknown status "submitted"');
  });

  it('shows a location manager with assignments only their locations’ campaigns', async () => {
    const assigned = await draftFor();
    const unassigned = await ctx.createCampaign(world.secondLocation.id, world.template.id);
    const response = await ctx.request('GET', '/api/v1/campaigns?page_size=500', { token: world.users.locationManager.token });
    const ids = response.json.results.map((campaign: { id: string }) => campaign.id);
    expect(ids).toContain(assigned.id);
    expect(ids).not.toContain(unassigned.id);
    const direct = await ctx.request('GET', `/api/v1/campaigns/${unassigned.id}`, { token: world.users.locationManager.token });
    expect(direct.status).toBe(404);
  });

  it('refuses missing and bad tokens', async () => {
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'GET', '/api/v1/campaigns');
  });
});

describe('POST /api/v1/campaigns', () => {
  const body = () => ({
    location: world.location.id,
    template: world.template.id,
    customizations: { sale_type: 'Holiday' },
  });

  it('creates a draft owned by the caller, for brand and location managers', async () => {
    for (const user of [world.users.brandManager, world.users.locationManager]) {
      const response = await ctx.request('POST', '/api/v1/campaigns/', { token: user.token, body: body() });
      expect(response.status, user.role).toBe(201);
      expect(response.json).toMatchObject({
        status: 'draft',
        created_by: user.id,
        created_by_name: `${user.role} Tester`,
        customizations: { sale_type: 'Holiday' },
        generated_content: '',
        approval_history: [],
        allowed_actions: ['submit'],
      });
    }
  });

  it('lists exactly the missing required variables', async () => {
    const template = await ctx.createTemplate(world.brand.id, {
      name: 'Clearance',
      contentTemplate: '{{campaign.sale_type}} {{campaign.discount_percentage}} {{campaign.end_date}}',
      requiredVariables: ['sale_type', 'discount_percentage', 'end_date'],
    });
    const response = await ctx.request('POST', '/api/v1/campaigns', {
      token: world.users.brandManager.token,
      body: { ...body(), template: template.id, customizations: { sale_type: 'Clearance', end_date: ' ' } },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.message).toBe('Missing required variables: discount_percentage, end_date');
    expect(response.json.error.details.map((detail: { field: string }) => detail.field)).toEqual([
      'customizations.discount_percentage',
      'customizations.end_date',
    ]);
  });

  it('refuses another brand’s location or template, inactive templates, bad schedules and unknown fields', async () => {
    const token = world.users.brandManager.token;
    const foreignLocation = await ctx.request('POST', '/api/v1/campaigns', { token, body: { ...body(), location: world.otherLocation.id } });
    expect(foreignLocation.status).toBe(400);
    expect(foreignLocation.json.error.details[0].field).toBe('location');
    const foreignTemplate = await ctx.request('POST', '/api/v1/campaigns', { token, body: { ...body(), template: world.otherTemplate.id } });
    expect(foreignTemplate.json.error.details[0].field).toBe('template');
    const inactive = await ctx.createTemplate(world.brand.id, { name: 'Old' });
    await ctx.prisma.campaignTemplate.update({ where: { id: inactive.id }, data: { isActive: false } });
    const inactiveResponse = await ctx.request('POST', '/api/v1/campaigns', { token, body: { ...body(), template: inactive.id } });
    expect(inactiveResponse.json.error.details[0].message).toContain('inactive');
    const schedule = await ctx.request('POST', '/api/v1/campaigns', {
      token,
      body: { ...body(), scheduled_start: '2026-12-10T00:00:00Z', scheduled_end: '2026-12-01T00:00:00Z' },
    });
    expect(schedule.json.error.details).toEqual([{ field: 'scheduled_end', message: 'must be after scheduled_start' }]);
    const unknown = await ctx.request('POST', '/api/v1/campaigns', { token, body: { ...body(), status: 'approved' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.details[0].field).toBe('status');
  });

  it('refuses viewers, and location managers outside their assigned locations', async () => {
    expect((await ctx.request('POST', '/api/v1/campaigns', { token: world.users.viewer.token, body: body() })).status).toBe(403);
    const outside = await ctx.request('POST', '/api/v1/campaigns', {
      token: world.users.locationManager.token,
      body: { ...body(), location: world.secondLocation.id },
    });
    expect(outside.status).toBe(400);
  });
});

describe('GET/PATCH/DELETE /api/v1/campaigns/{id}', () => {
  it('hides other brands’ campaigns behind 404 for reads and writes', async () => {
    const foreign = await ctx.createCampaign(world.otherLocation.id, world.otherTemplate.id);
    for (const [method, path] of [
      ['GET', `/api/v1/campaigns/${foreign.id}`],
      ['PATCH', `/api/v1/campaigns/${foreign.id}`],
      ['POST', `/api/v1/campaigns/${foreign.id}/submit`],
      ['GET', `/api/v1/campaigns/${foreign.id}/preview`],
      ['DELETE', `/api/v1/campaigns/${foreign.id}`],
    ] as const) {
      const response = await ctx.request(method, path, { token: world.users.brandManager.token, body: method === 'PATCH' ? {} : undefined });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
  });

  it('updates customizations and copy, re-checking required variables', async () => {
    const campaign = await draftFor();
    const token = world.users.locationManager.token;
    const updated = await ctx.request('PATCH', `/api/v1/campaigns/${campaign.id}/`, {
      token,
      body: { customizations: { sale_type: 'Spring' }, generated_content: 'New copy' },
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ customizations: { sale_type: 'Spring' }, generated_content: 'New copy', status: 'draft' });
    const missing = await ctx.request('PATCH', `/api/v1/campaigns/${campaign.id}`, { token, body: { customizations: {} } });
    expect(missing.status).toBe(400);
    expect(missing.json.error.details[0].field).toBe('customizations.sale_type');
    expect((await ctx.request('PATCH', `/api/v1/campaigns/${campaign.id}`, { token: world.users.viewer.token, body: {} })).status).toBe(403);
  });

  it('sends an approved campaign back to draft when its copy is edited, and drops the stale embedding', async () => {
    const campaign = await draftFor({ status: 'approved' });
    await setCampaignEmbedding(ctx.prisma, campaign.id, Array.from({ length: 1536 }, () => 0.1));
    const response = await ctx.request('PATCH', `/api/v1/campaigns/${campaign.id}`, {
      token: world.users.brandManager.token,
      body: { generated_content: 'Edited after approval' },
    });
    expect(response.json.status).toBe('draft');
    expect(response.json.approval_history[0]).toMatchObject({
      decision: 'content_edited',
      previous_status: 'approved',
      new_status: 'draft',
      approver: world.users.brandManager.id,
    });
    expect(await getCampaignEmbedding(ctx.prisma, campaign.id)).toBeNull();
    // Same copy again is no edit.
    const unchanged = await ctx.request('PATCH', `/api/v1/campaigns/${campaign.id}`, {
      token: world.users.brandManager.token,
      body: { generated_content: 'Edited after approval' },
    });
    expect(unchanged.json.approval_history).toHaveLength(1);
  });

  it('locks scheduled, active and completed campaigns', async () => {
    const campaign = await draftFor({ status: 'scheduled' });
    const response = await ctx.request('PATCH', `/api/v1/campaigns/${campaign.id}`, {
      token: world.users.admin.token,
      body: { generated_content: 'x' },
    });
    expect(response.status).toBe(409);
    expect(response.json.error.current_status).toBe('scheduled');
  });

  it('deletes only draft and rejected campaigns', async () => {
    const draft = await draftFor();
    const approved = await draftFor({ status: 'approved' });
    expect((await ctx.request('DELETE', `/api/v1/campaigns/${draft.id}`, { token: world.users.locationManager.token })).status).toBe(403);
    expect((await ctx.request('DELETE', `/api/v1/campaigns/${draft.id}`, { token: world.users.brandManager.token })).status).toBe(204);
    expect((await ctx.request('DELETE', `/api/v1/campaigns/${approved.id}`, { token: world.users.brandManager.token })).status).toBe(409);
  });

  it('previews the rendered template and names placeholders without a value', async () => {
    const template = await ctx.createTemplate(world.brand.id, {
      name: 'Preview',
      contentTemplate: '{{location.name}} in {{location.city}}: {{campaign.sale_type}} until {{campaign.end_date}}',
      requiredVariables: ['sale_type'],
    });
    const campaign = await ctx.createCampaign(world.location.id, template.id);
    const response = await ctx.request('GET', `/api/v1/campaigns/${campaign.id}/preview`, { token: world.users.viewer.token });
    expect(response.json).toEqual({
      rendered: 'Store 001 in Austin: Summer until ',
      missing_placeholders: ['campaign.end_date'],
      template_version: 1,
    });
  });
});

describe('workflow', () => {
  const act = (campaignId: string, action: string, token: string, body?: unknown) =>
    ctx.request('POST', `/api/v1/campaigns/${campaignId}/${action}/`, { token, body });

  it('runs draft → review → approved → scheduled → active → completed with an audit step per transition', async () => {
    const author = world.users.locationManager;
    const campaign = await draftFor({ createdById: author.id });
    expect((await act(campaign.id, 'submit', author.token)).json.status).toBe('pending_review');
    expect((await act(campaign.id, 'approve', world.users.brandManager.token, { comments: 'Looks good' })).json.status).toBe('approved');
    const scheduled = await act(campaign.id, 'schedule', world.users.brandManager.token, {
      scheduled_start: '2026-12-01T09:00:00Z',
      scheduled_end: '2026-12-24T18:00:00Z',
    });
    expect(scheduled.json).toMatchObject({ status: 'scheduled', scheduled_start: '2026-12-01T09:00:00.000Z' });
    expect((await act(campaign.id, 'activate', world.users.admin.token)).json.status).toBe('active');
    const completed = await act(campaign.id, 'complete', world.users.admin.token);
    expect(completed.json.status).toBe('completed');
    expect(completed.json.allowed_actions).toEqual([]);
    expect(
      completed.json.approval_history.map((step: { decision: string; previous_status: string; new_status: string }) => [
        step.decision,
        step.previous_status,
        step.new_status,
      ]),
    ).toEqual([
      ['completed', 'active', 'completed'],
      ['activated', 'scheduled', 'active'],
      ['scheduled', 'approved', 'scheduled'],
      ['approved', 'pending_review', 'approved'],
      ['submitted', 'draft', 'pending_review'],
    ]);
    expect(completed.json.approval_history[3]).toMatchObject({ comments: 'Looks good', approver_name: 'brand_manager Tester' });
  });

  it('rejects with comments, then revise reopens it as a draft; request_changes needs comments too', async () => {
    const campaign = await draftFor({ status: 'pending_review' });
    const noComment = await act(campaign.id, 'reject', world.users.brandManager.token);
    expect(noComment.status).toBe(400);
    expect(noComment.json.error.details[0].field).toBe('comments');
    expect((await act(campaign.id, 'reject', world.users.brandManager.token, { comments: 'Wrong dates' })).json.status).toBe('rejected');
    expect((await act(campaign.id, 'revise', world.users.locationManager.token)).json.status).toBe('draft');

    const other = await draftFor({ status: 'pending_review' });
    expect((await act(other.id, 'request_changes', world.users.brandManager.token, {})).status).toBe(400);
    const changed = await act(other.id, 'request_changes', world.users.brandManager.token, { comments: 'Mention the garden center' });
    expect(changed.json).toMatchObject({ status: 'draft', approval_history: [{ decision: 'requested_changes' }] });
  });

  it('answers an illegal transition with 409 naming the status and the allowed actions', async () => {
    const campaign = await draftFor();
    const response = await act(campaign.id, 'approve', world.users.brandManager.token);
    expect(response.status).toBe(409);
    expect(response.json.error).toMatchObject({
      code: 'invalid_transition',
      current_status: 'draft',
      allowed_actions: ['submit'],
      message: 'Cannot approve a campaign that is draft; allowed actions: submit',
    });
  });

  it('lets only admins and brand managers decide, never on their own campaign', async () => {
    const campaign = await draftFor({ status: 'pending_review', createdById: world.users.brandManager.id });
    for (const user of [world.users.locationManager, world.users.viewer]) {
      expect((await act(campaign.id, 'approve', user.token)).status, user.role).toBe(403);
    }
    const own = await act(campaign.id, 'approve', world.users.brandManager.token);
    expect(own.status).toBe(403);
    expect(own.json.error.message).toContain('another admin or brand manager');
    expect((await act(campaign.id, 'approve', world.users.otherBrandManager.token)).status).toBe(404);
    expect((await act(campaign.id, 'approve', world.users.admin.token)).status).toBe(200);
  });

  it('refuses to submit empty copy or incomplete customizations, and viewers cannot submit', async () => {
    const empty = await ctx.createCampaign(world.location.id, world.template.id);
    const response = await act(empty.id, 'submit', world.users.brandManager.token);
    expect(response.status).toBe(400);
    expect(response.json.error.details[0].field).toBe('generated_content');
    const incomplete = await draftFor({ customizations: {} });
    expect((await act(incomplete.id, 'submit', world.users.brandManager.token)).json.error.details[0].field).toBe(
      'customizations.sale_type',
    );
    expect((await act(incomplete.id, 'submit', world.users.viewer.token)).status).toBe(403);
  });

  it('needs scheduled_start to schedule, and a schedule only on schedule', async () => {
    const campaign = await draftFor({ status: 'approved' });
    const missing = await act(campaign.id, 'schedule', world.users.brandManager.token);
    expect(missing.json.error.details).toEqual([{ field: 'scheduled_start', message: 'is required to schedule a campaign' }]);
    expect((await act(campaign.id, 'schedule', world.users.locationManager.token, { scheduled_start: '2026-12-01T00:00:00Z' })).status).toBe(403);
    const pending = await draftFor({ status: 'pending_review' });
    const stray = await act(pending.id, 'approve', world.users.admin.token, { scheduled_start: '2026-12-01T00:00:00Z' });
    expect(stray.status).toBe(400);
  });

  it('records exactly one decision when two reviewers decide at the same moment', async () => {
    const campaign = await draftFor({ status: 'pending_review' });
    const results = await Promise.all([
      act(campaign.id, 'approve', world.users.brandManager.token),
      act(campaign.id, 'reject', world.users.admin.token, { comments: 'No' }),
      act(campaign.id, 'approve', world.users.admin.token),
    ]);
    const statuses = results.map((result) => result.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
    const steps = await ctx.prisma.approvalStep.findMany({ where: { campaignId: campaign.id } });
    expect(steps).toHaveLength(1);
    const stored = await ctx.prisma.locationCampaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(stored.status).toBe(steps[0]?.newStatus);
  });

  it('names the system as the approver of automatic steps', async () => {
    const campaign = await draftFor({ status: 'active' });
    await ctx.prisma.approvalStep.create({
      data: { campaignId: campaign.id, approverId: null, decision: 'activated', previousStatus: 'scheduled', newStatus: 'active' },
    });
    const detail = await ctx.request('GET', `/api/v1/campaigns/${campaign.id}`, { token: world.users.viewer.token });
    expect(detail.json.approval_history[0]).toMatchObject({ approver: null, approver_name: 'StoreSync (automatic)' });
  });

  it('refuses missing and bad tokens on transitions', async () => {
    const campaign = await draftFor();
    await expectRejectsBadTokens(ctx, world.users.admin.id, 'POST', `/api/v1/campaigns/${campaign.id}/submit`);
  });
});
