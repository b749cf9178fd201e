// @vitest-environment jsdom
import { webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { STORAGE_KEYS } from '../src/state/services.ts';
import { loadConnections, saveConnection } from '../src/workflows/connections.ts';
import { renderPane } from './dom.tsx';
import { campaignConnection, column, EMAIL, makeWorld, PASSWORD } from './world.ts';

async function signIn(user: ReturnType<typeof userEvent.setup>, password = PASSWORD) {
  await user.type(await screen.findByLabelText(/^Email/), EMAIL);
  await user.type(screen.getByLabelText(/^Password/), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('the pane', () => {
  it('signs in with email and password, picks the only brand and offers to connect a table', async () => {
    const world = makeWorld();
    const user = userEvent.setup();
    renderPane(world);
    await signIn(user);
    expect(await screen.findByText(EMAIL.split('@')[0] ?? '')).toBeTruthy();
    expect(await screen.findByRole('region', { name: 'Connect a table' })).toBeTruthy();
    expect(screen.getByLabelText<HTMLSelectElement>('Brand').value).toBe(world.brand.id);
    expect(await world.host.userStorage.get(STORAGE_KEYS.refreshToken)).toMatch(/^refresh-/);
  });

  it('shows a wrong password, and an API that is down, as clear errors', async () => {
    const world = makeWorld();
    const user = userEvent.setup();
    renderPane(world);
    await signIn(user, 'wrong');
    expect((await screen.findByRole('alert')).textContent).toMatch(/Email or password is wrong/);
    world.api.down = true;
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/StoreSync is unreachable.*cannot be reached/));
  });

  it('resumes the session on open (refreshing on the way) and signs out', async () => {
    const world = makeWorld();
    const user = userEvent.setup();
    const first = renderPane(world);
    await signIn(user);
    await screen.findByRole('region', { name: 'Connect a table' });
    first.unmount();

    renderPane(world);
    expect(await screen.findByRole('region', { name: 'Connect a table' })).toBeTruthy();
    expect(world.api.callsTo('/auth/token/refresh/').length).toBeGreaterThan(0);
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('form', { name: 'Sign in to StoreSync' })).toBeTruthy();
    expect(await world.host.userStorage.get(STORAGE_KEYS.refreshToken)).toBeNull();
  });

  it('connects a table with the proposed kind, a mapping fixed by hand, kept in the document', async () => {
    const world = makeWorld({
      campaigns: [
        ['Store No.', 'Campaign', 'Sale Type', 'Notes'],
        ['0012', 'Seasonal sale', 'Spring', 'call first'],
      ],
    });
    const user = userEvent.setup();
    renderPane(world);
    await signIn(user);
    const connect = await screen.findByRole('region', { name: 'Connect a table' });
    await user.selectOptions(within(connect).getByLabelText('Table'), 'campaigns');
    // "Campaign" is not a Template alias, so nothing fits yet: the person says what the table holds.
    await user.selectOptions(within(connect).getByLabelText('It holds'), 'campaigns');
    expect(within(connect).getByText(/no Template column/)).toBeTruthy();
    const button = within(connect).getByRole('button', { name: 'Connect' });
    expect((button as HTMLButtonElement).disabled).toBe(true);

    await user.selectOptions(within(connect).getByLabelText('Map column Campaign'), 'field:template');
    await user.selectOptions(within(connect).getByLabelText('Map column Notes'), 'ignore');
    expect(within(connect).queryByText(/no Template column/)).toBeNull();
    await user.click(button);

    expect(await screen.findByRole('button', { name: 'Sync now' })).toBeTruthy();
    const saved = await loadConnections(world.host);
    expect(saved).toMatchObject([{ tableId: 'campaigns', kind: 'campaigns', brandId: world.brand.id, manual: { campaign: { field: 'template' }, notes: { ignore: true } } }]);
  });

  it('needs no setup on the next open: syncs, summarises and selects the row of a clicked error', async () => {
    const world = makeWorld({
      campaigns: [
        ['Store #', 'Template', 'Sale Type'],
        ['0012', 'Seasonal sale', 'Spring'],
        ['0047', 'Seasonal sael', 'Summer'],
        ['0101', 'Seasonal sale', 'Autumn'],
      ],
    });
    await saveConnection(world.host, campaignConnection(world));
    const user = userEvent.setup();
    renderPane(world);
    await signIn(user);
    await user.click(await screen.findByRole('button', { name: 'Sync now' }));

    const summary = await screen.findByRole('group', { name: 'Sync summary' });
    expect(within(summary).getByLabelText('Created: 2')).toBeTruthy();
    expect(within(summary).getByLabelText('Errors: 1')).toBeTruthy();
    expect(column(world.host, 'campaigns', 'Status')).toEqual(['Status', 'draft', '', 'draft']);

    world.host.sortRows('campaigns', 0, 'desc'); // the row with the error moves from 3 to 3 → sorted away
    const problems = screen.getByRole('list', { name: 'Problems by row' });
    const problem = within(problems).getByRole('button', { name: /did you mean "Seasonal sale"/ });
    problem.focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(world.host.selections).toHaveLength(1));
    const selected = world.host.selections[0]?.rowIndex ?? -1;
    expect(world.host.snapshot('campaigns').values[selected]?.[0]).toBe('0047');
  });

  it('generates for all rows: estimate, progress with done and failed, results in the cells, retry failed', async () => {
    const world = makeWorld();
    const user = userEvent.setup();
    await saveConnection(world.host, campaignConnection(world));
    renderPane(world, 20);
    await signIn(user);
    await user.click(await screen.findByRole('button', { name: 'Sync now' }));
    await screen.findByRole('group', { name: 'Sync summary' });
    const ids = column(world.host, 'campaigns', 'StoreSync ID').slice(1) as string[];
    world.api.failGeneration.add(ids[2] ?? '');

    await user.click(screen.getByRole('tab', { name: 'Generate' }));
    await user.click(screen.getByRole('radio', { name: 'All rows' }));
    await user.click(screen.getByRole('button', { name: 'Estimate' }));
    const estimate = await screen.findByRole('group', { name: 'Estimate' });
    expect(estimate.textContent).toMatch(/3 campaigns to generate/);
    expect(estimate.textContent).toMatch(/1,950 tokens/);
    expect(world.api.callsTo('/campaigns/generate/estimate/')[0]?.body).toMatchObject({ campaign_ids: ids });

    await user.click(screen.getByRole('button', { name: 'Generate 3' }));
    expect(await screen.findByText(/Finished: 2 done, 1 failed of 3/, undefined, { timeout: 3000 })).toBeTruthy();
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('1');
    await waitFor(() => expect(column(world.host, 'campaigns', 'Generated Content').slice(1, 3)).toEqual(['Downtown: Seasonal sale — generated copy', 'Riverside: Seasonal sale — generated copy']));

    await user.click(screen.getByRole('button', { name: 'Retry failed (1)' }));
    expect(await screen.findByText(/Finished: 3 done, 0 failed of 3/, undefined, { timeout: 3000 })).toBeTruthy();
    expect(await screen.findByText(/copy by offline storesync-offline-1/)).toBeTruthy();
    await waitFor(() => expect(column(world.host, 'campaigns', 'Generated Content')[3]).toBe('Airport: Seasonal sale — generated copy'));
  });

  it('cancels a running generation', async () => {
    const world = makeWorld({ api: { completePerPoll: 0 } });
    const user = userEvent.setup();
    await saveConnection(world.host, campaignConnection(world));
    renderPane(world, 20);
    await signIn(user);
    await user.click(await screen.findByRole('button', { name: 'Sync now' }));
    await screen.findByRole('group', { name: 'Sync summary' });
    world.host.select('campaigns', [1, 2]);
    await user.click(screen.getByRole('tab', { name: 'Generate' }));
    await user.click(screen.getByRole('button', { name: 'Estimate' }));
    await user.click(await screen.findByRole('button', { name: 'Generate 2' }));
    await user.click(await screen.findByRole('button', { name: 'Cancel run' }));
    expect(await screen.findByText(/Cancelled: 0 done, 0 failed, 2 cancelled of 2/)).toBeTruthy();
    expect(world.api.callsTo(/\/cancel\/$/)).toHaveLength(1);
  });

  it('explains what to do when nothing is selected, and when access to the brand was lost', async () => {
    const world = makeWorld();
    const user = userEvent.setup();
    await saveConnection(world.host, campaignConnection(world));
    renderPane(world);
    await signIn(user);
    await user.click(await screen.findByRole('tab', { name: 'Generate' }));
    await user.click(screen.getByRole('button', { name: 'Estimate' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Select one or more campaign rows/);

    await user.click(screen.getByRole('tab', { name: 'Sync' }));
    world.api.failNext(/^\/sync\//, 404, { code: 'not_found', message: 'Brand not found' }, { times: 2 });
    world.api.failNext(/\/locations\/$/, 404, { code: 'not_found', message: 'Brand not found' });
    await user.click(screen.getByRole('button', { name: 'Sync now' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/No access.*no longer have access/);
  });

  it('submits selected rows and shows similar approved copy to use as an example', async () => {
    const world = makeWorld();
    const user = userEvent.setup();
    await saveConnection(world.host, campaignConnection(world));
    renderPane(world);
    await signIn(user);
    await user.click(await screen.findByRole('button', { name: 'Sync now' }));
    await screen.findByRole('group', { name: 'Sync summary' });
    const ids = column(world.host, 'campaigns', 'StoreSync ID').slice(1) as string[];
    world.api.touchCampaign(ids[0] ?? '', { generated_content: 'Spring savings downtown' });
    world.host.select('campaigns', [1]);

    await user.click(screen.getByRole('tab', { name: 'Review' }));
    await user.click(screen.getByRole('button', { name: 'Submit selected for review' }));
    const results = await screen.findByRole('list', { name: 'Review results' });
    expect(results.textContent).toMatch(/Row 2.*pending review/);
    expect(column(world.host, 'campaigns', 'Status')[1]).toBe('pending_review');

    world.api.similarResults = [
      { id: 'ex-1', brand: world.brand.id, location_name: 'Harbor', template_name: 'Seasonal sale', content: 'Harbor spring deals', status: 'approved', similarity_score: 0.87 },
    ];
    await user.click(screen.getByRole('tab', { name: 'Similar' }));
    await user.click(screen.getByRole('button', { name: 'Find for selected row' }));
    expect(await screen.findByText('87% similar')).toBeTruthy();
    expect(world.api.callsTo('/campaigns/similar/')[0]?.query).toMatchObject({ brand_id: world.brand.id, limit: '5' });
    await user.click(screen.getByRole('button', { name: 'Use as example' }));
    expect(screen.getByRole('button', { name: 'Example chosen' }).getAttribute('aria-pressed')).toBe('true');

    await user.click(screen.getByRole('tab', { name: 'Generate' }));
    expect(screen.getByText(/1 chosen examples will guide the copy/)).toBeTruthy();
  });

  it('turns Status cells typed in the table into transitions: asks for comments, reports a refusal', async () => {
    const world = makeWorld();
    const user = userEvent.setup();
    await saveConnection(world.host, campaignConnection(world));
    renderPane(world);
    await signIn(user);
    await user.click(await screen.findByRole('button', { name: 'Sync now' }));
    await screen.findByRole('group', { name: 'Sync summary' });
    const ids = column(world.host, 'campaigns', 'StoreSync ID').slice(1) as string[];
    world.api.touchCampaign(ids[0] ?? '', { status: 'pending_review', generated_content: 'Copy' });
    await user.click(screen.getByRole('tab', { name: 'Review' }));
    const status = world.host.columnOf('campaigns', 'Status');

    world.host.typeCell('campaigns', 1, status, 'rejected');
    const dialog = await screen.findByRole('alertdialog');
    await user.type(within(dialog).getByRole('textbox'), 'Wrong season');
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect((await screen.findByRole('list', { name: 'Review results' })).textContent).toMatch(/Row 2.*rejected.*now rejected/);
    expect(column(world.host, 'campaigns', 'Review Comments')[1]).toBe('Wrong season');

    world.host.typeCell('campaigns', 2, status, 'active');
    await waitFor(() => expect(screen.getByRole('list', { name: 'Review results' }).textContent).toMatch(/Row 3.*cannot become active; allowed: submit/));
    expect(column(world.host, 'campaigns', 'Status')[2]).toBe('draft');
  });

  it('writes a decision made elsewhere into the Status cell while the pane stays open, without any action', async () => {
    const world = makeWorld();
    const user = userEvent.setup();
    await saveConnection(world.host, campaignConnection(world));
    renderPane(world);
    await signIn(user);
    await user.click(await screen.findByRole('button', { name: 'Sync now' }));
    await screen.findByRole('group', { name: 'Sync summary' });
    await waitFor(() => expect(screen.getByRole('status', { name: 'Live updates' }).textContent).toMatch(/Live: changes made in StoreSync appear/));
    const ids = column(world.host, 'campaigns', 'StoreSync ID').slice(1) as string[];
    const plans = world.host.appliedPlans.length;

    // A reviewer approves in StoreSync; the pane is left alone.
    world.api.touchCampaign(ids[1] ?? '', {
      status: 'approved',
      generated_content: 'Riverside summer copy',
      approval_history: [{ approver_name: 'Riley Reviewer', decision: 'approved', comments: 'Looks great', previous_status: 'pending_review', new_status: 'approved', created_at: new Date().toISOString() }],
    });

    await waitFor(() => expect(column(world.host, 'campaigns', 'Status')).toEqual(['Status', 'draft', 'approved', 'draft']));
    expect(column(world.host, 'campaigns', 'Reviewer')[2]).toBe('Riley Reviewer');
    expect(column(world.host, 'campaigns', 'Review Comments')[2]).toBe('Looks great');
    expect(column(world.host, 'campaigns', 'Generated Content')[2]).toBe('Riverside summer copy');
    expect(world.host.appliedPlans.length).toBe(plans + 1);
    expect(world.api.callsTo('/sync/events/').at(-1)?.query).toMatchObject({ brand: world.brand.id });
  });

  it('polls the change feed instead when the host’s fetch cannot stream, and stops on sign out', async () => {
    const world = makeWorld();
    const user = userEvent.setup();
    await saveConnection(world.host, campaignConnection(world));
    renderPane(world, 5, { streaming: false });
    await signIn(user);
    await user.click(await screen.findByRole('button', { name: 'Sync now' }));
    await screen.findByRole('group', { name: 'Sync summary' });
    await waitFor(() => expect(screen.getByRole('status', { name: 'Live updates' }).textContent).toMatch(/Checking StoreSync for changes every/));
    const ids = column(world.host, 'campaigns', 'StoreSync ID').slice(1) as string[];
    world.api.touchCampaign(ids[0] ?? '', { status: 'pending_review', generated_content: 'Copy' });
    await waitFor(() => expect(column(world.host, 'campaigns', 'Status')[1]).toBe('pending_review'));
    expect(world.api.callsTo('/sync/events/')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('form', { name: 'Sign in to StoreSync' });
    const polls = world.api.callsTo('/sync/changes/').length;
    await new Promise((resolve) => setTimeout(resolve, 150)); // three poll periods
    expect(world.api.callsTo('/sync/changes/').length).toBe(polls);
  });

  it('closes the stream on sign out', async () => {
    const world = makeWorld();
    const user = userEvent.setup();
    await saveConnection(world.host, campaignConnection(world));
    renderPane(world);
    await signIn(user);
    await user.click(await screen.findByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(world.api.openStreams).toBe(1));
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('form', { name: 'Sign in to StoreSync' });
    await waitFor(() => expect(world.api.openStreams).toBe(0));
  });

  it('opens on the table used last, and drops an estimate and review results when switching tables', async () => {
    const world = makeWorld();
    const user = userEvent.setup();
    await saveConnection(world.host, { tableId: 'stores', tableName: 'Stores', kind: 'locations', brandId: world.brand.id, manual: {}, cursor: null });
    await saveConnection(world.host, campaignConnection(world));
    const first = renderPane(world);
    await signIn(user);
    const table = () => screen.getByLabelText<HTMLSelectElement>('Table');
    await screen.findByRole('button', { name: 'Sync now' });
    expect(table().value).toBe('stores');
    await user.selectOptions(table(), 'campaigns');
    await user.click(screen.getByRole('button', { name: 'Sync now' }));
    await screen.findByRole('group', { name: 'Sync summary' });
    const ids = column(world.host, 'campaigns', 'StoreSync ID').slice(1) as string[];
    world.api.touchCampaign(ids[0] ?? '', { generated_content: 'Spring savings downtown' });

    world.host.select('campaigns', [1, 2]);
    await user.click(screen.getByRole('tab', { name: 'Generate' }));
    await user.click(screen.getByRole('button', { name: 'Estimate' }));
    expect(await screen.findByRole('group', { name: 'Estimate' })).toBeTruthy();
    await user.selectOptions(table(), 'stores');
    await user.selectOptions(table(), 'campaigns');
    await user.click(screen.getByRole('tab', { name: 'Generate' }));
    expect(screen.queryByRole('group', { name: 'Estimate' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Generate \d/ })).toBeNull();

    world.host.select('campaigns', [1]);
    await user.click(screen.getByRole('tab', { name: 'Review' }));
    await user.click(screen.getByRole('button', { name: 'Submit selected for review' }));
    expect(await screen.findByRole('list', { name: 'Review results' })).toBeTruthy();
    await user.selectOptions(table(), 'stores');
    await user.selectOptions(table(), 'campaigns');
    await user.click(screen.getByRole('tab', { name: 'Review' }));
    expect(screen.queryByRole('list', { name: 'Review results' })).toBeNull();
    first.unmount();

    // The next open starts on Campaigns, the table used last.
    renderPane(world);
    await screen.findByRole('button', { name: 'Sync now' });
    expect(table().value).toBe('campaigns');
    expect(screen.getByRole('tab', { name: 'Generate' })).toBeTruthy();
  });

  it('follows the host theme, light and dark', async () => {
    const world = makeWorld({ host: { theme: 'dark' } });
    renderPane(world);
    await screen.findByRole('form', { name: 'Sign in to StoreSync' });
    // FluentProvider writes the theme as CSS variables into a style tag.
    const themeCss = () =>
      [...document.styleSheets].flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText)).join('\n');
    expect(themeCss()).toContain(`--colorNeutralBackground1: ${webDarkTheme.colorNeutralBackground1}`);
    world.host.setTheme('light');
    await waitFor(() => expect(themeCss()).toContain(`--colorNeutralBackground1: ${webLightTheme.colorNeutralBackground1}`));
  });
});
