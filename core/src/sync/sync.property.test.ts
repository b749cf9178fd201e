/**
 * Property tests of the whole engine: random sheets (random header aliases and column order,
 * extra columns, ids on some rows, invalid rows), read, answered by a fake server for a random
 * subset of rows, then sorted, filtered (rows deleted) and given inserted columns before the plan is
 * made and applied with the in-memory host. Whatever happened in between, every server value lands
 * on the row it belongs to, and no other cell changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELDS } from './fields.ts';
import { headerKey, mapHeaders } from './headers.ts';
import { rowIdentity } from './identity.ts';
import { applyWritePlan, lastSyncedText, planWrites, type SyncResult, type WritePlan } from './plan.ts';
import type { CampaignRecord, LocationRecord } from './records.ts';
import { readRows, type ParsedRow } from './rows.ts';
import { isFormulaLike, readCellText, TEXT_FORMAT } from './safety.ts';
import type { CellValue, HostLimits, RowProblem, Sheet, SheetKind } from './types.ts';

const NOW = new Date('2026-05-01T10:00:00Z');
const TEMPLATES = ['Seasonal Sale', 'Grand Opening', 'Clearance', 'Holiday', 'Back to School', 'Spring', 'Summer'];
const EXTRA_HEADERS = ['Region', 'Square Footage', 'Manager', 'Promo Code', 'Sale Type'];

/** Text that exercises safety: formula leads, blanks, unicode, long runs. */
const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string({ maxLength: 10 })).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.integer({ min: 150, max: 400 }).map((length) => 'L'.repeat(length)) },
);
const nonBlank = text.filter((value) => value.trim() !== '');
const cell: fc.Arbitrary<CellValue> = fc.oneof(text, fc.integer({ min: -5, max: 5000 }), fc.boolean(), fc.constant(''), fc.constant(null));

/** A header the way a person might write it: any alias, any case, odd spacing. */
function headerVariant(kind: SheetKind, field: string): fc.Arbitrary<string> {
  const def = FIELDS[kind].find((candidate) => candidate.field === field);
  const names = def ? [def.label, ...def.aliases] : [field];
  return fc
    .tuple(fc.constantFrom(...names), fc.constantFrom('upper', 'lower', 'same'), fc.boolean())
    .map(([name, casing, spaced]) => {
      const cased = casing === 'upper' ? name.toUpperCase() : casing === 'lower' ? name.toLowerCase() : name;
      return spaced ? `  ${cased.replace(/ /g, '  ')} ` : cased;
    });
}

interface Generated {
  kind: SheetKind;
  sheet: Sheet;
}

function sheetArbitrary(kind: 'locations' | 'campaigns'): fc.Arbitrary<Generated> {
  const known = kind === 'locations' ? ['name', 'store_number'] : ['store_number', 'template'];
  const optional = kind === 'locations' ? ['city', 'is_active', 'last_synced', 'sync_error'] : ['location_name', 'status', 'generated_content', 'sync_error'];
  return fc
    .record({
      optional: fc.subarray(optional),
      withId: fc.boolean(),
      extras: fc.subarray(EXTRA_HEADERS, { maxLength: 3 }),
      rows: fc.integer({ min: 0, max: 14 }),
      numberStores: fc.boolean(),
      seed: fc.integer(),
    })
    .chain((shape) => {
      const fields = [...known, ...shape.optional, ...(shape.withId ? ['id'] : [])];
      const columns = fc.shuffledSubarray([...fields.map((field) => ({ field })), ...shape.extras.map((extra) => ({ extra }))], {
        minLength: fields.length + shape.extras.length,
      });
      const headers = fc.tuple(...fields.map((field) => headerVariant(kind, field)));
      const rows = fc.array(
        fc.record({
          blankKey: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
          id: fc.option(fc.uuid(), { freq: 2 }),
          name: fc.oneof({ weight: 9, arbitrary: nonBlank }, { weight: 1, arbitrary: fc.constant('') }),
          values: fc.array(cell, { minLength: 12, maxLength: 12 }),
        }),
        { minLength: shape.rows, maxLength: shape.rows },
      );
      return fc.tuple(columns, headers, rows).map(([order, headerTexts, rowSpecs]) => {
        const headerOf = new Map(fields.map((field, index) => [field, headerTexts[index] ?? field]));
        const header: CellValue[] = order.map((column) => ('field' in column ? (headerOf.get(column.field) ?? '') : column.extra));
        const body = rowSpecs.map((spec, rowIndex) =>
          order.map((column, columnIndex): CellValue => {
            if ('extra' in column) return spec.values[columnIndex] ?? '';
            switch (column.field) {
              case 'id':
                return spec.id ?? '';
              case 'name':
                return spec.name;
              case 'store_number':
                if (kind === 'campaigns') return String(100 + (rowIndex % 3));
                return shape.numberStores ? 1000 + rowIndex : `0${1000 + rowIndex}`;
              case 'template':
                return spec.blankKey ? '' : (TEMPLATES[Math.floor(rowIndex / 3) % TEMPLATES.length] ?? '');
              case 'is_active':
                return rowIndex % 2 === 0 ? 'yes' : false;
              default:
                return spec.values[columnIndex] ?? '';
            }
          }),
        );
        return { kind, sheet: { values: [header, ...body] } };
      });
    });
}

