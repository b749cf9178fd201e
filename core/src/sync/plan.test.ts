import { describe, expect, it } from 'vitest';
import { mapHeaders } from './headers.ts';
import { applyWritePlan, BLOCK_OVERHEAD, lastSyncedText, planWrites, type SyncResult } from './plan.ts';
import type { CampaignRecord, LocationRecord, TemplateRecord } from './records.ts';
import { readRows } from './rows.ts';
import { SAFE_PREFIX, TEXT_FORMAT } from './safety.ts';
import { DEFAULT_MAX_REQUEST_BYTES, EXCEL_LIMITS, SHEETS_LIMITS, type CellValue, type Sheet, type SheetKind } from './types.ts';

const NOW = new Date('2026-05-01T10:00:00Z');
const SYNCED = lastSyncedText(NOW);
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function plan<K extends SheetKind>(kind: K, sheet: Sheet, results: SyncResult<K>[], options: Parameters<typeof planWrites>[3] = {}) {
  return planWrites(sheet, mapHeaders(sheet.values[0] ?? [], kind), results, { now: NOW, ...options });
}

function campaign(n: number, extra: Partial<CampaignRecord> = {}): CampaignRecord {
  return { id: uuid(n), store_number: String(n), template_name: 'Seasonal Sale', status: 'draft', generated_content: `Copy ${n}`, approval_history: [], ...extra };
}

const CAMPAIGN_HEADER: CellValue[] = ['Store #', 'Template', 'Status', 'Generated Content', 'Reviewer', 'Review Comments', 'Last Synced', 'Sync Error', 'StoreSync ID'];

