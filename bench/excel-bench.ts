/// <reference types="office-js" />
/**
 * `npm run bench:excel [-- --rows 5000 --copy 600]`
 *
 * The Excel host (addin-excel/src/host) against the simulated workbook of its tests
 * (addin-excel/test/fake-excel.ts: office-addin-mock objects over a simulated grid, which counts
 * every `context.sync()` and meters the bytes of `values` and `numberFormat` each one sends and
 * loads), with a 5,000-row campaign table as a marketer starts with it (no StoreSync columns):
 *
 * 1. **Full sync**: read the whole table, read it again after the (simulated) server answered, as
 *    the pane does, and write back what a first sync writes: the added columns (Status with its
 *    colours and list, StoreSync ID and Version hidden, Last Synced, …), ids, versions, status and
 *    last synced for every row.
 * 2. **Generated results**: read the table again and write back 5,000 generated texts of about
 *    600 characters each (and their status).
 *
 * For each it prints the `context.sync()` calls and the largest payload of one sync, reads and
 * writes apart, and checks the goal: writing takes at most one sync per 4 MB written (the
 * engine's 4 MiB budget, `EXCEL_LIMITS.maxRequestBytes`) plus a constant (3: the call that adds
 * rows, and the look at a Status column found in the table and the call that decorates it); no
 * sync sends more than that budget, and no read answers more than Excel on the web's 5 MB.
 * Exits 1 when the goal is missed or the cells do not hold what was planned.
 */
import { parseArgs } from 'node:util';
import {
  applyWritePlan as applyToSheet,
  CAMPAIGN_STATUSES,
  EXCEL_LIMITS,
  mapHeaders,
  planWrites,
  readRows,
  type CampaignRecord,
  type CellValue,
  type Sheet,
  type SyncResult,
  type WritePlan,
} from '@storesync/core';
import { seededRandom } from '@storesync/db/testing';
import { createExcelHost } from '../addin-excel/src/host/index.ts';
import { fakeOffice, FakeWorkbook, type SyncPayload } from '../addin-excel/test/fake-excel.ts';

const TABLE = '{CAMPAIGNS}';
/** Fixed syncs a write may take beyond one per budget: appended rows, and a found Status column's look + decoration. */
const SYNC_CONSTANT = 3;
/** Excel on the web refuses requests and responses of 5 MB or more. */
const EXCEL_WEB_LIMIT = 5_000_000;
const NOW = new Date('2026-05-01T10:00:00Z');

function readConfig() {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, copy: { type: 'string' } }, strict: true });
  const rows = Number(values.rows ?? 5_000);
  const copy = Number(values.copy ?? 600);
  if (!Number.isInteger(rows) || rows < 10 || rows > 50_000) throw new Error(`--rows must be an integer in [10, 50000], got ${values.rows}`);
  if (!Number.isInteger(copy) || copy < 10 || copy > 30_000) throw new Error(`--copy must be an integer in [10, 30000], got ${values.copy}`);
  return { rows, copy };
}

const TEMPLATES = ['Seasonal Sale', 'Grand Opening', 'Holiday Hours', 'Clearance Event', 'Loyalty Week'];
const SALE_TYPES = ['spring', 'clearance', 'flash', 'weekend', 'members only'];
const WORDS = 'fresh savings neighbourhood store weekend deals local favourites visit today limited offer friendly staff new arrivals family value quality every aisle seasonal picks'.split(' ');

/** A campaign table as a marketer keeps it: one row per store and template, typed inputs. */
function campaignTable(rows: number): { values: (string | number)[][]; formats: string[][] } {
  const header = ['Store #', 'Store Name', 'Template', 'Sale Type', 'Discount', 'Start Date', 'End Date', 'Notes'];
  const values: (string | number)[][] = [header];
  const formats: string[][] = [header.map(() => 'General')];
  const next = seededRandom(5);
  for (let index = 0; index < rows; index += 1) {
    const store = Math.floor(index / TEMPLATES.length) + 1;
    const start = 46_150 + Math.floor(next() * 120);
    values.push([
      String(store).padStart(5, '0'),
      `Store ${store} ${['Main St', 'Harbor', 'Uptown', 'Mall', 'Airport'][store % 5]}`,
      TEMPLATES[index % TEMPLATES.length] ?? '',
      SALE_TYPES[Math.floor(next() * SALE_TYPES.length)] ?? '',
      Math.round(next() * 40) / 100,
      start,
      start + 14,
      next() < 0.3 ? 'Check the window display before the start date.' : '',
    ]);
    formats.push(['@', '@', '@', '@', '0%', 'yyyy-mm-dd', 'yyyy-mm-dd', '@']);
  }
  return { values, formats };
}