interface Answer {
  /** Index of the row in the generated sheet (0-based into values). */
  origin: number;
  result: SyncResult;
}

function serverAnswer(kind: SheetKind, row: ParsedRow, choice: number, id: string, content: string): SyncResult {
  if (choice === 0) return { ref: row.ref, error: `server says no to row ${row.row}` };
  if (kind === 'locations') {
    const payload = row.payload as { name: string; store_number: string };
    const record: LocationRecord = { id: row.id ?? id, name: payload.name, store_number: payload.store_number, is_active: true };
    return { ref: row.ref, record };
  }
  const payload = row.payload as { store_number: string; template_name: string };
  const record: CampaignRecord = {
    id: row.id ?? id,
    store_number: payload.store_number,
    template_name: payload.template_name,
    status: ['draft', 'pending_review', 'approved'][choice % 3] ?? 'draft',
    generated_content: content,
    approval_history: choice % 2 ? [{ decision: 'rejected', approver_name: `=Reviewer ${choice}`, comments: content.slice(0, 5) }] : [],
  };
  return { ref: row.ref, record };
}

/** Moves rows (a permutation, some rows deleted) and inserts named, filled columns. */
function reshape(sheet: Sheet, keep: number[], inserts: { at: number; values: CellValue[] }[]): { sheet: Sheet; newRowOf: Map<number, number> } {
  const [header = [], ...body] = sheet.values;
  const width = header.length;
  const rows = [header, ...keep.map((origin) => body[origin - 1] ?? [])].map((row) => Array.from({ length: width }, (_, index) => row[index] ?? ''));
  inserts.forEach((insert, n) => {
    const at = Math.min(insert.at, (rows[0] ?? []).length);
    rows.forEach((row, index) => row.splice(at, 0, index === 0 ? `Inserted ${n}` : (insert.values[index % insert.values.length] ?? '')));
  });
  return { sheet: { values: rows }, newRowOf: new Map(keep.map((origin, index) => [origin, index + 1])) };
}

const LIMITS: HostLimits = { host: 'excel', maxCellChars: 200, maxRequestBytes: 4 * 1024 * 1024, dateSystem: 'excel-1900' };

function expectedText(value: string): (cell: CellValue | undefined) => boolean {
  return (cell) => {
    if (typeof cell !== 'string') return value === '' && (cell === null || cell === undefined);
    const read = readCellText(cell);
    if (!read.truncated) return read.text === value;
    return value.length > LIMITS.maxCellChars - 1 && value.startsWith(read.text.replace(/… \[truncated: \d+ characters\]$/, ''));
  };
}

function checkNoFormulas(plan: WritePlan) {
  for (const write of plan.writes) {
    write.values.forEach((line, r) =>
      line.forEach((value, c) => {
        expect(value).not.toBeNull();
        if (typeof value === 'string') {
          expect(isFormulaLike(value)).toBe(false);
          expect(value.length).toBeLessThanOrEqual(LIMITS.maxCellChars);
          if (value !== '') expect(write.numberFormats[r]?.[c]).toBe(TEXT_FORMAT);
        }
      }),
    );
  }
}