describe('planWrites: rectangles', () => {
  it('merges the changed cells of consecutive rows into one block and skips unchanged cells', () => {
    const sheet: Sheet = {
      values: [CAMPAIGN_HEADER, ...[1, 2, 3, 4].map((n): CellValue[] => [String(n), 'Seasonal Sale', '', '', '', '', '', '', uuid(n)])],
    };
    const result = plan('campaigns', sheet, [1, 2, 3, 4].map((n) => ({ record: campaign(n) })));
    expect(result.addColumns).toEqual([]);
    // Status, Generated Content (columns C-D) and Last Synced (G): reviewer/comments/error stay blank.
    expect(result.writes.map((write) => [write.row, write.column, write.values.length, write.values[0]?.length])).toEqual([
      [1, 2, 4, 2],
      [1, 6, 4, 1],
    ]);
    expect(result.writes[0]?.values).toEqual([
      ['draft', 'Copy 1'],
      ['draft', 'Copy 2'],
      ['draft', 'Copy 3'],
      ['draft', 'Copy 4'],
    ]);
    expect(result.writes[0]?.numberFormats.flat().every((format) => format === TEXT_FORMAT)).toBe(true);
    expect(result.cellsChanged).toBe(12);
    expect(result.calls).toHaveLength(1);

    const applied = applyWritePlan(sheet, result);
    const second = plan('campaigns', applied, [1, 2, 3, 4].map((n) => ({ record: campaign(n, n === 3 ? { status: 'approved' } : {}) })));
    expect(second.writes.map((write) => [write.row, write.column, write.values])).toEqual([[3, 2, [['approved']]]]);
  });

  it('adds missing output columns after the last used column (past data without a header), with formats', () => {
    const sheet: Sheet = {
      values: [
        ['Store #', 'Template', 'Sale Type', ''],
        ['1', 'Seasonal Sale', 'x', 'stray note'],
      ],
    };
    const result = plan('campaigns', sheet, [{ record: campaign(1, { approval_history: [{ decision: 'rejected', approver_name: 'Dana', comments: '+ tone it down' }] }) }]);
    expect(result.addColumns.map((column) => [column.index, column.header, column.numberFormat, column.hidden, column.wrap])).toEqual([
      [4, 'Status', '@', false, false],
      [5, 'Generated Content', '@', false, true],
      [6, 'Reviewer', '@', false, false],
      [7, 'Review Comments', '@', false, true],
      [8, 'Last Synced', '@', false, false],
      [9, 'Sync Error', '@', false, true],
      [10, 'StoreSync ID', '@', true, false],
    ]);
    const after = applyWritePlan(sheet, result);
    expect(after.values[0]?.slice(4)).toEqual(['Status', 'Generated Content', 'Reviewer', 'Review Comments', 'Last Synced', 'Sync Error', 'StoreSync ID']);
    expect(after.values[1]).toEqual(['1', 'Seasonal Sale', 'x', 'stray note', 'draft', 'Copy 1', 'Dana', `${SAFE_PREFIX}+ tone it down`, SYNCED, '', uuid(1)]);
    expect(after.numberFormats?.[1]?.[7]).toBe(TEXT_FORMAT);
  });

  it('writes an error only into Sync Error, and clears it on success', () => {
    const sheet: Sheet = { values: [CAMPAIGN_HEADER, ['1', 'Seasonal Sale', 'draft', 'old copy', '', '', 'yesterday', '', uuid(1)]] };
    const failed = plan('campaigns', sheet, [{ ref: { id: uuid(1) }, error: '=template changed; pick it again' }]);
    expect(failed.writes).toEqual([
      expect.objectContaining({ row: 1, column: 7, values: [[`${SAFE_PREFIX}=template changed; pick it again`]], numberFormats: [[TEXT_FORMAT]] }),
    ]);
    const after = applyWritePlan(sheet, failed);
    const ok = plan('campaigns', after, [{ record: campaign(1, { generated_content: 'old copy' }) }]);
    expect(applyWritePlan(after, ok).values[1]).toEqual(['1', 'Seasonal Sale', 'draft', 'old copy', '', '', SYNCED, '', uuid(1)]);
  });

  it('finds rows by id, then by key among rows without an id, never by position', () => {
    const sheet: Sheet = {
      values: [
        ['StoreSync ID', 'Store #', 'Template'],
        ['', '2', 'Seasonal Sale'],
        [uuid(1), '1', 'Seasonal Sale'],
        ['', '1', 'Seasonal Sale'],
      ],
    };
    const result = plan('campaigns', sheet, [{ record: campaign(1) }, { record: campaign(2, { id: uuid(22) }) }, { record: campaign(1, { id: uuid(11) }) }]);
    const after = applyWritePlan(sheet, result);
    const id = (row: number) => after.values[row]?.[0];
    expect([id(1), id(2), id(3)]).toEqual([uuid(22), uuid(1), uuid(11)]);
    expect(result.unplaced).toEqual([]);
  });

  it('writes nothing for a result that matches no row, or several', () => {
    const sheet: Sheet = {
      values: [
        ['Name', 'Store #', 'StoreSync ID'],
        ['A', '1', uuid(1)],
        ['A copy', '1', uuid(1)],
        ['B', '2', ''],
        ['B again', '2', ''],
      ],
    };
    const location = (n: number, store: string): LocationRecord => ({ id: uuid(n), name: 'x', store_number: store });
    const result = plan('locations', sheet, [{ record: location(1, '1') }, { record: location(2, '2') }, { record: location(3, '3') }]);
    expect(result.unplaced.map((entry) => [entry.ref.id, entry.reason])).toEqual([
      [uuid(1), 'ambiguous'],
      [uuid(2), 'ambiguous'],
      [uuid(3), 'not_found'],
    ]);
    expect(result.writes.every((write) => write.row === 0)).toBe(true);
    expect(result.unplaced[2]?.message).toContain('no row matches');
  });

  it('shows readRows problems on their rows even after the sheet was sorted', () => {
    const sheet: Sheet = {
      values: [
        ['Name', 'Store #'],
        ['', '7'],
        ['Good', '8'],
        ['No number', ''],
      ],
    };
    const read = readRows(sheet, mapHeaders(sheet.values[0] ?? [], 'locations'));
    const sorted: Sheet = { values: [sheet.values[0] ?? [], sheet.values[3] ?? [], sheet.values[2] ?? [], sheet.values[1] ?? []] };
    const result = plan('locations', sorted, [], { problems: read.problems });
    const after = applyWritePlan(sorted, result);
    expect(after.values.map((row) => row[2] ?? '')).toEqual([
      'Sync Error',
      'Store #: the cell is empty; fill in the Store # (it is required)',
      '',
      'Name: the cell is empty; fill in the Name (it is required)',
    ]);
  });
});

