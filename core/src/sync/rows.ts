/**
 * Reading rows: every data row of a sheet becomes the payload the API expects, or problems that
 * say what is wrong and how to fix it. Nothing is sent for a row with an `error` problem.
 *
 * Checks, per row: required fields; types (yes/no, dates, lists); lengths the API enforces;
 * spreadsheet errors (`#REF!`) in a cell; a StoreSync id that was edited. Across rows: two rows
 * with one StoreSync id, duplicate store numbers (Locations), two new rows for one store and
 * template (Campaigns), duplicate template names (Templates). With the brand's templates (and
 * optionally locations) in `ReadOptions`: unknown or inactive templates, missing required
 * template variables, unknown store numbers (with a hint when a number lost its leading zeros).
 *
 * Payloads follow the API's field names. Parts the sheet does not have are left out, so an update
 * never wipes what the sheet cannot show: no address column → no `address`; no extra column →
 * no `attributes`/`customizations` (a new campaign still gets `{}`); a blank extra cell → key left
 * out and listed in `blankExtras` (the bulk endpoint decides whether that removes the key).
 */
import { EXTRA_TARGET, FIELDS, type FieldDef } from './fields.ts';
import { columnLetter, columnName, type HeaderMapping } from './headers.ts';
import { hasInput, rowIdentity, rowRef, templateNameKey } from './identity.ts';
import { readCellText } from './safety.ts';
import { missingRequiredVariables, parseTemplate, TemplateSyntaxError } from '../templates.ts';
import {
  assertTimeZone,
  cellText,
  cellToInstant,
  extraFromCell,
  isBlank,
  isCellError,
  numberText,
  parseBoolean,
  type DateOptions,
} from './values.ts';
import type { CellValue, DateSystem, JsonObject, RowProblem, RowRef, Sheet, SheetKind } from './types.ts';

export interface TemplateRef {
  id?: string;
  name: string;
  required_variables?: readonly string[];
  is_active?: boolean;
}

export interface LocationRef {
  id?: string;
  store_number: string;
}

export interface ReadOptions {
  /** The brand's templates: campaign rows are checked against them and get their ids. */
  templates?: readonly TemplateRef[];
  /** The brand's locations: campaign rows are checked against them and get their ids. */
  locations?: readonly LocationRef[];
  /** How to read date serials; default `excel-1900`. */
  dateSystem?: DateSystem;
  /** IANA zone for dates without an offset (campaign start and end); default `UTC`. */
  timeZone?: string;
}

export interface AddressPayload {
  street?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
}

export interface LocationPayload {
  name: string;
  store_number: string;
  address?: AddressPayload;
  attributes?: JsonObject;
  is_active?: boolean;
}

export interface CampaignPayload {
  store_number: string;
  template_name: string;
  /** The location's id, when `ReadOptions.locations` knows the store number. */
  location?: string;
  /** The template's id, when `ReadOptions.templates` has one. */
  template?: string;
  customizations?: JsonObject;
  scheduled_start?: string | null;
  scheduled_end?: string | null;
}

export interface TemplatePayload {
  name: string;
  campaign_type: string;
  content_template?: string;
  description?: string;
  required_variables?: string[];
  is_active?: boolean;
}

export interface PayloadMap {
  locations: LocationPayload;
  campaigns: CampaignPayload;
  templates: TemplatePayload;
}

export interface ParsedRow<K extends SheetKind = SheetKind> {
  /** 1-based sheet row. */
  row: number;
  /** 0-based index into `sheet.values`. */
  index: number;
  id: string | null;
  /** The row's hidden StoreSync Version: the server's row_version when the row was last synced. */
  rowVersion: number | null;
  key: string;
  /** Send this back with the server's answer so the plan finds the row again (identity.ts). */
  ref: RowRef;
  payload: PayloadMap[K];
  /** Extra columns whose cell is blank on this row. */
  blankExtras: string[];
}

