/**
 * The Status column's colours (conditional formatting) and list of valid statuses (data
 * validation), on the simulated workbook: added with the column in the plan's first call, added
 * once to a Status column that was there, never twice, never on a location table, and readable
 * in light and dark themes.
 */
import { CAMPAIGN_STATUSES, mapHeaders, planWrites, type CampaignRecord, type Sheet, type SyncResult, type WritePlan } from '@storesync/core';
import { describe, expect, it } from 'vitest';
import { createExcelHost, findStatusColumn, STATUS_LIST_SOURCE, STATUS_STYLES } from '../src/host/index.ts';
import { fakeOffice, FakeWorkbook } from './fake-excel.ts';

const NOW = new Date('2026-05-01T10:00:00Z');
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function campaign(n: number, extra: Partial<CampaignRecord> = {}): CampaignRecord {
  return { id: uuid(n), store_number: String(n), template_name: 'Seasonal Sale', status: 'draft', generated_content: `Copy for store ${n}`, approval_history: [], ...extra };
}

function workbook(headers: string[], rows: number): FakeWorkbook {
  const fake = new FakeWorkbook();
  fake.addTable({ id: '{T1}', name: 'Campaigns', sheet: 'Sheet1', row: 2, column: 2 }, [
    headers,
    ...Array.from({ length: rows }, (_, i) => headers.map((header) => (header === 'Store #' ? String(i + 1) : header === 'Template' ? 'Seasonal Sale' : header === 'Status' ? 'draft' : 'x'))),
  ]);
  return fake;
}

function session(fake: FakeWorkbook, apiVersion = '1.9') {
  return createExcelHost({ run: fake.run, office: fakeOffice({ apiVersion }).office as never, timeZone: 'UTC' });
}

function plan(sheet: Sheet, results: SyncResult<'campaigns'>[]): WritePlan {
  return planWrites(sheet, mapHeaders(sheet.values[0] ?? [], 'campaigns'), results, { now: NOW });
}

/** Reads, plans and applies; each round gives the rows other statuses, so every plan writes. */
let round = 0;
async function sync(fake: FakeWorkbook, host: ReturnType<typeof session>, rows: number) {
  round += 1;
  const sheet = await host.readTable('{T1}');
  const writePlan = plan(sheet, Array.from({ length: rows }, (_, i) => ({ record: campaign(i + 1, { status: CAMPAIGN_STATUSES[(i + round) % CAMPAIGN_STATUSES.length] }) })));
  expect(writePlan.calls.length).toBeGreaterThan(0);
  const before = fake.syncs;
  await host.applyWritePlan('{T1}', writePlan);
  return { writePlan, syncs: fake.syncs - before };
}

/** The worksheet rectangle of the table column's data body (table at C3). */
function statusBody(fake: FakeWorkbook, index: number) {
  return { row: 3, column: 2 + index, rowCount: fake.table('{T1}').rows, columnCount: 1 };
}

function expectDecorated(fake: FakeWorkbook, index: number, validation = true) {
  expect(fake.conditionalFormats).toHaveLength(CAMPAIGN_STATUSES.length);
  for (const [at, status] of CAMPAIGN_STATUSES.entries()) {
    expect(fake.conditionalFormats[at]).toEqual({
      sheet: 'Sheet1',
      rect: statusBody(fake, index),
      type: 'CellValue',
      rule: { formula1: `="${status}"`, operator: 'EqualTo' },
      fill: STATUS_STYLES[status].fill,
      font: STATUS_STYLES[status].font,
    });
  }
  if (!validation) {
    expect(fake.validations).toEqual([]);
    return;
  }
  expect(fake.validations).toEqual([
    {
      sheet: 'Sheet1',
      rect: statusBody(fake, index),
      rule: { list: { inCellDropDown: true, source: 'draft,pending_review,approved,rejected,scheduled,active,completed' } },
      errorAlert: expect.objectContaining({ showAlert: true, style: 'Stop' }),
    },
  ]);
}