describe('planWrites: copied rows', () => {
  it('shows the duplicate-id problem on each copy that can still be told apart', () => {
    const sheet: Sheet = {
      values: [
        ['Name', 'Store #', 'StoreSync ID'],
        ['Austin', '1', uuid(1)],
        ['Austin (copy)', '2', uuid(1)],
      ],
    };
    const read = readRows(sheet, mapHeaders(sheet.values[0] ?? [], 'locations'));
    const moved: Sheet = { values: [sheet.values[0] ?? [], sheet.values[2] ?? [], sheet.values[1] ?? []] };
    const after = applyWritePlan(moved, plan('locations', moved, [], { problems: read.problems }));
    expect(after.values.map((row) => [row[0], row[3]])).toEqual([
      ['Name', 'Sync Error'],
      ['Austin (copy)', expect.stringContaining('same hidden StoreSync ID as row 2')],
      ['Austin', expect.stringContaining('same hidden StoreSync ID as row 3')],
    ]);
  });
});

describe('planWrites: byte budget', () => {
  const header = CAMPAIGN_HEADER;
  const copy = (n: number) => `Store ${n}: ${'Fresh deals all week long — come in and save. '.repeat(12)}`;
  const rows = 10_000;
  const sheet: Sheet = { values: [header, ...Array.from({ length: rows }, (_, n): CellValue[] => [String(n), 'Seasonal Sale', '', '', '', '', '', '', ''])] };
  const results = Array.from({ length: rows }, (_, n) => ({
    record: campaign(n, {
      store_number: String(n),
      status: 'pending_review',
      generated_content: copy(n),
      approval_history: [{ decision: 'requested_changes', approver_name: 'Dana Reviewer', comments: 'Shorter, please.' }],
    }),
  }));

  it('never exceeds 4 MB per call for 10,000 changed rows, and uses few calls', () => {
    const result = plan('campaigns', sheet, results, { limits: EXCEL_LIMITS });
    expect(result.maxRequestBytes).toBe(DEFAULT_MAX_REQUEST_BYTES);
    expect(result.cellsChanged).toBe(rows * 6);
    for (const call of result.calls) {
      expect(call.bytes).toBeLessThanOrEqual(DEFAULT_MAX_REQUEST_BYTES);
      expect(call.bytes).toBe(call.writes.reduce((sum, write) => sum + write.bytes, 0));
      for (const write of call.writes) {
        expect(write.bytes).toBe(BLOCK_OVERHEAD + Buffer.byteLength(JSON.stringify(write.values)) + Buffer.byteLength(JSON.stringify(write.numberFormats)));
      }
    }
    const total = result.calls.reduce((sum, call) => sum + call.bytes, 0);
    // As few calls as the budget allows (blocks are whole rows of one rectangle, packed in order).
    expect(result.calls.length).toBe(Math.ceil(total / DEFAULT_MAX_REQUEST_BYTES));
    const after = applyWritePlan(sheet, result);
    expect(after.values[9_999]?.[8]).toBe(uuid(9_998));
  });

  it('splits by rows, then a row too wide by columns, and refuses a cell larger than the budget', () => {
    const small = plan('campaigns', { values: sheet.values.slice(0, 51) }, results.slice(0, 50), { maxRequestBytes: 2_000 });
    expect(small.calls.length).toBeGreaterThan(10);
    expect(small.maxCallBytes).toBeLessThanOrEqual(2_000);
    expect(small.writes.some((write) => write.values[0]?.length !== small.writes[0]?.values[0]?.length)).toBe(true);
    expect(() => plan('campaigns', { values: sheet.values.slice(0, 2) }, results.slice(0, 1), { maxRequestBytes: 400 })).toThrow(/one cell needs/);
    expect(() => plan('campaigns', sheet, [], { maxRequestBytes: 10 })).toThrow(RangeError);
  });
});

