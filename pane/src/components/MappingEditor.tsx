import { Badge, makeStyles, MessageBar, MessageBarBody, Select, Text, tokens } from '@fluentui/react-components';
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
import { useId } from 'react';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  // Task panes are narrow (Excel 350 px, Sheets 300 px): the column's name above, its select the
  // whole width below, so "attribute region (automatic)" is never cut off. Wider panes put them
  // side by side.
  item: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr)',
    rowGap: tokens.spacingVerticalXXS,
    columnGap: tokens.spacingHorizontalM,
    alignItems: 'center',
    '@media (min-width: 480px)': { gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 3fr)' },
  },
  name: { overflowWrap: 'anywhere' },
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
  const captionId = useId();
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
      <Text size={200} weight="semibold" id={captionId}>
        Each column, synced as
      </Text>
      <ul className={styles.list} aria-labelledby={captionId}>
        {mapping.columns.map((column) => (
          <li key={column.index} className={styles.item}>
            <Text size={300} className={styles.name}>
              {column.header} {column.manual && <Badge appearance="outline" size="small">by hand</Badge>}
            </Text>
            <Select
              className={styles.select}
              aria-label={`Map column ${column.header}`}
              title={optionText(column, kind, manual)}
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
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What the select shows for a column, also as its tooltip (in case a very long label still does not fit). */
function optionText(column: ColumnMapping, kind: SheetKind, manual: ManualMapping): string {
  const choice = choiceOf(column, manual);
  if (choice === 'auto') return `${describe(column, kind)} (automatic)`;
  if (choice === 'ignore') return 'Do not sync';
  if (choice === 'extra') return EXTRA_TARGET[kind] === 'attributes' ? 'Location attribute' : 'Campaign customization';
  const field = choice.slice('field:'.length);
  return FIELDS[kind].find((def) => def.field === field)?.label ?? field;
}

/** Whether a mapping lets rows be read (no header errors). */
export function mappingIsUsable(headers: CellValue[], kind: SheetKind, manual: ManualMapping): boolean {
  return !mapHeaders(headers, kind, manual).problems.some((problem) => problem.severity === 'error');
}