function uuid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** About `length` characters of marketing copy for one row. */
function copyFor(index: number, length: number): string {
  const next = seededRandom(index + 1);
  let text = `Row ${index + 1}:`;
  while (text.length < length) text += ` ${WORDS[Math.floor(next() * WORDS.length)]}`;
  return `${text.slice(0, length - 1)}.`;
}

interface Phase {
  name: string;
  syncs: number;
  largestSent: number;
  largestReceived: number;
  largestTotal: number;
  sent: number;
  received: number;
  ms: number;
}

function measure(fake: FakeWorkbook, name: string, from: number, started: number): Phase {
  const payloads: SyncPayload[] = fake.payloads.slice(from);
  const max = (pick: (payload: SyncPayload) => number) => payloads.reduce((most, payload) => Math.max(most, pick(payload)), 0);
  return {
    name,
    syncs: payloads.length,
    largestSent: max((payload) => payload.sent),
    largestReceived: max((payload) => payload.received),
    largestTotal: max((payload) => payload.sent + payload.received),
    sent: payloads.reduce((sum, payload) => sum + payload.sent, 0),
    received: payloads.reduce((sum, payload) => sum + payload.received, 0),
    ms: performance.now() - started,
  };
}

async function phase<T>(fake: FakeWorkbook, name: string, work: () => Promise<T>): Promise<{ result: T; phase: Phase }> {
  const from = fake.payloads.length;
  const started = performance.now();
  const result = await work();
  return { result, phase: measure(fake, name, from, started) };
}

/** What the cells must hold after `plan` (the engine's reference host), padded like a table. */
function expected(sheet: Sheet, plan: WritePlan): CellValue[][] {
  const applied = applyToSheet(sheet, plan).values;
  const width = Math.max(...applied.map((row) => row.length));
  return applied.map((row) => Array.from({ length: width }, (_, c) => row[c] ?? ''));
}

