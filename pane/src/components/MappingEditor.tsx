import { Badge, makeStyles, MessageBar, MessageBarBody, Select, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, tokens } from '@fluentui/react-components';
import {
  EXTRA_TARGET,
  extraKey,
  FIELDS,
  forgetMapping,
  headerKey,
  mapHeaders,
  rememberMapping,
  type CellValue,
  type ColumnMapping,
  type ManualMapping,
  type SheetKind,
} from '@storesync/core';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  // The pane is narrow (Excel's is ~320 px): the select gets the room, the header wraps.
  header: { width: '40%', wordBreak: 'break-word' },
  select: { width: '100%', minWidth: 0 },
});

/** What a column is, as the select's value: the engine's decision (`auto`) or a hand mapping. */
function choiceOf(column: ColumnMapping, manual: ManualMapping): string {
  const hand = manual[headerKey(column.header)];
  if (!hand) return 'auto';
  if ('field' in hand) return `field:${hand.field}`;
  if ('extra' in hand) return 'extra';
  return 'ignore';
}

function describe(column: ColumnMapping, kind: SheetKind): string {
  if (column.field) return FIELDS[kind].find((def) => def.field === column.field)?.label ?? column.field;
  if (column.role === 'extra') return `${EXTRA_TARGET[kind] === 'attributes' ? 'attribute' : 'customization'} ${column.extraKey ?? ''}`;
  return 'not synced';
}

/**
 * The column mapping the engine proposes for a header row, editable by hand. Hand choices are
 * kept by normalised header (`rememberMapping`), so they survive moved and inserted columns.
 */
export function MappingEditor({ headers, kind, manual, onChange }: { headers: CellValue[]; kind: SheetKind; manual: ManualMapping; onChange: (manual: ManualMapping) => void }) {
  const styles = useStyles();
  const mapping = mapHeaders(headers, kind, manual);
  const extraTarget = EXTRA_TARGET[kind];

  const choose = (column: ColumnMapping, value: string) => {
    if (value === 'auto') onChange(forgetMapping(manual, column.header));
    else if (value === 'ignore') onChange(rememberMapping(manual, column.header, { ignore: true }));
    else if (value === 'extra') onChange(rememberMapping(manual, column.header, { extra: extraKey(column.header) }));
    else onChange(rememberMapping(manual, column.header, { field: value.slice('field:'.length) }));
  };
  const errors = mapping.problems.filter((problem) => problem.severity === 'error');

  return (
    <div className={styles.root}>
      {errors.map((problem) => (
        <MessageBar key={`${problem.column}:${problem.message}`} intent="error">
          <MessageBarBody>
            {problem.column}: {problem.message}
          </MessageBarBody>
        </MessageBar>
      ))}
      <Table size="small" aria-label="Column mapping">
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.header}>Column</TableHeaderCell>
            <TableHeaderCell>Synced as</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {mapping.columns.map((column) => (
            <TableRow key={column.index}>
              <TableCell className={styles.header}>
                {column.header} {column.manual && <Badge appearance="outline" size="small">by hand</Badge>}
              </TableCell>
              <TableCell>
                <Select
                  className={styles.select}
                  aria-label={`Map column ${column.header}`}
                  value={choiceOf(column, manual)}
                  onChange={(_, data) => choose(column, data.value)}
                >
                  <option value="auto">{describe(column, kind)} (automatic)</option>
                  {FIELDS[kind].map((def) => (
                    <option key={def.field} value={`field:${def.field}`}>
                      {def.label}
                    </option>
                  ))}
                  {extraTarget && <option value="extra">{extraTarget === 'attributes' ? 'Location attribute' : 'Campaign customization'}</option>}
                  <option value="ignore">Do not sync</option>
                </Select>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/** Whether a mapping lets rows be read (no header errors). */
export function mappingIsUsable(headers: CellValue[], kind: SheetKind, manual: ManualMapping): boolean {
  return !mapHeaders(headers, kind, manual).problems.some((problem) => problem.severity === 'error');
}
