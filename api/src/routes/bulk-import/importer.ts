/**
 * One bulk import, as an add-in runs a sync but on an uploaded file: map the headers, read and
 * check every row with the core engine (problems name the row, the column header and the fix),
 * send the rows without problems through the sync engine of their kind (one transaction, one
 * result per row; a dry run rolls that transaction back), then write the answers into the sheet
 * with the engine's write plan: StoreSync ID, Sync Error and the kind's output columns, plus a
 * Sync Status column that this endpoint adds (and ignores when a result file is uploaded again).
 */
import {
  applyWritePlan,
  describeProblem,
  detectSheetKind,
  EXCEL_LIMITS,
  FIELDS,
  headerKey,
  mapHeaders,
  planWrites,
  readRows,
  SAFE_PREFIX,
  safeCellText,
  toCellWrite,
  toSyncRow,
  type CellValue,
  type HeaderMapping,
  type ManualMapping,
  type ReadOptions,
  type RecordMap,
  type RowProblem,
  type Sheet,
  type SheetKind,
  type SyncFieldConflict,
  type SyncResult,
  type SyncRowMap,
  type SyncRowStatus,
} from '@storesync/core';
import { pgTransactionsOf, type Prisma, type PrismaClient, type TransactionOptions } from '@storesync/db';
import { locationWhere } from '../../lib/access.ts';
import type { AuthUser } from '../../lib/types.ts';
import { campaignSync } from '../sync/campaigns.sync.ts';
import { runSync, type SyncOutcome, type TransactionRunner } from '../sync/engine.ts';
import { locationSync } from '../sync/locations.sync.ts';
import { FileProblem, type SheetFile } from './sheet-files.ts';

export const IMPORT_KINDS = ['locations', 'campaigns'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The column this endpoint adds to result files: what happened to each row. */
export const SYNC_STATUS_HEADER = 'Sync Status';
/** Uploading a result file again must not turn Sync Status into an attribute or customization. */
const MANUAL: ManualMapping = { [headerKey(SYNC_STATUS_HEADER)]: { ignore: true } };

/** Header problems (a required column missing, two columns for one field): nothing can be read. */
export class HeaderProblems extends Error {
  constructor(readonly problems: RowProblem[]) {
    super('The header row (row 1) has problems; fix them and upload the file again');
  }
}

type SyncedRecord = { id: string } & Record<string, unknown>;

class DryRunRollback extends Error {
  constructor(readonly outcome: unknown) {
    super('dry run: rolled back');
  }
}

/**
 * A transaction runner that does all the work of a real sync (locks, merges, inserts, updates,
 * triggers) and then rolls it back, so a dry run answers exactly what the import would do.
 */
function rollingBack<Tx>(runner: TransactionRunner<Tx>): TransactionRunner<Tx> {
  return {
    async $transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions) {
      try {
        await runner.$transaction(async (tx) => {
          throw new DryRunRollback(await fn(tx));
        }, options);
      } catch (error) {
        if (error instanceof DryRunRollback) return error.outcome as T;
        throw error;
      }
      throw new Error('dry run: the transaction was not rolled back');
    },
  };
}

async function syncRows(kind: ImportKind, prisma: PrismaClient, dryRun: boolean, user: AuthUser, brandId: string, rows: unknown[]) {
  const runner = <Tx>(transactions: TransactionRunner<Tx>) => (dryRun ? rollingBack(transactions) : transactions);
  const outcome =
    kind === 'locations'
      ? await runSync(locationSync, runner(pgTransactionsOf(prisma)), user, brandId, rows)
      : await runSync(campaignSync, runner<Prisma.TransactionClient>(prisma), user, brandId, rows);
  return outcome as SyncOutcome<SyncedRecord>;
}

export interface ProblemJson {
  row: number;
  column: string;
  message: string;
  severity: 'error' | 'warning';
  field?: string;
  /** As the add-ins list it: `Row 7 · Store #: …`. */
  text: string;
}

export interface RowResultJson {
  /** The sheet row (1 is the header row). */
  row: number;
  status: SyncRowStatus;
  /** The StoreSync id of the row's location or campaign (null for a row that was not, or in a dry run would be, created). */
  id: string | null;
  message?: string;
  /** The column header the message is about. */
  column?: string;
  field?: string;
  conflicts?: SyncFieldConflict[];
  /** Every problem the file check found on this row (errors kept it from being sent; warnings did not). */
  problems?: ProblemJson[];
}