describe('Status column colours and list', () => {
  it('come with the Status column the plan adds, in the same call (no extra sync)', async () => {
    const fake = workbook(['Store #', 'Template', 'Sale Type'], 8);
    const host = session(fake);
    const { writePlan, syncs } = await sync(fake, host, 8);
    const status = writePlan.addColumns.find((column) => column.field === 'status')?.index ?? -1;
    expect(status).toBe(3);
    expect(syncs).toBe(writePlan.calls.length);
    expectDecorated(fake, status);
    // Rules before values in the first call; nothing in later calls.
    const first = fake.opsOfSync(fake.syncs - writePlan.calls.length + 1).map((op) => op.kind);
    expect(first.indexOf('conditionalFormat')).toBeLessThan(first.indexOf('values'));
    expect(first).toContain('dataValidation');

    // Later plans in this session, and a new session, add nothing.
    const later = await sync(fake, host, 8);
    expect(later.syncs).toBe(later.writePlan.calls.length);
    const next = session(fake);
    const again = await sync(fake, next, 8);
    expect(again.syncs).toBe(again.writePlan.calls.length + 1); // one look at the column's rules, once
    expectDecorated(fake, status);
    expect((await sync(fake, next, 8)).syncs).toBe(again.writePlan.calls.length);
    expectDecorated(fake, status);
  });

  it('are added once to a Status column that was there already', async () => {
    const fake = workbook(['Store #', 'Template', 'Status'], 5);
    const host = session(fake);
    const first = await sync(fake, host, 5);
    expect(first.writePlan.addColumns.some((column) => column.field === 'status')).toBe(false);
    expect(first.syncs).toBe(first.writePlan.calls.length + 2); // look, then add
    expectDecorated(fake, 2);
    await sync(fake, session(fake), 5);
    expectDecorated(fake, 2);
  });

  it('keep the person’s own rules: a column with conditional formats gets only the list', async () => {
    const fake = workbook(['Store #', 'Template', 'Status'], 3);
    fake.conditionalFormats.push({ sheet: 'Sheet1', rect: statusBody(fake, 2), type: 'ContainsText', fill: '#FF00FF' });
    await sync(fake, session(fake), 3);
    expect(fake.conditionalFormats).toHaveLength(1);
    expect(fake.validations).toHaveLength(1);
  });

  it('leave out the list where Excel lacks ExcelApi 1.8', async () => {
    const fake = workbook(['Store #', 'Template', 'Sale Type'], 3);
    const { writePlan } = await sync(fake, session(fake, '1.7'), 3);
    expectDecorated(fake, writePlan.addColumns.find((column) => column.field === 'status')?.index ?? -1, false);
  });

  it('never touch a location table’s own Status column', async () => {
    expect(findStatusColumn(['Store #', 'Name', 'Status'])).toBe(-1);
    expect(findStatusColumn(['Store #', 'Template', 'Campaign Status'])).toBe(2);
    expect(findStatusColumn(undefined)).toBe(-1);
    const fake = new FakeWorkbook();
    fake.addTable({ id: '{L1}', name: 'Stores', sheet: 'Sheet1', row: 0, column: 0 }, [['Store #', 'Name', 'Status'], ['1', 'Main St', 'open']]);
    const host = session(fake);
    const sheet = await host.readTable('{L1}');
    const writePlan = planWrites(sheet, mapHeaders(sheet.values[0] ?? [], 'locations'), [{ record: { id: uuid(1), store_number: '1', name: 'Main St', is_active: true } }], { now: NOW });
    await host.applyWritePlan('{L1}', writePlan);
    expect(fake.conditionalFormats).toEqual([]);
    expect(fake.validations).toEqual([]);
  });

  it('list exactly the statuses of the workflow', () => {
    expect(STATUS_LIST_SOURCE.split(',')).toEqual([...CAMPAIGN_STATUSES]);
    expect(Object.keys(STATUS_STYLES).sort()).toEqual([...CAMPAIGN_STATUSES].sort());
  });
});

describe('status colours', () => {
  const luminance = (hex: string) => {
    const value = Number.parseInt(hex.slice(1), 16);
    const channel = (shift: number) => {
      const c = ((value >> shift) & 0xff) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
  };
  const contrast = (a: string, b: string) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
    return (light + 0.05) / (dark + 0.05);
  };

  it('read at WCAG AA (4.5:1) whatever the theme, since each sets its text colour on its own fill', () => {
    for (const [status, style] of Object.entries(STATUS_STYLES)) expect(contrast(style.fill, style.font), status).toBeGreaterThanOrEqual(4.5);
  });

  it('stand out from the white sheet and from Excel’s dark-mode sheet, and from each other', () => {
    for (const [status, style] of Object.entries(STATUS_STYLES)) {
      expect(contrast(style.fill, '#FFFFFF'), `${status} on white`).toBeGreaterThanOrEqual(1.25);
      expect(contrast(style.fill, '#262626'), `${status} on dark`).toBeGreaterThanOrEqual(2);
    }
    const fills = Object.values(STATUS_STYLES).map((style) => style.fill);
    expect(new Set(fills).size).toBe(fills.length);
  });
});