describe('planWrites: pull', () => {
  it('fills a blank sheet from the server, typed, and appends unmatched records', () => {
    const locations: LocationRecord[] = [
      { id: uuid(1), name: 'Austin', store_number: '0012', address: { city: 'Austin', state: 'TX' }, attributes: { region: 'sw', square_footage: 5000, tags: ['a'] }, is_active: true },
      { id: uuid(2), name: '@Round Rock', store_number: '0013', address: { city: 'Round Rock' }, attributes: { region: 'central', drive_thru: false }, is_active: false },
    ];
    const empty: Sheet = { values: [] };
    const result = plan('locations', empty, locations.map((record) => ({ record })), { mode: 'pull', appendUnmatched: true });
    expect(result.appendedRows).toBe(2);
    const after = applyWritePlan(empty, result);
    expect(after.values).toEqual([
      ['Name', 'Store #', 'City', 'State', 'Active', 'region', 'square_footage', 'tags', 'drive_thru', 'Last Synced', 'Sync Error', 'StoreSync ID'],
      ['Austin', '0012', 'Austin', 'TX', true, 'sw', 5000, '["a"]', '', SYNCED, '', uuid(1)],
      [`${SAFE_PREFIX}@Round Rock`, '0013', 'Round Rock', '', false, 'central', '', '', false, SYNCED, '', uuid(2)],
    ]);
    expect(result.addColumns.find((column) => column.header === 'StoreSync ID')).toMatchObject({ index: 11, hidden: true });
    // Read back, the sheet gives the server's values.
    const read = readRows(after, mapHeaders(after.values[0] ?? [], 'locations'));
    expect(read.problems).toEqual([]);
    expect(read.rows.map((row) => row.payload)).toEqual([
      { name: 'Austin', store_number: '0012', address: { city: 'Austin', state: 'TX' }, attributes: { region: 'sw', square_footage: 5000, tags: ['a'] }, is_active: true },
      { name: '@Round Rock', store_number: '0013', address: { city: 'Round Rock' }, attributes: { region: 'central', drive_thru: false }, is_active: false },
    ]);
    expect(plan('locations', after, locations.map((record) => ({ record })), { mode: 'pull', appendUnmatched: true }).writes).toEqual([]);
  });

  it('keeps date and percent cells as the person formatted them', () => {
    const sheet: Sheet = {
      values: [
        ['Store #', 'Template', 'Start', 'Discount', 'Ends On', 'StoreSync ID'],
        ['1', 'Seasonal Sale', '', '', '', uuid(1)],
      ],
      numberFormats: [[], [null, null, 'yyyy-mm-dd hh:mm', '0%', 'm/d/yyyy', null]],
    };
    const record = campaign(1, { scheduled_start: '2026-12-01T15:00:00.000Z', customizations: { discount: 30, ends_on: '2026-12-24' } });
    const result = plan('campaigns', sheet, [{ record }], { mode: 'pull', timeZone: 'America/Chicago', limits: SHEETS_LIMITS });
    const after = applyWritePlan(sheet, result);
    expect(after.values[1]?.slice(2, 5)).toEqual([46_357.375, 0.3, 46_380]);
    const read = readRows(after, mapHeaders(after.values[0] ?? [], 'campaigns'), { dateSystem: 'sheets', timeZone: 'America/Chicago' });
    expect(read.rows[0]?.payload).toMatchObject({ scheduled_start: '2026-12-01T15:00:00.000Z', customizations: { discount: 30, ends_on: '2026-12-24' } });
    expect(plan('campaigns', after, [{ record }], { mode: 'pull', timeZone: 'America/Chicago', limits: SHEETS_LIMITS }).writes).toEqual([]);
  });
});

describe('planWrites: templates sheet', () => {
  it('syncs templates the same way', () => {
    const sheet: Sheet = {
      values: [
        ['Name', 'Campaign Type', 'Content Template', 'Required Variables', 'Version'],
        ['Seasonal Sale', 'seasonal_sale', '{{location.name}} {{campaign.sale_type}}', 'sale_type', ''],
      ],
    };
    const read = readRows(sheet, mapHeaders(sheet.values[0] ?? [], 'templates'));
    const record: TemplateRecord = {
      id: uuid(5),
      name: 'Seasonal Sale',
      campaign_type: 'seasonal_sale',
      content_template: '{{location.name}} {{campaign.sale_type}}',
      required_variables: ['sale_type'],
      version: 3,
    };
    const result = plan('templates', sheet, [{ ref: read.rows[0]?.ref, record }]);
    expect(result.addColumns.map((column) => column.header)).toEqual(['Last Synced', 'Sync Error', 'StoreSync ID']);
    expect(applyWritePlan(sheet, result).values[1]).toEqual([...(sheet.values[1] ?? []).slice(0, 4), 3, SYNCED, '', uuid(5)]);
  });
});
