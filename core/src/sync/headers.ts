/**
 * Header mapping: which column holds which field, recognised by header text, never by position.
 *
 * - {@link normalizeHeader} makes headers comparable: accents, case, spacing, punctuation,
 *   camelCase, bracketed notes (`Name (required)`) and `#` / `No` / `No.` / `Nr` / `Num` / `Nbr`
 *   (all read as "number") do not matter, so `Store #`, `STORE NO.`, `store_number` and
 *   `StoreNumber` are the same header.
 * - Columns a person maps by hand win over aliases. A {@link ManualMapping} is keyed by the
 *   normalised header, so it survives moved and inserted columns; hosts keep one per sheet (Excel:
 *   `worksheet.customProperties`; Sheets: developer metadata on the sheet) as JSON.
 * - Any other column of a location row becomes an `attributes` key, of a campaign row a
 *   `customizations` key ({@link extraKey}: `Sale Type` → `sale_type`); the Templates sheet
 *   ignores other columns.
 * - Problems (row 1): a required column missing, two columns for one field or one extra key, a
 *   hand mapping to a field this sheet does not have.
 */
import { EXTRA_TARGET, FIELDS, type FieldDef, type FieldRole } from './fields.ts';
import { cellText } from './values.ts';
import type { CellValue, RowProblem, SheetKind } from './types.ts';

export type MappingTarget = { field: string } | { extra: string } | { ignore: true };

/** Hand-made mappings of one sheet, keyed by {@link headerKey} of the header. */
export type ManualMapping = Record<string, MappingTarget>;

export interface ColumnMapping {
  /** 0-based column index (0 = A). */
  index: number;
  /** The header as written in the sheet, trimmed. */
  header: string;
  role: FieldRole | 'extra' | 'ignored';
  /** The field of an id, input, output or info column. */
  field?: string;
  /** The attributes/customizations key of an extra column. */
  extraKey?: string;
  /** Mapped by hand rather than recognised. */
  manual: boolean;
}

export interface HeaderMapping<K extends SheetKind = SheetKind> {
  kind: K;
  /** Every column with a header, in sheet order. */
  columns: ColumnMapping[];
  /** Column index of each mapped field. */
  fields: Partial<Record<string, number>>;
  /** Other columns: attributes (locations) or customizations (campaigns). */
  extras: ColumnMapping[];
  /** Columns that take no part (hand-ignored, duplicates, other columns of the Templates sheet). */
  ignored: ColumnMapping[];
  /** Header problems; any `error` means no row can be read until it is fixed. */
  problems: RowProblem[];
  /** Index after the last non-blank header. */
  width: number;
}

const NUMBER_WORDS = new Set(['no', 'nr', 'num', 'nbr', 'number']);