function property(kind: 'locations' | 'campaigns') {
  return fc.property(
    sheetArbitrary(kind).chain((generated) => {
      const count = generated.sheet.values.length - 1;
      const origins = Array.from({ length: count }, (_, index) => index + 1);
      return fc.record({
        generated: fc.constant(generated),
        choices: fc.array(fc.integer({ min: -1, max: 5 }), { minLength: count, maxLength: count }),
        ids: fc.array(fc.uuid(), { minLength: count, maxLength: count }),
        contents: fc.array(text, { minLength: count, maxLength: count }),
        keep: fc.shuffledSubarray(origins, { minLength: Math.max(0, count - 2) }),
        inserts: fc.array(fc.record({ at: fc.nat(12), values: fc.array(cell, { minLength: 1, maxLength: 4 }) }), { maxLength: 2 }),
        budget: fc.oneof(fc.constant(4 * 1024 * 1024), fc.integer({ min: 600, max: 3000 })),
      });
    }),
    ({ generated, choices, ids, contents, keep, inserts, budget }) => {
      const { sheet } = generated;
      const read = readRows(sheet, mapHeaders(sheet.values[0] ?? [], kind));
      const answers: Answer[] = [];
      for (const row of read.rows) {
        const choice = choices[row.index - 1] ?? -1;
        if (choice < 0) continue; // filtered: not sent
        answers.push({ origin: row.index, result: serverAnswer(kind, row, choice, ids[row.index - 1] ?? '', contents[row.index - 1] ?? '') });
      }

      // The sheet moves while the server works.
      const moved = reshape(sheet, keep, inserts);
      const mapping = mapHeaders(moved.sheet.values[0] ?? [], kind);
      const plan = planWrites(moved.sheet, mapping, answers.map((answer) => answer.result), {
        limits: LIMITS,
        maxRequestBytes: budget,
        problems: read.problems,
        now: NOW,
      });
      const after = applyWritePlan(moved.sheet, plan);
      checkNoFormulas(plan);
      for (const call of plan.calls) expect(call.bytes).toBeLessThanOrEqual(budget);

      const final = mapHeaders(after.values[0] ?? [], kind);
      const col = (field: string) => final.fields[field];
      const allowed = new Set<string>();
      const allow = (row: number, field: string) => {
        const column = col(field);
        if (column !== undefined) allowed.add(`${row}:${column}`);
      };
      for (const added of plan.addColumns) allowed.add(`0:${added.index}`);

      // Every answer is on its row, or reported because its row is gone.
      const unplacedIds = new Set(plan.unplaced.map((entry) => entry.ref.id ?? entry.ref.key));
      for (const { origin, result } of answers) {
        const row = moved.newRowOf.get(origin);
        if (row === undefined) {
          expect(unplacedIds.has(result.ref?.id ?? result.record?.id ?? result.ref?.key)).toBe(true);
          continue;
        }
        const cells = after.values[row] ?? [];
        for (const field of ['id', 'status', 'generated_content', 'reviewer', 'review_comments', 'last_synced', 'sync_error']) allow(row, field);
        const at = (field: string) => cells[col(field) ?? -1];
        if (result.record) {
          expect(at('id')).toBe(result.record.id);
          expect(at('last_synced')).toBe(lastSyncedText(NOW));
          expect(at('sync_error') ?? '').toBe('');
          if (kind === 'campaigns') {
            const record = result.record as CampaignRecord;
            expect(expectedText(record.status)(at('status'))).toBe(true);
            expect(expectedText(record.generated_content ?? '')(at('generated_content'))).toBe(true);
            expect(expectedText(record.approval_history?.[0]?.approver_name ?? '')(at('reviewer'))).toBe(true);
            expect(expectedText(record.approval_history?.[0]?.comments ?? '')(at('review_comments'))).toBe(true);
          }
          // The row with that id is this one and only this one.
          expect(after.values.filter((line, index) => index > 0 && line[col('id') ?? -1] === result.record?.id)).toHaveLength(1);
        } else {
          expect(expectedText(result.error ?? '')(at('sync_error'))).toBe(true);
        }
      }
      // Rows with problems show them.
      const problemRows = new Map<number, RowProblem[]>();
      for (const problem of read.problems) {
        if (problem.severity !== 'error' || problem.row < 2) continue;
        problemRows.set(problem.row - 1, [...(problemRows.get(problem.row - 1) ?? []), problem]);
      }
      const identities = moved.sheet.values.slice(1).map((line) => rowIdentity(mapping, line));
      for (const [origin, problems] of problemRows) {
        const row = moved.newRowOf.get(origin);
        if (row === undefined) continue;
        allow(row, 'sync_error');
        const shown = after.values[row]?.[col('sync_error') ?? -1];
        const ref = problems[0]?.ref ?? {};
        if (expectedText(problems.map((problem) => `${problem.column}: ${problem.message}`).join('\n'))(shown)) continue;
        // Not shown: only when the row cannot be told apart (a copied id, or no id and a key or
        // known inputs shared with another row), and then it is reported.
        const same = identities.filter((other) =>
          ref.id ? other.id === ref.id : !other.id && (ref.key ? other.key === ref.key : other.fingerprint === ref.fingerprint),
        );
        expect(shown ?? '').toBe(moved.sheet.values[row]?.[col('sync_error') ?? -1] ?? '');
        expect(same.length).not.toBe(1);
        expect(plan.unplaced.some((entry) => entry.ref.fingerprint === ref.fingerprint)).toBe(true);
      }

      // No other cell changed.
      const height = Math.max(after.values.length, moved.sheet.values.length);
      for (let row = 0; row < height; row += 1) {
        const before = moved.sheet.values[row] ?? [];
        const now = after.values[row] ?? [];
        for (let column = 0; column < Math.max(before.length, now.length); column += 1) {
          const a = before[column] ?? '';
          const b = now[column] ?? '';
          if ((a === null ? '' : a) !== (b === null ? '' : b)) expect(allowed.has(`${row}:${column}`), `cell ${row}:${column} changed`).toBe(true);
        }
      }

      // Planning again changes nothing; a plan applied in part and planned again ends the same.
      const again = planWrites(after, final, answers.map((answer) => answer.result), { limits: LIMITS, problems: read.problems, now: NOW });
      expect(again.writes).toEqual([]);
      expect(again.addColumns).toEqual([]);
      if (plan.calls.length > 1) {
        const half = applyWritePlan(moved.sheet, { ...plan, calls: plan.calls.slice(0, 1), writes: plan.calls[0]?.writes ?? [] });
        const rest = planWrites(half, mapHeaders(half.values[0] ?? [], kind), answers.map((answer) => answer.result), {
          limits: LIMITS,
          maxRequestBytes: budget,
          problems: read.problems,
          now: NOW,
        });
        const finished = applyWritePlan(half, rest);
        const trim = (values: CellValue[][]) =>
          values.map((line) => {
            const cells = line.map((value) => (value === null ? '' : value));
            while (cells.length && cells[cells.length - 1] === '') cells.pop();
            return cells;
          });
        expect(trim(finished.values)).toEqual(trim(after.values));
      }
    },
  );
}

