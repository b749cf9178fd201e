/**
 * Tells the add-in's own writes from a person's edits in table `onChanged` events.
 *
 * Excel raises `onChanged` for every change, the add-in's writes included, and a table's event
 * does not say who made it (`triggerSource` exists only on worksheet events, ExcelApi 1.14). So
 * the host keeps a ledger: every rectangle it wrote (worksheet coordinates, known after the call's
 * `context.sync()`), with the values it wrote. Events arrive after that sync; one whose every cell
 * lies in rectangles the add-in wrote while a plan was being applied, or within `graceMs` after it
 * finished, is the add-in's own. A single-cell event carries `details.valueAfter` (ExcelApi 1.9):
 * when it differs from what the add-in wrote there, a person typed over it, and it counts.
 *
 * What this cannot tell apart: a person typing the very value the add-in wrote, in a cell it just
 * wrote, within the grace period. That edit changes nothing, so nothing is lost.
 */
import type { CellValue } from '@storesync/core';
import { contains, intersect, type Rect } from './addresses.ts';

interface Entry {
  tableId: string;
  rect: Rect;
  /** The values written into `rect`, when the write was a values write. */
  values?: CellValue[][];
  /** Ms timestamp after which the entry no longer matches; Infinity while its plan runs. */
  expires: number;
  plan: number;
}

/** Events larger than this many cells are never matched cell by cell (they are a person's paste or a sort). */
const MAX_MATCH_CELLS = 1_000_000;

function sameCell(a: unknown, b: unknown): boolean {
  const text = (value: unknown) => {
    if (value === null || value === undefined) return '';
    return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  };
  return text(a) === text(b);
}

export class WriteLedger {
  private entries: Entry[] = [];
  private nextPlan = 1;
  private readonly running = new Map<number, string>();

  constructor(
    private readonly now: () => number,
    readonly graceMs: number,
  ) {}

  /** Starts a plan on `tableId`; its entries match until {@link end} plus the grace period. */
  begin(tableId: string): number {
    const plan = this.nextPlan++;
    this.running.set(plan, tableId);
    return plan;
  }

  /** Records a rectangle the plan wrote (worksheet coordinates). */
  record(plan: number, rect: Rect, values?: CellValue[][]): void {
    const tableId = this.running.get(plan);
    if (tableId === undefined) return;
    this.entries.push({ tableId, rect, values, expires: Number.POSITIVE_INFINITY, plan });
  }

  /** The plan is done (or failed): its entries expire `graceMs` from now. */
  end(plan: number): void {
    this.running.delete(plan);
    const expires = this.now() + this.graceMs;
    for (const entry of this.entries) if (entry.plan === plan) entry.expires = expires;
  }

  /** Whether a plan is being applied to `tableId` right now. */
  isWriting(tableId: string): boolean {
    for (const table of this.running.values()) if (table === tableId) return true;
    return false;
  }

  private live(tableId: string): Entry[] {
    const now = this.now();
    this.entries = this.entries.filter((entry) => entry.expires >= now);
    return this.entries.filter((entry) => entry.tableId === tableId);
  }

  /**
   * Whether a change event on `tableId` covering `rects` (worksheet coordinates) is the add-in's
   * own write. `valueAfter` is the event's single-cell `details.valueAfter`, when Excel gave it.
   */
  isOwnWrite(tableId: string, rects: readonly Rect[], valueAfter?: unknown): boolean {
    if (rects.length === 0) return false;
    const entries = this.live(tableId);
    if (entries.length === 0) return false;
    for (const rect of rects) if (!this.covered(entries, rect)) return false;
    const only = rects[0];
    if (valueAfter !== undefined && rects.length === 1 && only && only.rowCount === 1 && only.columnCount === 1) {
      // The latest write of that cell decides.
      for (let index = entries.length - 1; index >= 0; index -= 1) {
        const entry = entries[index];
        if (!entry?.values || !contains(entry.rect, only)) continue;
        const written = entry.values[only.row - entry.rect.row]?.[only.column - entry.rect.column];
        return sameCell(written, valueAfter);
      }
    }
    return true;
  }

  private covered(entries: readonly Entry[], rect: Rect): boolean {
    if (entries.some((entry) => contains(entry.rect, rect))) return true;
    const cells = rect.rowCount * rect.columnCount;
    if (cells > MAX_MATCH_CELLS) return false;
    const seen = new Uint8Array(cells);
    for (const entry of entries) {
      const overlap = intersect(entry.rect, rect);
      if (!overlap) continue;
      for (let r = overlap.row; r < overlap.row + overlap.rowCount; r += 1) {
        seen.fill(1, (r - rect.row) * rect.columnCount + (overlap.column - rect.column), (r - rect.row) * rect.columnCount + (overlap.column - rect.column) + overlap.columnCount);
      }
    }
    return seen.every((cell) => cell === 1);
  }
}