export interface ImportOutcome {
  kind: ImportKind;
  counts: Record<SyncRowStatus, number>;
  results: RowResultJson[];
  /** Problems not about one data row (a column without a header, …). */
  warnings: ProblemJson[];
  /** The brand's change-feed cursor after the import (absent for a dry run or when nothing was sent). */
  cursor?: string;
  /** The uploaded sheet with the results written in, ready to be saved as a file. */
  resultSheet: Sheet;
  /** Per column of `resultSheet`: hidden (the StoreSync ID), wrapped, width for added columns. */
  columns: { width?: number; hidden?: boolean; wrap?: boolean }[];
}

function problemJson(problem: RowProblem): ProblemJson {
  return {
    row: problem.row,
    column: problem.column,
    message: problem.message,
    severity: problem.severity,
    ...(problem.field ? { field: problem.field } : {}),
    text: describeProblem(problem),
  };
}

/** The sheet's kind: as asked, else recognised from the header row. */
export function resolveKind(header: readonly CellValue[], asked: ImportKind | undefined): ImportKind {
  if (asked) return asked;
  const detected = detectSheetKind(header);
  if (detected === 'templates') {
    throw new FileProblem(
      'Row 1 looks like a Templates sheet; bulk import takes Locations or Campaigns sheets (sync templates from the add-in, or POST /api/v1/sync/templates/)',
    );
  }
  if (!detected) {
    throw new FileProblem(
      'StoreSync could not tell from row 1 whether this is a Locations sheet (needs "Name" and "Store #" columns) or a Campaigns sheet (needs "Store #" and "Template"); check the header row, or send kind=locations or kind=campaigns',
    );
  }
  return detected;
}

/** The column header an engine field name (`store_number`, `address.city`, `customizations.sale_type`) is read from. */
function columnOfField(mapping: HeaderMapping, field: string | undefined): string | undefined {
  if (!field) return undefined;
  const extra = /^(?:attributes|customizations)\.(.+)$/.exec(field);
  if (extra) return mapping.extras.find((column) => column.extraKey === extra[1])?.header;
  const def = FIELDS[mapping.kind].find((candidate) => candidate.field === field || candidate.path?.join('.') === field);
  const index = def ? mapping.fields[def.field] : undefined;
  if (index !== undefined) return mapping.columns.find((column) => column.index === index)?.header;
  if (field === 'address') {
    const part = ['street', 'city', 'state', 'zip', 'country'].map((name) => mapping.fields[name]).find((value) => value !== undefined);
    return mapping.columns.find((column) => column.index === part)?.header;
  }
  if (field === 'location') return columnOfField(mapping, 'store_number');
  return undefined;
}

export async function referenceData(prisma: PrismaClient, user: AuthUser, brandId: string): Promise<ReferenceData> {
  const [templates, locations] = await Promise.all([
    prisma.campaignTemplate.findMany({ where: { brandId }, select: { id: true, name: true, requiredVariables: true, isActive: true } }),
    prisma.location.findMany({ where: { AND: [{ brandId }, locationWhere(user)] }, select: { id: true, storeNumber: true } }),
  ]);
  return {
    templates: templates.map((template) => ({
      id: template.id,
      name: template.name,
      is_active: template.isActive,
      required_variables: Array.isArray(template.requiredVariables)
        ? template.requiredVariables.filter((item): item is string => typeof item === 'string')
        : [],
    })),
    locations: locations.map((location) => ({ id: location.id, store_number: location.storeNumber })),
  };
}

const DRY_RUN_STATUS: Record<SyncRowStatus, string> = {
  created: 'would be created',
  updated: 'would be updated',
  unchanged: 'unchanged',
  conflict: 'conflict',
  error: 'error',
};

/** Every string cell inert and within Excel's cell limit; cells StoreSync already wrote stay as they are. */
function protectCells(values: CellValue[][]): CellValue[][] {
  return values.map((line) =>
    line.map((cell) => (typeof cell === 'string' && cell !== '' && !cell.startsWith(SAFE_PREFIX) ? safeCellText(cell, EXCEL_LIMITS).text : cell)),
  );
}

/** The sheet's kind and header mapping (no database): a whole-file problem throws. */
export interface PreparedImport {
  kind: ImportKind;
  mapping: HeaderMapping;
}