describe('sync engine properties', () => {
  it('locations: results land on their rows whatever the sheet did meanwhile, nothing else changes', () => {
    fc.assert(property('locations'), { numRuns: Number(process.env.SYNC_PROPERTY_RUNS ?? 150) });
  });

  it('campaigns: results land on their rows whatever the sheet did meanwhile, nothing else changes', () => {
    fc.assert(property('campaigns'), { numRuns: Number(process.env.SYNC_PROPERTY_RUNS ?? 150) });
  });

  it('header mapping does not depend on column order, case or spacing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<SheetKind>('locations', 'campaigns', 'templates').chain((kind) =>
          fc.tuple(
            fc.constant(kind),
            fc.shuffledSubarray(FIELDS[kind].map((def) => def.field)).chain((fields) =>
              fc.tuple(fc.constant(fields), fc.tuple(...fields.map((field) => headerVariant(kind, field)))),
            ),
          ),
        ),
        ([kind, [fields, headers]]) => {
          const mapping = mapHeaders(headers, kind);
          fields.forEach((field, index) => expect(mapping.fields[field]).toBe(index));
          expect(mapping.problems.filter((problem) => !problem.message.startsWith('the sheet has no'))).toEqual([]);
          expect(new Set(headers.map(headerKey)).size).toBeLessThanOrEqual(headers.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
