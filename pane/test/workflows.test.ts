import { SHEETS_LIMITS } from '@storesync/core';
import { describe, expect, it } from 'vitest';
import { FakeHost } from '../src/testing/fake-host.ts';
import { loadConnections, saveConnection } from '../src/workflows/connections.ts';
import { catchUp } from '../src/workflows/feed.ts';
import { applyStatusEdit, submitRows } from '../src/workflows/review.ts';
import { resolveConflict, runSync } from '../src/workflows/sync.ts';
import { writeResults } from '../src/workflows/table.ts';
import { campaignConnection, column, makeWorld, signedInClient } from './world.ts';

describe('sync workflow', () => {
  it('sends rows, writes ids and status back, and a second sync is unchanged', async () => {
    const world = makeWorld();
    const client = await signedInClient(world);
    const connection = campaignConnection(world);
    await saveConnection(world.host, connection);

    const first = await runSync({ host: world.host, client, connection });
    expect(first.counts).toMatchObject({ created: 3, updated: 0, error: 0 });
    expect(column(world.host, 'campaigns', 'Status')).toEqual(['Status', 'draft', 'draft', 'draft']);
    expect(column(world.host, 'campaigns', 'StoreSync ID').slice(1).every((id) => typeof id === 'string' && id.length === 36)).toBe(true);
    expect(world.host.appliedPlans.at(-1)?.plan.addColumns.find((added) => added.field === 'id')?.hidden).toBe(true);

    const saved = (await loadConnections(world.host))[0];
    expect(saved?.cursor).not.toBeNull();
    const second = await runSync({ host: world.host, client, connection: saved ?? connection });
    expect(second.counts).toMatchObject({ created: 0, unchanged: 3 });
    // Sent with the row_version each row last saw, so the server can tell conflicts.
    const sent = world.api.callsTo('/sync/campaigns/')[1]?.body as { rows: { row_version: number | null }[] };
    expect(sent.rows.every((row) => row.row_version === 1)).toBe(true);
  });

  it('lists per-row problems and server refusals, and writes them into the Sync Error cells', async () => {
    const world = makeWorld({
      campaigns: [
        ['Store #', 'Template', 'Sale Type'],
        ['0012', 'Seasonal sale', 'Spring'],
        ['', 'Seasonal sale', 'Summer'],
        ['9999', 'Seasonal sale', 'Autumn'],
      ],
    });
    const client = await signedInClient(world);
    const summary = await runSync({ host: world.host, client, connection: campaignConnection(world) });
    expect(summary.counts).toMatchObject({ created: 1, error: 1 });
    expect(summary.notSent).toBe(1);
    expect(summary.issues.map((issue) => [issue.row, issue.severity])).toEqual([
      [3, 'error'],
      [4, 'error'],
    ]);
    expect(summary.issues[1]?.message).toMatch(/no store has Store # 9999/);
    const errors = column(world.host, 'campaigns', 'Sync Error');
    expect(errors[2]).toMatch(/Store #/);
    expect(errors[3]).toMatch(/9999/);
  });

  it('stops at header problems without sending anything', async () => {
    const world = makeWorld({ campaigns: [['Template', 'Sale Type'], ['Seasonal sale', 'Spring']] });
    const client = await signedInClient(world);
    const summary = await runSync({ host: world.host, client, connection: campaignConnection(world) });
    expect(summary.blockedByHeaders).toBe(true);
    expect(summary.issues[0]?.message).toMatch(/no Store # column/);
    expect(world.api.callsTo('/sync/campaigns/')).toHaveLength(0);
  });

  it('reports conflicts and keeps the server values', async () => {
    const world = makeWorld();
    const client = await signedInClient(world);
    const connection = campaignConnection(world);
    await saveConnection(world.host, connection);
    await runSync({ host: world.host, client, connection });
    const id = column(world.host, 'campaigns', 'StoreSync ID')[1] as string;
    world.api.touchCampaign(id, { customizations: { sale_type: 'Winter' } });
    const summary = await runSync({ host: world.host, client, connection: (await loadConnections(world.host))[0] ?? connection });
    expect(summary.counts.conflict).toBe(1);
    expect(summary.issues.find((issue) => issue.severity === 'conflict')?.row).toBe(2);
    expect(column(world.host, 'campaigns', 'Sync Error')[1]).toMatch(/^Conflict:/);
  });

  it.each([
    ['theirs', 'Winter', 'unchanged'],
    ['mine', 'Spring', 'updated'],
  ] as const)('settles a conflict with %s: the row shows %s and the next sync is %s', async (choice, saleType, next) => {
    const world = makeWorld();
    const client = await signedInClient(world);
    const connection = campaignConnection(world);
    await saveConnection(world.host, connection);
    await runSync({ host: world.host, client, connection });
    const id = column(world.host, 'campaigns', 'StoreSync ID')[1] as string;
    world.api.touchCampaign(id, { customizations: { sale_type: 'Winter' } });
    const conflicted = await runSync({ host: world.host, client, connection: (await loadConnections(world.host))[0] ?? connection });
    const issue = conflicted.issues.find((candidate) => candidate.severity === 'conflict');
    if (!issue) throw new Error('no conflict');

    await resolveConflict(world.host, connection, issue, choice);
    expect(column(world.host, 'campaigns', 'Sale Type')[1]).toBe(saleType);
    expect(column(world.host, 'campaigns', 'Sync Error')[1]).toBe('');
    const after = await runSync({ host: world.host, client, connection: (await loadConnections(world.host))[0] ?? connection });
    expect(after.counts[next]).toBeGreaterThanOrEqual(1);
    expect(after.counts.conflict).toBe(0);
    expect(world.api.campaigns.get(id)?.customizations).toEqual({ sale_type: saleType });
  });

  it('on a host that yields between calls, writes one call at a time and re-plans in between', async () => {
    const world = makeWorld({ host: { limits: { ...SHEETS_LIMITS, maxRequestBytes: 600 }, yieldsBetweenCalls: true } });
    const client = await signedInClient(world);
    const summary = await runSync({ host: world.host, client, connection: campaignConnection(world) });
    expect(summary.counts.created).toBe(3);
    expect(world.host.appliedPlans.length).toBeGreaterThan(1);
    expect(world.host.appliedPlans.every(({ plan }) => plan.calls.length <= 1)).toBe(true);
    expect(column(world.host, 'campaigns', 'Status')).toEqual(['Status', 'draft', 'draft', 'draft']);
  });
});

describe('change feed and write-back', () => {
  it('lands changes made in StoreSync in the right rows even after the person sorted the table', async () => {
    const world = makeWorld();
    const client = await signedInClient(world);
    await saveConnection(world.host, campaignConnection(world));
    await runSync({ host: world.host, client, connection: campaignConnection(world) });
    const connection = (await loadConnections(world.host))[0];
    if (!connection) throw new Error('no connection');
    const airportId = world.host.snapshot('campaigns').values.find((row) => row[0] === '0101')?.[world.host.columnOf('campaigns', 'StoreSync ID')] as string;

    world.host.sortRows('campaigns', 0, 'desc');
    world.api.touchCampaign(airportId, { generated_content: 'Fly in for savings', status: 'pending_review' });
    const result = await catchUp(world.host, client, connection);
    expect(result.changed).toBe(1);
    const rows = world.host.snapshot('campaigns').values;
    const airport = rows.find((row) => row[0] === '0101') ?? [];
    expect(airport[world.host.columnOf('campaigns', 'Generated Content')]).toBe('Fly in for savings');
    expect(airport[world.host.columnOf('campaigns', 'Status')]).toBe('pending_review');
    // Its inputs were not refreshed, so its version stays: the next sync still merges three ways.
    expect(airport[world.host.columnOf('campaigns', 'StoreSync Version')]).toBe(1);
    expect((await loadConnections(world.host))[0]?.cursor).toBe(result.connection.cursor);
  });

  it('keeps what the last sync wrote into Sync Error (a conflict stays visible until it is resolved)', async () => {
    const world = makeWorld();
    const client = await signedInClient(world);
    await saveConnection(world.host, campaignConnection(world));
    await runSync({ host: world.host, client, connection: campaignConnection(world) });
    const connection = (await loadConnections(world.host))[0];
    if (!connection) throw new Error('no connection');
    const ids = column(world.host, 'campaigns', 'StoreSync ID').slice(1) as string[];
    // Both sides changed row 2's customizations: the sync reports a conflict in its Sync Error cell.
    world.api.touchCampaign(ids[0] ?? '', { customizations: { sale_type: 'Winter' } });
    world.host.typeCell('campaigns', 1, world.host.columnOf('campaigns', 'Sale Type'), 'Autumn');
    const summary = await runSync({ host: world.host, client, connection });
    expect(summary.counts.conflict).toBe(1);
    const conflict = column(world.host, 'campaigns', 'Sync Error')[1];
    expect(conflict).toMatch(/^Conflict: /);

    // Then the worker writes copy for that campaign; the feed brings it in.
    world.api.touchCampaign(ids[0] ?? '', { generated_content: 'Winter deals downtown' });
    world.api.touchCampaign(ids[1] ?? '', { generated_content: 'Riverside copy' });
    await catchUp(world.host, client, connection);
    expect(column(world.host, 'campaigns', 'Generated Content').slice(1, 3)).toEqual(['Winter deals downtown', 'Riverside copy']);
    expect(column(world.host, 'campaigns', 'Sync Error').slice(1, 3)).toEqual([conflict, '']);
  });

  it('never writes into a table that vanished: the host rejects with HostTableMissingError', async () => {
    const host = new FakeHost();
    await expect(writeResults(host, 'gone', 'campaigns', {}, [])).rejects.toThrow(/no longer exists/);
  });
});

describe('review workflow', () => {
  async function syncedWorld() {
    const world = makeWorld();
    const client = await signedInClient(world);
    const connection = campaignConnection(world);
    await runSync({ host: world.host, client, connection });
    const ids = column(world.host, 'campaigns', 'StoreSync ID').slice(1) as string[];
    return { world, client, connection, ids };
  }

  it('submits the selected rows and reports each refusal in the row', async () => {
    const { world, client, connection, ids } = await syncedWorld();
    world.api.touchCampaign(ids[0] ?? '', { generated_content: 'Spring copy' });
    world.host.select('campaigns', [1, 2]);
    const { outcomes } = await submitRows({ host: world.host, client, connection });
    expect(outcomes.map((outcome) => [outcome.row, outcome.ok])).toEqual([
      [2, true],
      [3, false],
    ]);
    expect(outcomes[1]?.message).toMatch(/no copy yet/);
    expect(column(world.host, 'campaigns', 'Status').slice(1, 3)).toEqual(['pending_review', 'draft']);
    expect(column(world.host, 'campaigns', 'Reviewer')[1]).toBe('');
    expect(column(world.host, 'campaigns', 'Sync Error')[2]).toMatch(/no copy yet/);
  });

  it('turns a Status cell typed by hand into the transition, and puts a refused one back with the reason', async () => {
    const { world, client, connection, ids } = await syncedWorld();
    world.api.touchCampaign(ids[0] ?? '', { status: 'pending_review', generated_content: 'Copy' });
    await catchUp(world.host, client, { ...connection, cursor: '0' });
    const status = world.host.columnOf('campaigns', 'Status');

    world.host.typeCell('campaigns', 1, status, 'Approved');
    const approved = await applyStatusEdit({ host: world.host, client, connection }, { tableId: 'campaigns', row: 1, column: status, rowCount: 1, columnCount: 1 });
    expect(approved).toMatchObject([{ row: 2, action: 'approve', ok: true, status: 'approved' }]);
    expect(column(world.host, 'campaigns', 'Status')[1]).toBe('approved');
    expect(column(world.host, 'campaigns', 'Reviewer')[1]).toBe('Stub Reviewer');

    world.host.typeCell('campaigns', 2, status, 'completed');
    const refused = await applyStatusEdit({ host: world.host, client, connection }, { tableId: 'campaigns', row: 2, column: status, rowCount: 1, columnCount: 1 });
    expect(refused).toMatchObject([{ row: 3, ok: false, status: 'draft' }]);
    expect(refused[0]?.message).toMatch(/cannot become completed; allowed: submit/);
    expect(column(world.host, 'campaigns', 'Status')[2]).toBe('draft');
    expect(column(world.host, 'campaigns', 'Sync Error')[2]).toMatch(/cannot become completed/);
  });

  it('asks for comments where the workflow requires them', async () => {
    const { world, client, connection, ids } = await syncedWorld();
    world.api.touchCampaign(ids[0] ?? '', { status: 'pending_review', generated_content: 'Copy' });
    const status = world.host.columnOf('campaigns', 'Status');
    world.host.typeCell('campaigns', 1, status, 'rejected');
    const asked: string[] = [];
    const outcomes = await applyStatusEdit(
      { host: world.host, client, connection, askComments: ({ action }) => (asked.push(action), Promise.resolve('Wrong season')) },
      { tableId: 'campaigns', row: 1, column: status, rowCount: 1, columnCount: 1 },
    );
    expect(asked).toEqual(['reject']);
    expect(outcomes).toMatchObject([{ ok: true, status: 'rejected' }]);
    expect(column(world.host, 'campaigns', 'Review Comments')[1]).toBe('Wrong season');
  });
});