function sameGrid(a: readonly (readonly unknown[])[], b: readonly (readonly unknown[])[]): boolean {
  return a.length === b.length && a.every((row, r) => row.length === (b[r]?.length ?? -1) && row.every((cell, c) => cell === b[r]?.[c]));
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
const num = (value: number) => value.toLocaleString('en-US');

async function main() {
  const config = readConfig();
  const fake = new FakeWorkbook();
  fake.raiseOwnEvents = false; // no change listener in the bench: events would only cost time
  const table = campaignTable(config.rows);
  fake.addTable({ id: TABLE, name: 'Campaigns', sheet: 'Sheet1', row: 0, column: 0 }, table.values, table.formats);
  const host = createExcelHost({ run: fake.run, office: fakeOffice().office as never, timeZone: 'UTC' });
  const phases: Phase[] = [];
  const failures: string[] = [];
  const budget = EXCEL_LIMITS.maxRequestBytes;

  console.log(`bench:excel  ${num(config.rows)}-row campaign table, the Excel host over the simulated workbook (office-addin-mock)`);

  // 1. Full sync: read, (server answers), read again, write back ids, versions, status, last synced.
  const firstRead = await phase(fake, 'full sync: read', () => host.readTable(TABLE));
  phases.push(firstRead.phase);
  const mapping = mapHeaders(firstRead.result.values[0] ?? [], 'campaigns');
  const read = readRows(firstRead.result, mapping, { dateSystem: 'excel-1900', timeZone: 'UTC' });
  if (read.rows.length !== config.rows || read.problems.length > 0) failures.push(`readRows: ${read.rows.length} rows, ${read.problems.length} problems`);
  const answers: SyncResult<'campaigns'>[] = read.rows.map((row, index) => {
    const payload = row.payload as { store_number: string; template_name: string };
    return { ref: row.ref, record: { id: uuid(index + 1), row_version: 1, store_number: payload.store_number, template_name: payload.template_name, status: 'draft', generated_content: '', approval_history: [] } };
  });
  const reread = await phase(fake, 'full sync: read again', () => host.readTable(TABLE));
  phases.push(reread.phase);
  const syncPlan = planWrites(reread.result, mapHeaders(reread.result.values[0] ?? [], 'campaigns'), answers, { now: NOW, limits: EXCEL_LIMITS });
  const syncWrite = await phase(fake, 'full sync: write back', () => host.applyWritePlan(TABLE, syncPlan));
  phases.push(syncWrite.phase);
  if (!sameGrid(fake.tableValues(TABLE), expected(reread.result, syncPlan))) failures.push('full sync: the cells differ from the plan');
  const header = fake.tableValues(TABLE)[0] ?? [];
  const statusAt = header.indexOf('Status');
  if (fake.conditionalFormats.length !== CAMPAIGN_STATUSES.length || fake.validations.length !== 1) failures.push('full sync: the Status column has no colours or no list');

  // 2. 5,000 generated results of ~600 characters (and a status each).
  const beforeResults = await phase(fake, 'results: read', () => host.readTable(TABLE));
  phases.push(beforeResults.phase);
  const results: SyncResult<'campaigns'>[] = answers.map((answer, index) => ({
    record: { ...(answer.record as CampaignRecord), row_version: 2, generated_content: copyFor(index, config.copy), status: index % 10 === 0 ? 'pending_review' : 'draft' },
  }));
  const resultsPlan = planWrites(beforeResults.result, mapHeaders(beforeResults.result.values[0] ?? [], 'campaigns'), results, { now: NOW, limits: EXCEL_LIMITS });
  const resultsWrite = await phase(fake, 'results: write back', () => host.applyWritePlan(TABLE, resultsPlan));
  phases.push(resultsWrite.phase);
  if (!sameGrid(fake.tableValues(TABLE), expected(beforeResults.result, resultsPlan))) failures.push('results: the cells differ from the plan');
  const copyAt = header.indexOf('Generated Content');
  const sample = String(fake.tableValues(TABLE)[1]?.[copyAt] ?? '');
  if (sample.length !== config.copy) failures.push(`results: a cell holds ${sample.length} characters, not ${config.copy}`);
  if (fake.tableValues(TABLE)[1]?.[statusAt] !== 'pending_review') failures.push('results: status not written');

  console.log('');
  console.log('| phase | context.sync() | largest sync: sent | largest sync: loaded | largest sync: values+formats | total sent | total loaded | ms |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const p of phases) {
    console.log(`| ${p.name} | ${p.syncs} | ${num(p.largestSent)} | ${num(p.largestReceived)} | ${num(p.largestTotal)} | ${num(p.sent)} | ${num(p.received)} | ${p.ms.toFixed(0)} |`);
  }
  console.log('');
  console.log(`plans: full sync ${syncPlan.calls.length} call(s), ${syncPlan.addColumns.length} added columns, ${num(syncPlan.cellsChanged)} cells; results ${resultsPlan.calls.length} call(s), ${num(resultsPlan.cellsChanged)} cells; engine budget ${num(budget)} bytes per call`);
  console.log('');
  for (const write of [syncWrite.phase, resultsWrite.phase]) {
    const allowed = Math.ceil(write.sent / budget) + SYNC_CONSTANT;
    const ok = write.syncs <= allowed && write.largestSent <= budget;
    console.log(`goal  ${write.name}: ${write.syncs} sync(s) for ${mib(write.sent)} written, at most ceil(${mib(write.sent)} / 4 MiB) + ${SYNC_CONSTANT} = ${allowed}; largest ${mib(write.largestSent)} <= 4 MiB: ${ok ? 'met' : 'NOT met'}`);
    if (!ok) failures.push(`${write.name}: ${write.syncs} syncs (at most ${allowed}), largest ${write.largestSent} bytes`);
  }
  for (const readPhase of phases.filter((p) => p.name.includes('read'))) {
    if (readPhase.largestReceived >= EXCEL_WEB_LIMIT) failures.push(`${readPhase.name}: a read answered ${readPhase.largestReceived} bytes (Excel on the web refuses 5 MB)`);
  }
  const largestRead = Math.max(...phases.filter((p) => p.name.includes('read')).map((p) => p.largestReceived));
  console.log(`reads: largest response ${mib(largestRead)} (host target 2 MiB, Excel on the web refuses 5 MB): ${largestRead < EXCEL_WEB_LIMIT ? 'ok' : 'NOT ok'}`);
  console.log(`check: cells equal the engine's reference host after both writes; Status colours ${fake.conditionalFormats.length}, lists ${fake.validations.length}: ${failures.length === 0 ? 'ok' : 'FAILED'}`);
  if (failures.length > 0) {
    for (const failure of failures) console.error(`FAILED: ${failure}`);
    process.exitCode = 1;
  }
}

await main();