export function prepareImport(file: SheetFile, asked: ImportKind | undefined): PreparedImport {
  const header = file.sheet.values[0] ?? [];
  if (header.every((cell) => cell === null || cell === '')) {
    throw new FileProblem('Row 1 is empty; StoreSync reads the column headers from row 1 (for example Store #, Name, City) and the rows below it');
  }
  const kind = resolveKind(header, asked);
  const mapping = mapHeaders(header, kind, MANUAL);
  if (mapping.problems.some((problem) => problem.severity === 'error')) {
    throw new HeaderProblems(mapping.problems.filter((problem) => problem.severity === 'error'));
  }
  return { kind, mapping };
}

/** What the brand's reference data gives readRows (campaigns: templates and the stores the user sees). */
export type ReferenceData = Pick<ReadOptions, 'templates' | 'locations'>;

export interface ReadImport {
  read: ReturnType<typeof readRows>;
  dataRows: number[];
  /** The rows to send to the sync engine, in order (index = position in `read.rows`). */
  payloads: SyncRowMap[SheetKind][];
}

/** Every row read and checked with the engine (no database: reference data is passed in). */
export function readImportRows(file: SheetFile, prepared: PreparedImport, reference: ReferenceData, timeZone: string): ReadImport {
  const sheet = file.sheet;
  const read = readRows(sheet, prepared.mapping, { ...reference, dateSystem: file.dateSystem, timeZone });
  const skipped = new Set(read.skipped);
  const dataRows: number[] = [];
  for (let row = 2; row <= sheet.values.length; row += 1) if (!skipped.has(row)) dataRows.push(row);
  if (dataRows.length === 0) throw new FileProblem('The sheet has headers but no rows below them; fill in at least one row');
  // The hidden StoreSync Version of a result file uploaded again: fields changed in StoreSync since
  // that file was made come back as conflicts instead of being overwritten (as in the add-ins).
  const payloads = read.rows.map(toSyncRow);
  return { read, dataRows, payloads };
}

/** What the sync engine answered (absent when no row was sent). */
export type SyncAnswer = Pick<SyncOutcome<SyncedRecord>, 'results' | 'cursor'>;

/** The database part: the rows through the sync engine of their kind (a dry run rolls back). */
export async function syncImportRows(
  prisma: PrismaClient,
  user: AuthUser,
  brandId: string,
  kind: ImportKind,
  dryRun: boolean,
  payloads: unknown[],
): Promise<SyncAnswer> {
  const outcome = await syncRows(kind, prisma, dryRun, user, brandId, payloads);
  return { results: outcome.results, cursor: outcome.cursor };
}