export interface ReadResult<K extends SheetKind = SheetKind> {
  kind: K;
  /** Rows ready to send (no `error` problem). */
  rows: ParsedRow<K>[];
  /** Every problem, header problems first, then by row. */
  problems: RowProblem[];
  /** 1-based rows that were skipped because no input cell is filled. */
  skipped: number[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DATE_HINT = 'write a date such as 2026-12-01 or 2026-12-01 09:00, or format the cell as a date';

export type FieldRead = { ok: true; value: unknown; truncated?: boolean } | { ok: false; message: string };

/**
 * One cell of a known field, typed: `value` is `undefined` for a blank cell (or a cell StoreSync
 * truncated: `truncated: true`).
 */
export function readFieldCell(def: FieldDef, cell: CellValue | undefined, options: DateOptions): FieldRead {
  if (isCellError(cell)) return { ok: false, message: `the cell shows the error ${cell.trim()}; fix its formula or type the value` };
  if (isBlank(cell) || cell === undefined || cell === null) return { ok: true, value: undefined };
  const raw = typeof cell === 'string' ? readCellText(cell) : { text: cellText(cell), truncated: false };
  if (raw.truncated) return { ok: true, value: undefined, truncated: true };
  const text = raw.text.trim();
  switch (def.type) {
    case 'boolean': {
      const value = parseBoolean(cell, true);
      return value === undefined ? { ok: false, message: `"${text}" is not yes or no; write yes or no` } : { ok: true, value };
    }
    case 'datetime': {
      const value = typeof cell === 'boolean' ? undefined : cellToInstant(cell, options);
      return value === undefined ? { ok: false, message: `"${text}" is not a date; ${DATE_HINT}` } : { ok: true, value };
    }
    case 'list': {
      const items = text
        .split(/[,;\n]/)
        .map((item) => item.trim())
        .filter(Boolean);
      return { ok: true, value: items };
    }
    case 'number': {
      const value = typeof cell === 'number' ? cell : Number(text);
      return Number.isFinite(value) ? { ok: true, value } : { ok: false, message: `"${text}" is not a number; write a number` };
    }
    default: {
      const value = typeof cell === 'number' ? numberText(cell) : text;
      if (def.maxLength !== undefined && value.length > def.maxLength) {
        return {
          ok: false,
          message: `the text is ${value.length} characters long; shorten it to at most ${def.maxLength} characters`,
        };
      }
      return { ok: true, value };
    }
  }
}

/** Levenshtein distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function closest(name: string, candidates: readonly string[]): string | undefined {
  const target = templateNameKey(name);
  let best: { name: string; score: number } | undefined;
  for (const candidate of candidates) {
    const score = distance(target, templateNameKey(candidate));
    if (score <= Math.max(2, Math.floor(target.length / 4)) && (!best || score < best.score)) best = { name: candidate, score };
  }
  return best?.name;
}

function listNames(names: readonly string[], max = 5): string {
  const quoted = names.slice(0, max).map((name) => `"${name}"`);
  return names.length > max ? `${quoted.join(', ')} and ${names.length - max} more` : quoted.join(', ');
}

const plural = (rows: number[]) => (rows.length === 1 ? `row ${rows[0]}` : `rows ${rows.join(', ')}`);

interface Draft {
  index: number;
  ref: RowRef;
  id: string | null;
  key: string | null;
  fields: Record<string, unknown>;
  extras: JsonObject;
  blankExtras: string[];
  hasError: boolean;
}

/** Reads and checks every data row; see the file header. */
export function readRows<K extends SheetKind>(sheet: Sheet, mapping: HeaderMapping<K>, options: ReadOptions = {}): ReadResult<K> {
  const kind = mapping.kind;
  const dateOptions: DateOptions = { dateSystem: options.dateSystem ?? 'excel-1900', timeZone: options.timeZone ?? 'UTC' };
  assertTimeZone(dateOptions.timeZone);
  const result: ReadResult<K> = { kind, rows: [], problems: [...mapping.problems], skipped: [] };
  if (mapping.problems.some((problem) => problem.severity === 'error')) return result;

  const headerRow = sheet.values[0] ?? [];
  const extraTarget = EXTRA_TARGET[kind];
  const header = (field: string) => {
    const index = mapping.fields[field];
    return index === undefined ? (FIELDS[kind].find((def) => def.field === field)?.label ?? field) : columnName(cellText(headerRow[index] ?? null), index);
  };

  // Data in columns without a header is not synced; say so once per column.
  const headerless = new Set<number>();
  for (let row = 1; row < sheet.values.length; row += 1) {
    (sheet.values[row] ?? []).forEach((cell, index) => {
      if (!isBlank(cell) && isBlank(headerRow[index])) headerless.add(index);
    });
  }
  for (const index of [...headerless].sort((a, b) => a - b)) {
    result.problems.push({
      row: 1,
      column: `column ${columnLetter(index)}`,
      severity: 'warning',
      message: extraTarget
        ? `column ${columnLetter(index)} has values but no header, so it is not synced; add a header (it becomes a ${extraTarget === 'attributes' ? 'location attribute' : 'campaign customization'}) or clear the column`
        : `column ${columnLetter(index)} has values but no header, so it is not synced; add a header or clear the column`,
    });
  }

  const templatesByName = new Map<string, TemplateRef[]>();
  for (const template of options.templates ?? []) {
    const key = templateNameKey(template.name);
    templatesByName.set(key, [...(templatesByName.get(key) ?? []), template]);
  }
  const locationsByStore = new Map<string, LocationRef>();
  for (const location of options.locations ?? []) locationsByStore.set(location.store_number.trim(), location);

  const extraHeaders = new Map(mapping.extras.map((column) => [column.extraKey ?? '', column.header]));
  const extraHeader = (key: string) => extraHeaders.get(key);
  const drafts: Draft[] = [];
  const inputDefs = FIELDS[kind].filter((def) => def.role === 'input' || def.role === 'id');

  for (let index = 1; index < sheet.values.length; index += 1) {
    const cells = sheet.values[index] ?? [];
    const row = index + 1;
    if (!hasInput(mapping, cells)) {
      result.skipped.push(row);
      continue;
    }
    const identity = rowIdentity(mapping, cells);
    const ref = rowRef(identity);
    const draft: Draft = { index, ref, id: identity.id, key: identity.key, fields: {}, extras: {}, blankExtras: [], hasError: false };
    const problem = (column: string, message: string, field?: string, severity: 'error' | 'warning' = 'error') => {
      result.problems.push({ row, column, message, severity, ref, ...(field ? { field } : {}) });
      if (severity === 'error') draft.hasError = true;
    };

    for (const def of inputDefs) {
      const column = mapping.fields[def.field];
      if (column === undefined) continue;
      const read = readFieldCell(def, cells[column], dateOptions);
      if (!read.ok) {
        problem(header(def.field), read.message, def.field);
        continue;
      }
      if (read.truncated) {
        problem(
          header(def.field),
          `the text was cut to fit the cell, so StoreSync keeps the full ${def.label} it has; edit it in StoreSync, or replace the whole cell`,
          def.field,
          draft.id ? 'warning' : 'error',
        );
        continue;
      }
      if (read.value === undefined) {
        if (def.required) problem(header(def.field), `the cell is empty; fill in the ${def.label} (it is required)`, def.field);
        continue;
      }
      draft.fields[def.field] = read.value;
    }
    const version = draft.fields.row_version;
    if (version !== undefined && !(typeof version === 'number' && Number.isInteger(version) && version >= 1 && draft.id !== null)) {
      problem(
        header('row_version'),
        `the hidden StoreSync Version of this row was changed to "${typeof version === 'number' ? version : 'a blank'}"; undo the change, or clear the cell to let this row's values win`,
        'row_version',
      );
    }
    if (draft.id !== null && !UUID.test(draft.id)) {
      problem(
        header('id'),
        `the hidden StoreSync ID of this row was changed to "${draft.id}"; undo the change, or clear the cell to sync the row as a new one`,
        'id',
      );
    }

    for (const column of mapping.extras) {
      const key = column.extraKey ?? '';
      const cell = cells[column.index];
      if (isCellError(cell)) {
        problem(column.header, `the cell shows the error ${cell.trim()}; fix its formula or type the value`, `${extraTarget}.${key}`);
        continue;
      }
      if (typeof cell === 'string' && readCellText(cell).truncated) {
        problem(column.header, 'the text was cut to fit the cell and is not synced; shorten it in StoreSync or replace the whole cell', `${extraTarget}.${key}`, 'warning');
        continue;
      }
      const value = extraFromCell(cell, sheet.numberFormats?.[index]?.[column.index], dateOptions.dateSystem);
      if (value === undefined) draft.blankExtras.push(key);
      else draft.extras[key] = value;
    }

    if (kind === 'campaigns') {
      checkCampaign(draft, header, problem, templatesByName, locationsByStore, mapping.extras.length > 0, extraHeader, options);
    }
    if (kind === 'templates') checkTemplate(draft, header, problem);
    drafts.push(draft);
  }

  // Across rows.
  const crossProblem = (draft: Draft, column: string, message: string, field: string) => {
    result.problems.push({ row: draft.index + 1, column, message, severity: 'error', ref: draft.ref, field });
    draft.hasError = true;
  };
  const groups = (select: (draft: Draft) => string | null) => {
    const map = new Map<string, Draft[]>();
    for (const draft of drafts) {
      const key = select(draft);
      if (key) map.set(key, [...(map.get(key) ?? []), draft]);
    }
    return [...map.values()].filter((group) => group.length > 1);
  };
  const others = (group: Draft[], draft: Draft) => group.filter((other) => other !== draft).map((other) => other.index + 1);

  for (const group of groups((draft) => draft.id)) {
    for (const draft of group) {
      crossProblem(
        draft,
        header('id'),
        `this row has the same hidden StoreSync ID as ${plural(others(group, draft))} (a copied row?); on the copy, clear the StoreSync ID cell so it syncs as a new row`,
        'id',
      );
    }
  }
  if (kind === 'locations') {
    for (const group of groups((draft) => draft.key)) {
      for (const draft of group) {
        crossProblem(
          draft,
          header('store_number'),
          `store ${String(draft.fields.store_number)} is also on ${plural(others(group, draft))}; keep one row per store (delete or merge the others)`,
          'store_number',
        );
      }
    }
  }
  if (kind === 'campaigns') {
    for (const group of groups((draft) => (draft.id ? null : draft.key))) {
      for (const draft of group) {
        crossProblem(
          draft,
          header('template'),
          `${plural(others(group, draft))} also adds a "${String(draft.fields.template)}" campaign for store ${String(draft.fields.store_number)}; keep one new row per store and template`,
          'template',
        );
      }
    }
  }
  if (kind === 'templates') {
    for (const group of groups((draft) => draft.key)) {
      for (const draft of group) {
        crossProblem(
          draft,
          header('name'),
          `a template named "${String(draft.fields.name)}" is also on ${plural(others(group, draft))}; template names must be unique, so rename one`,
          'name',
        );
      }
    }
  }

  for (const draft of drafts) {
    if (draft.hasError || !draft.key) continue;
    result.rows.push({
      row: draft.index + 1,
      index: draft.index,
      id: draft.id,
      rowVersion: typeof draft.fields.row_version === 'number' ? draft.fields.row_version : null,
      key: draft.key,
      ref: draft.ref,
      payload: buildPayload(kind, draft, mapping) as PayloadMap[K],
      blankExtras: draft.blankExtras,
    });
  }

  const headerProblems = result.problems.filter((problem) => problem.row === 1);
  // By row, then in the sheet's column order.
  const columnIndex = new Map(mapping.columns.map((column) => [column.header, column.index]));
  const at = (problem: RowProblem) => columnIndex.get(problem.column) ?? Number.MAX_SAFE_INTEGER;
  const rowProblems = result.problems.filter((problem) => problem.row !== 1).sort((a, b) => a.row - b.row || at(a) - at(b));
  result.problems = [...headerProblems, ...rowProblems];
  return result;
}

type ProblemFn = (column: string, message: string, field?: string, severity?: 'error' | 'warning') => void;

function checkCampaign(
  draft: Draft,
  header: (field: string) => string,
  problem: ProblemFn,
  templatesByName: Map<string, TemplateRef[]>,
  locationsByStore: Map<string, LocationRef>,
  hasExtras: boolean,
  extraHeader: (key: string) => string | undefined,
  options: ReadOptions,
) {
  const templateName = typeof draft.fields.template === 'string' ? draft.fields.template : undefined;
  const storeNumber = typeof draft.fields.store_number === 'string' ? draft.fields.store_number : undefined;

  if (options.locations && storeNumber !== undefined) {
    const location = locationsByStore.get(storeNumber.trim());
    if (location?.id) draft.fields.location = location.id;
    if (!location) {
      const padded = [...locationsByStore.keys()].find((known) => known !== storeNumber && known.replace(/^0+/, '') === storeNumber.replace(/^0+/, ''));
      problem(
        header('store_number'),
        padded
          ? `no store has ${header('store_number')} ${storeNumber}, but ${padded} does: the spreadsheet probably dropped its leading zeros; format the column as text and type ${padded}`
          : `no store has ${header('store_number')} ${storeNumber}; fix the number, or add the store on the Locations sheet and sync it first`,
        'store_number',
      );
    }
  }

  if (options.templates && templateName !== undefined) {
    const matches = templatesByName.get(templateNameKey(templateName)) ?? [];
    if (matches.length === 0) {
      const names = [...new Set([...templatesByName.values()].flat().map((template) => template.name))];
      const suggestion = closest(templateName, names);
      problem(
        header('template'),
        suggestion
          ? `there is no template named "${templateName}"; did you mean "${suggestion}"?`
          : names.length
            ? `there is no template named "${templateName}"; use one of ${listNames(names)}, or add it on the Templates sheet`
            : `there is no template named "${templateName}"; add it on the Templates sheet and sync it first`,
        'template',
      );
      return;
    }
    if (matches.length > 1) {
      problem(header('template'), `several templates are named "${templateName}"; rename all but one on the Templates sheet`, 'template');
      return;
    }
    const template = matches[0];
    if (!template) return;
    if (template.id) draft.fields.template_id = template.id;
    if (template.is_active === false && !draft.id) {
      problem(header('template'), `the template "${template.name}" is inactive; pick an active template, or reactivate it on the Templates sheet`, 'template');
    }
    // Customizations are sent for new campaigns and whenever the sheet has extra columns.
    if (hasExtras || !draft.id) {
      for (const variable of missingRequiredVariables(template.required_variables ?? [], draft.extras)) {
        const column = extraHeader(variable);
        problem(
          column ?? header('template'),
          column
            ? `the cell is empty, but the template "${template.name}" requires ${variable}; fill it in`
            : `the template "${template.name}" requires ${variable}; add a column headed "${variable}" and fill it in`,
          `customizations.${variable}`,
        );
      }
    }
  }

  const start = draft.fields.scheduled_start;
  const end = draft.fields.scheduled_end;
  if (typeof start === 'string' && typeof end === 'string' && end < start) {
    problem(header('scheduled_end'), `the end is before the start (${header('scheduled_start')}); make the campaign end after it starts`, 'scheduled_end');
  }
}

function checkTemplate(draft: Draft, header: (field: string) => string, problem: ProblemFn) {
  const source = draft.fields.content_template;
  if (typeof source === 'string') {
    try {
      parseTemplate(source);
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      problem(header('content_template'), `the template has a Liquid error (${error.message}); fix the template text`, 'content_template');
    }
  }
  const variables = draft.fields.required_variables;
  if (Array.isArray(variables)) {
    const seen = new Set<string>();
    for (const variable of variables as string[]) {
      if (!IDENTIFIER.test(variable) || variable.length > 100) {
        const suggestion = variable.replace(/^campaign\./, '').replace(/[^A-Za-z0-9_]+/g, '_').replace(/^(\d)/, '_$1');
        problem(
          header('required_variables'),
          `"${variable}" is not a variable name; use letters, digits and underscores${IDENTIFIER.test(suggestion) ? ` (e.g. ${suggestion})` : ''}, separated by commas`,
          'required_variables',
        );
      } else if (seen.has(variable)) {
        problem(header('required_variables'), `${variable} is listed more than once; list it once`, 'required_variables');
      }
      seen.add(variable);
    }
  }
}

function buildPayload(kind: SheetKind, draft: Draft, mapping: HeaderMapping): LocationPayload | CampaignPayload | TemplatePayload {
  const fields = draft.fields;
  const str = (field: string) => (typeof fields[field] === 'string' ? fields[field] : undefined);
  const mapped = (field: string) => mapping.fields[field] !== undefined;
  const hasExtras = mapping.extras.length > 0;
  switch (kind) {
    case 'locations': {
      const payload: LocationPayload = { name: str('name') ?? '', store_number: str('store_number') ?? '' };
      const parts = ['street', 'city', 'state', 'zip', 'country'] as const;
      if (parts.some(mapped)) {
        payload.address = {};
        for (const part of parts) {
          const value = str(part);
          if (value !== undefined) payload.address[part] = value;
        }
      }
      if (hasExtras) payload.attributes = { ...draft.extras };
      if (typeof fields.is_active === 'boolean') payload.is_active = fields.is_active;
      return payload;
    }
    case 'campaigns': {
      const payload: CampaignPayload = { store_number: str('store_number') ?? '', template_name: str('template') ?? '' };
      if (typeof fields.location === 'string') payload.location = fields.location;
      if (typeof fields.template_id === 'string') payload.template = fields.template_id;
      if (hasExtras || !draft.id) payload.customizations = { ...draft.extras };
      if (mapped('scheduled_start')) payload.scheduled_start = str('scheduled_start') ?? null;
      if (mapped('scheduled_end')) payload.scheduled_end = str('scheduled_end') ?? null;
      return payload;
    }
    case 'templates': {
      const payload: TemplatePayload = { name: str('name') ?? '', campaign_type: str('campaign_type') ?? '' };
      const content = str('content_template');
      if (content !== undefined) payload.content_template = content;
      if (mapped('description')) payload.description = str('description') ?? '';
      if (mapped('required_variables')) payload.required_variables = Array.isArray(fields.required_variables) ? (fields.required_variables as string[]) : [];
      if (typeof fields.is_active === 'boolean') payload.is_active = fields.is_active;
      return payload;
    }
  }
}

/** A problem as one line for the pane: `Row 7 · Store #: Store # is empty; fill in the store #`. */
export function describeProblem(problem: RowProblem): string {
  const where = problem.column ? `Row ${problem.row} · ${problem.column}` : `Row ${problem.row}`;
  return `${where}: ${problem.message}`;
}
