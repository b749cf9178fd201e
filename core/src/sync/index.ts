/**
 * @storesync/core sync engine: the one engine behind the Excel task pane and the Sheets sidebar.
 * Host-free (no Office.js, no Apps Script, no Node APIs): it reads plain 2-D arrays of cell values
 * and returns plans that a host applies.
 *
 * The flow a host runs (README.md has it in full, with the rules hosts must follow):
 * `mapHeaders` → `readRows` (payloads + problems) → send → read the sheet again → `mapHeaders` →
 * `planWrites` (results located by identity) → apply `addColumns`, then per call each block's
 * `numberFormats` and then its `values`.
 *
 * Modules: types.ts (cells, sheets, limits, problems), fields.ts (columns per sheet kind),
 * headers.ts (header mapping), values.ts (typing, dates), rows.ts (payloads and validation),
 * identity.ts (which row a result belongs to), records.ts (server records → cells),
 * safety.ts (formula-safe text, truncation, byte sizes), plan.ts (write plans).
 */
export * from './types.ts';
export * from './fields.ts';
export * from './headers.ts';
export * from './values.ts';
export * from './safety.ts';
export * from './identity.ts';
export * from './records.ts';
export * from './rows.ts';
export * from './plan.ts';
export * from './contract.ts';