/** The answer and the result sheet from the rows read and the sync engine's answer (no database). */
export function finishImport(
  file: SheetFile,
  prepared: PreparedImport,
  rows: ReadImport,
  outcome: SyncAnswer | undefined,
  options: { dryRun: boolean; timeZone: string; now?: Date },
): ImportOutcome {
  const { kind, mapping } = prepared;
  const { read, dataRows } = rows;
  const { dryRun, timeZone } = options;
  const sheet = file.sheet;
  const problemsByRow = new Map<number, RowProblem[]>();
  for (const problem of read.problems) {
    if (problem.row > 1) problemsByRow.set(problem.row, [...(problemsByRow.get(problem.row) ?? []), problem]);
  }
  const answers = new Map((outcome?.results ?? []).map((result) => [result.index, result]));
  const sentAt = new Map(read.rows.map((row, index) => [row.row, { parsed: row, answer: answers.get(index) }]));

  const counts: Record<SyncRowStatus, number> = { created: 0, updated: 0, unchanged: 0, conflict: 0, error: 0 };
  const results: RowResultJson[] = [];
  const planResults: SyncResult[] = [];
  const conflictProblems: RowProblem[] = [];
  for (const row of dataRows) {
    const problems = problemsByRow.get(row) ?? [];
    const problemList = problems.length > 0 ? { problems: problems.map(problemJson) } : {};
    const sent = sentAt.get(row);
    if (!sent) {
      const first = problems.find((problem) => problem.severity === 'error') ?? problems[0];
      results.push({
        row,
        status: 'error',
        id: null,
        message: first?.message ?? 'StoreSync could not read this row; check its cells',
        ...(first?.column ? { column: first.column } : {}),
        ...(first?.field ? { field: first.field } : {}),
        ...problemList,
      });
      counts.error += 1;
      continue;
    }
    const { parsed, answer } = sent;
    const status: SyncRowStatus = answer?.status ?? 'error';
    counts[status] += 1;
    const record = answer?.record;
    const id = dryRun && status === 'created' ? null : (record?.id ?? parsed.id ?? null);
    const column = columnOfField(mapping, answer?.field);
    const message = answer ? answer.message : 'StoreSync gave no answer for this row; upload the file again';
    results.push({
      row,
      status,
      id,
      ...(message ? { message } : {}),
      ...(column ? { column } : {}),
      ...(answer?.field ? { field: answer.field } : {}),
      ...(answer?.conflicts ? { conflicts: answer.conflicts } : {}),
      ...problemList,
    });
    if (status === 'error' || !record) {
      const text = message ?? 'StoreSync refused this row';
      planResults.push({ ref: parsed.ref, error: column ? `${column}: ${text}` : text });
    } else if (status === 'conflict') {
      conflictProblems.push({ row, column: '', message: `Conflict: ${message ?? 'changed here and in StoreSync'}`, severity: 'error', ref: parsed.ref });
      if (!dryRun) planResults.push({ ref: parsed.ref, record: record as unknown as RecordMap[typeof kind] });
    } else if (!dryRun) {
      planResults.push({ ref: parsed.ref, record: record as unknown as RecordMap[typeof kind] });
    }
  }

  // The result file: the upload with a Sync Status column (reused when the upload has one), then
  // the engine's plan for ids, outputs and Sync Error, applied as a host would.
  const width = Math.max(mapping.width, sheet.values[0]?.length ?? 0);
  const existingStatus = mapping.columns.find((column) => headerKey(column.header) === headerKey(SYNC_STATUS_HEADER));
  const statusColumn = existingStatus?.index ?? width;
  const withStatus: Sheet = {
    values: sheet.values.map((line, index) => {
      const copy = [...line];
      if (index === 0) copy[statusColumn] = SYNC_STATUS_HEADER;
      return copy;
    }),
    ...(sheet.numberFormats ? { numberFormats: sheet.numberFormats } : {}),
  };
  const planMapping = mapHeaders(withStatus.values[0] ?? [], kind, MANUAL);
  const plan = planWrites(withStatus, planMapping, planResults, {
    limits: { ...EXCEL_LIMITS, dateSystem: file.dateSystem, maxRequestBytes: 1024 * 1024 * 1024 },
    problems: [...read.problems, ...conflictProblems],
    timeZone,
    ...(options.now ? { now: options.now } : {}),
  });
  const applied = applyWritePlan(withStatus, plan);
  const values = applied.values;
  const formats = applied.numberFormats ?? [];
  for (const result of results) {
    const line = values[result.row - 1];
    if (!line) continue;
    while (line.length <= statusColumn) line.push('');
    const write = toCellWrite(dryRun ? DRY_RUN_STATUS[result.status] : result.status, EXCEL_LIMITS);
    line[statusColumn] = write.value;
    const formatLine = formats[result.row - 1] ?? (formats[result.row - 1] = []);
    formatLine[statusColumn] = write.numberFormat;
  }
  // A row that is fine now loses the Sync Error an earlier result file gave it (a dry run plans no
  // records, so the plan does not clear it there).
  const errorColumn = planMapping.fields.sync_error ?? plan.addColumns.find((column) => column.field === 'sync_error')?.index;
  if (errorColumn !== undefined) {
    for (const result of results) {
      const line = values[result.row - 1];
      if (line && result.status !== 'error' && result.status !== 'conflict' && line[errorColumn] !== undefined) line[errorColumn] = '';
    }
  }
  const fullWidth = values.reduce((max, line) => Math.max(max, line.length), 0);
  for (const line of values) while (line.length < fullWidth) line.push('');

  const added = new Map(plan.addColumns.map((column) => [column.index, column]));
  const columns = Array.from({ length: fullWidth }, (_, index) => {
    const source = file.columns?.[index];
    const addedColumn = added.get(index);
    if (addedColumn) return { width: addedColumn.wrap ? 48 : 18, hidden: addedColumn.hidden, wrap: addedColumn.wrap };
    if (index === statusColumn && !existingStatus) return { width: 16 };
    return { ...(source?.width ? { width: source.width } : {}), ...(source?.hidden ? { hidden: true } : {}) };
  });
  const warnings = [
    ...read.problems.filter((problem) => problem.row === 1).map(problemJson),
    ...plan.unplaced.map((item) => ({ row: 0, column: '', message: item.message, severity: 'warning' as const, text: item.message })),
  ];

  return {
    kind,
    counts,
    results,
    warnings,
    ...(outcome && !dryRun ? { cursor: outcome.cursor } : {}),
    resultSheet: { values: protectCells(values), numberFormats: formats },
    columns,
  };
}