/** `Store No.` → `store number`; `StoreSync ID` → `store sync id`. */
export function normalizeHeader(header: CellValue | undefined): string {
  const text = cellText(header)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .replace(/#/g, ' number ');
  return text
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((token) => (NUMBER_WORDS.has(token) ? 'number' : token))
    .join(' ');
}

/** What headers are compared by: the normalised header without spaces (`Zip Code` = `ZipCode`). */
export function headerKey(header: CellValue | undefined): string {
  return normalizeHeader(header).replace(/ /g, '');
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The attributes/customizations key of an extra column: snake_case of the header
 * (`Sale Type` → `sale_type`, `Discount %` → `discount_percent`, `# of Lanes` → `number_of_lanes`,
 * `2024 Sales` → `_2024_sales`). `''` when the header has no letters or digits.
 */
export function extraKey(header: string): string {
  const words = header
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/#/g, ' number ')
    .replace(/%/g, ' percent ')
    .replace(/&/g, ' and ')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const key = words.join('_');
  return /^\d/.test(key) ? `_${key}` : key;
}

/** `A`, `B`, …, `Z`, `AA`, … for a 0-based column index. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** How problems name a column: its header, or `column F` when it has none. */
export function columnName(header: string, index: number): string {
  return header.trim() === '' ? `column ${columnLetter(index)}` : header.trim();
}

const lookups = new Map<SheetKind, Map<string, FieldDef>>();

function aliasLookup(kind: SheetKind): Map<string, FieldDef> {
  let lookup = lookups.get(kind);
  if (!lookup) {
    lookup = new Map();
    for (const def of FIELDS[kind]) {
      for (const alias of [def.field, def.label, ...def.aliases]) {
        const key = headerKey(alias);
        const existing = lookup.get(key);
        if (existing && existing !== def) throw new Error(`alias "${alias}" of ${kind} means both ${existing.field} and ${def.field}`);
        lookup.set(key, def);
      }
    }
    lookups.set(kind, lookup);
  }
  return lookup;
}

/** The field a header is recognised as on a sheet of `kind`, without hand mappings. */
export function recogniseHeader(kind: SheetKind, header: CellValue | undefined): FieldDef | undefined {
  return aliasLookup(kind).get(headerKey(header));
}

/** A copy of `manual` where `header` maps to `target` (keyed by its normalised form). */
export function rememberMapping(manual: ManualMapping, header: string, target: MappingTarget): ManualMapping {
  return { ...manual, [headerKey(header)]: target };
}

export function forgetMapping(manual: ManualMapping, header: string): ManualMapping {
  const copy = { ...manual };
  delete copy[headerKey(header)];
  return copy;
}

function headerProblem(column: string, message: string, field?: string): RowProblem {
  return { row: 1, column, message, severity: 'error', ...(field ? { field } : {}) };
}

function aliasHint(def: FieldDef): string {
  const names: string[] = [];
  for (const name of [def.label, ...def.aliases]) {
    if (!names.some((other) => other.toLowerCase() === name.toLowerCase())) names.push(name);
  }
  return names
    .slice(0, 3)
    .map((name) => `"${name}"`)
    .join(', ');
}

/** Maps a header row to fields; see the file header for the rules. */
export function mapHeaders<K extends SheetKind>(headerRow: readonly CellValue[], kind: K, manual: ManualMapping = {}): HeaderMapping<K> {
  const defs = FIELDS[kind];
  const extraTarget = EXTRA_TARGET[kind];
  const mapping: HeaderMapping<K> = { kind, columns: [], fields: {}, extras: [], ignored: [], problems: [], width: 0 };
  const extraColumns = new Map<string, ColumnMapping>();

  const candidates: { index: number; header: string; hand: MappingTarget | undefined }[] = [];
  headerRow.forEach((cell, index) => {
    const header = cellText(cell).trim();
    if (header === '') return;
    mapping.width = index + 1;
    const key = headerKey(header);
    candidates.push({ index, header, hand: Object.prototype.hasOwnProperty.call(manual, key) ? manual[key] : undefined });
  });
  // Hand mappings first, so a recognised column never takes a field a person gave to another one.
  const order = [...candidates.filter((c) => c.hand !== undefined), ...candidates.filter((c) => c.hand === undefined)];

  for (const { index, header, hand } of order) {
    const column: ColumnMapping = { index, header, role: 'ignored', manual: hand !== undefined };
    mapping.columns.push(column);

    let def: FieldDef | undefined;
    let extra: string | undefined;
    if (hand && 'field' in hand) {
      def = defs.find((candidate) => candidate.field === hand.field);
      if (!def) {
        mapping.problems.push(
          headerProblem(header, `"${header}" is mapped by hand to ${hand.field}, which a ${kind} sheet does not have; map it again`),
        );
      }
    } else if (hand && 'extra' in hand) {
      if (!extraTarget) {
        mapping.problems.push(headerProblem(header, `the Templates sheet has no extra columns; map "${header}" to a field or ignore it`));
      } else if (!IDENTIFIER.test(hand.extra)) {
        mapping.problems.push(
          headerProblem(header, `"${hand.extra}" is not a valid ${extraTarget} key; use letters, digits and underscores`),
        );
      } else extra = hand.extra;
    } else if (!hand) {
      def = recogniseHeader(kind, header);
      if (!def && extraTarget) extra = extraKey(header);
    }

    if (def) {
      const taken = mapping.fields[def.field];
      if (taken !== undefined) {
        const first = mapping.columns.find((other) => other.index === taken);
        mapping.problems.push(
          headerProblem(
            header,
            `"${first?.header ?? ''}" and "${header}" are both ${def.label} columns; rename or delete one, or map one by hand`,
            def.field,
          ),
        );
        mapping.ignored.push(column);
        continue;
      }
      column.role = def.role;
      column.field = def.field;
      mapping.fields[def.field] = index;
      continue;
    }
    if (extra !== undefined && extraTarget) {
      if (extra === '') {
        mapping.problems.push(
          headerProblem(header, `"${header}" cannot name a ${extraTarget} key; use a header with letters or digits, or ignore the column`),
        );
        mapping.ignored.push(column);
        continue;
      }
      const other = extraColumns.get(extra);
      if (other) {
        mapping.problems.push(
          headerProblem(
            header,
            `"${other.header}" and "${header}" both become the ${extraTarget} key ${extra}; rename one of them`,
            `${extraTarget}.${extra}`,
          ),
        );
        mapping.ignored.push(column);
        continue;
      }
      column.role = 'extra';
      column.extraKey = extra;
      extraColumns.set(extra, column);
      mapping.extras.push(column);
      continue;
    }
    mapping.ignored.push(column);
  }
  const byIndex = (a: ColumnMapping, b: ColumnMapping) => a.index - b.index;
  mapping.columns.sort(byIndex);
  mapping.extras.sort(byIndex);
  mapping.ignored.sort(byIndex);

  for (const def of defs) {
    if (def.required && mapping.fields[def.field] === undefined) {
      mapping.problems.push(
        headerProblem(
          def.label,
          `the sheet has no ${def.label} column; add a column headed ${aliasHint(def)}, or map an existing column to ${def.label} by hand`,
          def.field,
        ),
      );
    }
  }
  return mapping;
}

/**
 * The kind of sheet a header row looks like (every required column recognised, most columns
 * recognised wins), or `null`.
 */
export function detectSheetKind(headerRow: readonly CellValue[]): SheetKind | null {
  let best: { kind: SheetKind; score: number } | null = null;
  for (const kind of Object.keys(FIELDS) as SheetKind[]) {
    const found = new Set<string>();
    for (const cell of headerRow) {
      const def = recogniseHeader(kind, cell);
      if (def) found.add(def.field);
    }
    if (!FIELDS[kind].every((def) => !def.required || found.has(def.field))) continue;
    const score = found.size;
    if (!best || score > best.score) best = { kind, score };
  }
  return best?.kind ?? null;
}
