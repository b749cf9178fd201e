/**
 * The approval workflow from the sheet: submitting selected rows for review, and a Status cell a
 * person changed by hand, which asks the server for the matching transition. Either way the row
 * ends up showing what the server has (status, reviewer, comments), and a refusal is written into
 * its Sync Error cell and reported in the pane, so the cell never pretends a status it does not have.
 */
import {
  CAMPAIGN_STATUSES,
  TRANSITIONS,
  WORKFLOW_ACTIONS,
  type CampaignStatus,
  type RowProblem,
  type SyncResult,
  type WorkflowAction,
  withoutVersion,
} from '@storesync/core';
import type { StoreSyncClient } from '../api/client.ts';
import { ConflictError, describeError } from '../api/errors.ts';
import type { CampaignDetail, TransitionBody } from '../api/types.ts';
import type { Host, UserEdit } from '../host.ts';
import type { Connection } from './connections.ts';
import { rowTargets, type RowTarget } from './rows.ts';
import { readMapped, writeResults } from './table.ts';

export interface TransitionOutcome {
  /** 1-based row as read. */
  row: number;
  campaignId: string;
  action: WorkflowAction | null;
  ok: boolean;
  /** The status the row shows now (the server's). */
  status: CampaignStatus | null;
  message: string;
}

export interface ReviewDeps {
  host: Host;
  client: StoreSyncClient;
  connection: Connection;
  /**
   * Asked for comments when an action requires them (reject, request changes); `null` cancels.
   * Without it such a change is refused with a hint to use StoreSync.
   */
  askComments?: (request: { action: WorkflowAction; row: number }) => Promise<string | null>;
}

/** The one action that takes a campaign from `from` to `to`, if any (each action leaves exactly one status). */
export function actionBetween(from: CampaignStatus, to: CampaignStatus): WorkflowAction | null {
  return WORKFLOW_ACTIONS.find((action) => TRANSITIONS[action].from === from && TRANSITIONS[action].to === to) ?? null;
}

const isStatus = (value: string): value is CampaignStatus => (CAMPAIGN_STATUSES as readonly string[]).includes(value);

/** Writes each campaign's current server state into its row, and each refusal into its Sync Error cell. */
async function showOutcomes(deps: ReviewDeps, records: Map<string, { record: CampaignDetail; target: RowTarget }>, refusals: TransitionOutcome[]) {
  // Shown without row_version: the row's inputs were not refreshed, so its version must not move (table.ts).
  const results: SyncResult<'campaigns'>[] = [...records.values()].map(({ record, target }) => ({ ref: { ...target.ref, id: record.id }, record: withoutVersion(record) }));
  const problems: RowProblem[] = refusals.flatMap((outcome) => {
    const entry = records.get(outcome.campaignId);
    if (!entry) return [];
    return [{ row: outcome.row, column: 'Status', message: outcome.message, severity: 'error' as const, ref: { id: outcome.campaignId } }];
  });
  if (results.length === 0) return;
  await writeResults(deps.host, deps.connection.tableId, 'campaigns', deps.connection.manual, results, { problems });
}

async function transitionOne(deps: ReviewDeps, target: RowTarget, action: WorkflowAction, current: CampaignDetail): Promise<{ outcome: TransitionOutcome; record: CampaignDetail }> {
  const row = target.index + 1;
  const body: TransitionBody = {};
  if (TRANSITIONS[action].commentRequired) {
    const comments = deps.askComments ? await deps.askComments({ action, row }) : null;
    if (!comments?.trim()) {
      return {
        record: current,
        outcome: { row, campaignId: target.id, action, ok: false, status: current.status, message: `${action.replace('_', ' ')} needs comments; the status was put back` },
      };
    }
    body.comments = comments.trim();
  }
  if (action === 'schedule') {
    if (target.scheduledStart) body.scheduled_start = target.scheduledStart;
    if (target.scheduledEnd) body.scheduled_end = target.scheduledEnd;
  }
  try {
    const record = await deps.client.transition(target.id, action, body);
    return { record, outcome: { row, campaignId: target.id, action, ok: true, status: record.status, message: `now ${record.status.replace('_', ' ')}` } };
  } catch (error) {
    // The server refused (not allowed now, not your role, missing copy…): show what it has instead.
    const latest = await deps.client.getCampaign(target.id).catch(() => current);
    const reason = error instanceof ConflictError ? error.message : describeError(error);
    return { record: latest, outcome: { row, campaignId: target.id, action, ok: false, status: latest.status, message: `refused: ${reason}` } };
  }
}

