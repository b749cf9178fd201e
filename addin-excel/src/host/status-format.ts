/**
 * The campaign Status column's decoration: a colour per status (conditional formatting, one
 * "cell value equals" rule per status, ExcelApi 1.6) and a list of the valid statuses (data
 * validation with an in-cell drop-down and a Stop alert, ExcelApi 1.8; skipped where Excel lacks
 * it). Applied to the table column's data body, so Excel extends both to rows added later.
 *
 * Every style sets its fill AND its font colour, so a cell reads the same in Excel's light and
 * dark themes (cell fills are not re-coloured by the Office theme): each pair has a contrast of at
 * least 4.5:1 (WCAG AA), and the fills stay apart from each other and from white and Excel's dark
 * grid (test/status-format.test.ts checks both).
 */
import { CAMPAIGN_STATUSES, detectSheetKind, recogniseHeader, type CampaignStatus, type CellValue } from '@storesync/core';

export interface StatusStyle {
  /** Cell fill, `#RRGGBB`. */
  fill: string;
  /** Text colour, `#RRGGBB`. */
  font: string;
}

export const STATUS_STYLES: Readonly<Record<CampaignStatus, StatusStyle>> = Object.freeze({
  draft: { fill: '#D9D9D9', font: '#262626' }, // grey
  pending_review: { fill: '#FFD966', font: '#5C3B00' }, // amber
  approved: { fill: '#C6EFCE', font: '#0B5D1E' }, // green
  rejected: { fill: '#FFC7CE', font: '#9C0006' }, // red
  scheduled: { fill: '#BDD7EE', font: '#1F3864' }, // blue
  active: { fill: '#9FE0D8', font: '#00443C' }, // teal
  completed: { fill: '#595959', font: '#FFFFFF' }, // dark grey
});

/** The data validation list: the statuses as the API spells them (and as the plan writes them). */
export const STATUS_LIST_SOURCE = CAMPAIGN_STATUSES.join(',');

export const STATUS_ERROR_ALERT: Excel.DataValidationErrorAlert = {
  showAlert: true,
  style: 'Stop',
  title: 'Campaign status',
  message: `Choose one of: ${CAMPAIGN_STATUSES.join(', ')}. StoreSync asks the server for the change and puts the cell back if it is not allowed.`,
};

/**
 * The table column (0-based) of the campaign Status column in a header row, or -1: the header must
 * be recognised as `status` and the table must look like a campaign table, so that a location
 * table's own "Status" column is never touched.
 */
export function findStatusColumn(header: readonly CellValue[] | undefined): number {
  if (!header || detectSheetKind(header) !== 'campaigns') return -1;
  return header.findIndex((cell) => recogniseHeader('campaigns', cell)?.field === 'status');
}

export interface StatusFormatParts {
  /** Add the colour rules. */
  colours: boolean;
  /** Set the list validation (the caller cleared or checked the range's validation). */
  validation: boolean;
}

/** Queues the colour rules and the status list on `range` (the Status column's data body). */
export function queueStatusFormat(range: Excel.Range, parts: StatusFormatParts): void {
  if (parts.colours) {
    for (const status of CAMPAIGN_STATUSES) {
      const style = STATUS_STYLES[status];
      const rule = range.conditionalFormats.add('CellValue').cellValue;
      rule.format.fill.color = style.fill;
      rule.format.font.color = style.font;
      rule.rule = { formula1: `="${status}"`, operator: 'EqualTo' };
    }
  }
  if (parts.validation) {
    range.dataValidation.rule = { list: { inCellDropDown: true, source: STATUS_LIST_SOURCE } };
    range.dataValidation.errorAlert = STATUS_ERROR_ALERT;
  }
}