/** Submits the selected rows (or given 0-based rows) for review. */
export async function submitRows(deps: ReviewDeps, scope: 'selected' | number[] = 'selected'): Promise<{ outcomes: TransitionOutcome[]; unsynced: number[] }> {
  const { targets, unsynced } = await rowTargets(deps.host, deps.connection, scope);
  const records = new Map<string, { record: CampaignDetail; target: RowTarget }>();
  const outcomes: TransitionOutcome[] = [];
  // One at a time: a handful of rows per click, and the server checks each on its own.
  for (const target of targets) {
    const current = await deps.client.getCampaign(target.id);
    if (current.status !== 'draft') {
      records.set(target.id, { record: current, target });
      outcomes.push({ row: target.index + 1, campaignId: target.id, action: 'submit', ok: false, status: current.status, message: `not submitted: it is ${current.status.replace('_', ' ')}, only drafts can be submitted` });
      continue;
    }
    const { outcome, record } = await transitionOne(deps, target, 'submit', current);
    records.set(target.id, { record, target });
    outcomes.push(outcome);
  }
  await showOutcomes(deps, records, outcomes.filter((outcome) => !outcome.ok));
  return { outcomes, unsynced };
}

/**
 * A person's edit: for every edited row whose Status cell now differs from the server's status,
 * asks for the transition that leads there. Rows that did not touch the Status column are ignored.
 */
export async function applyStatusEdit(deps: ReviewDeps, edit: UserEdit): Promise<TransitionOutcome[]> {
  if (deps.connection.kind !== 'campaigns' || edit.tableId !== deps.connection.tableId) return [];
  const { mapping } = await readMapped(deps.host, deps.connection.tableId, 'campaigns', deps.connection.manual);
  const statusColumn = mapping.fields.status;
  if (statusColumn === undefined || statusColumn < edit.column || statusColumn >= edit.column + edit.columnCount) return [];
  const rows: number[] = [];
  for (let row = Math.max(1, edit.row); row < edit.row + edit.rowCount; row += 1) rows.push(row);
  // A paste over a whole column is not a series of workflow decisions; leave big edits to a sync.
  if (rows.length === 0 || rows.length > 50) return [];

  const { targets } = await rowTargets(deps.host, deps.connection, rows);
  const records = new Map<string, { record: CampaignDetail; target: RowTarget }>();
  const outcomes: TransitionOutcome[] = [];
  for (const target of targets) {
    const row = target.index + 1;
    const current = await deps.client.getCampaign(target.id);
    const wanted = target.status;
    if (wanted === null || wanted === current.status) continue;
    records.set(target.id, { record: current, target });
    if (!isStatus(wanted)) {
      outcomes.push({ row, campaignId: target.id, action: null, ok: false, status: current.status, message: `"${wanted}" is not a status; use one of ${CAMPAIGN_STATUSES.join(', ')}` });
      continue;
    }
    const action = actionBetween(current.status, wanted);
    if (!action) {
      const allowed = current.allowed_actions.map((name) => `${name} (→ ${TRANSITIONS[name].to})`).join(', ');
      outcomes.push({ row, campaignId: target.id, action: null, ok: false, status: current.status, message: `a ${current.status.replace('_', ' ')} campaign cannot become ${wanted.replace('_', ' ')}; allowed: ${allowed || 'none'}` });
      continue;
    }
    const { outcome, record } = await transitionOne(deps, target, action, current);
    records.set(target.id, { record, target });
    outcomes.push(outcome);
  }
  await showOutcomes(deps, records, outcomes.filter((outcome) => !outcome.ok));
  return outcomes;
}
