/**
 * The campaign approval workflow: the spec's state machine plus the transitions it forgot
 * (revise, request_changes, schedule, activate, complete). Pure data and functions, shared by
 * the API, the worker and the add-ins.
 */
export const CAMPAIGN_STATUSES = [
  'draft',
  'pending_review',
  'approved',
  'rejected',
  'scheduled',
  'active',
  'completed',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const APPROVAL_DECISIONS = [
  'submitted',
  'approved',
  'rejected',
  'requested_changes',
  'revised',
  'scheduled',
  'activated',
  'completed',
  'content_edited',
] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

export const WORKFLOW_ACTIONS = [
  'submit',
  'approve',
  'reject',
  'request_changes',
  'revise',
  'schedule',
  'activate',
  'complete',
] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

/**
 * Who may take a transition:
 * - `editor`: anyone who may change the campaign (not viewers);
 * - `manager`: admins and brand managers;
 * - `reviewer`: admins and brand managers, and never on a campaign they created themselves.
 */
export type TransitionActor = 'editor' | 'manager' | 'reviewer';

export interface Transition {
  /** Each action leaves exactly one status, so the audit trail's previous status is certain. */
  from: CampaignStatus;
  to: CampaignStatus;
  decision: ApprovalDecision;
  actor: TransitionActor;
  commentRequired: boolean;
}

export const TRANSITIONS: Record<WorkflowAction, Transition> = {
  submit: { from: 'draft', to: 'pending_review', decision: 'submitted', actor: 'editor', commentRequired: false },
  approve: { from: 'pending_review', to: 'approved', decision: 'approved', actor: 'reviewer', commentRequired: false },
  reject: { from: 'pending_review', to: 'rejected', decision: 'rejected', actor: 'reviewer', commentRequired: true },
  request_changes: {
    from: 'pending_review',
    to: 'draft',
    decision: 'requested_changes',
    actor: 'reviewer',
    commentRequired: true,
  },
  revise: { from: 'rejected', to: 'draft', decision: 'revised', actor: 'editor', commentRequired: false },
  schedule: { from: 'approved', to: 'scheduled', decision: 'scheduled', actor: 'manager', commentRequired: false },
  activate: { from: 'scheduled', to: 'active', decision: 'activated', actor: 'manager', commentRequired: false },
  complete: { from: 'active', to: 'completed', decision: 'completed', actor: 'manager', commentRequired: false },
};

/** Actions that leave `status`, in a stable order. */
export function allowedActions(status: CampaignStatus): WorkflowAction[] {
  return WORKFLOW_ACTIONS.filter((action) => TRANSITIONS[action].from === status);
}

export function canTransition(status: CampaignStatus, action: WorkflowAction): boolean {
  return TRANSITIONS[action].from === status;
}

/** Statuses in which the campaign's copy, customizations and schedule may still be edited. */
export const EDITABLE_STATUSES: readonly CampaignStatus[] = ['draft', 'pending_review', 'approved', 'rejected'];

/**
 * Statuses from which an edit of the generated content sends the campaign back to draft,
 * because a reviewer saw (or is about to see) different copy.
 */
export const CONTENT_EDIT_RESETS: readonly CampaignStatus[] = ['pending_review', 'approved'];

/**
 * Statuses whose copy a generation may replace. Reviewed copy is kept: a campaign goes back to
 * draft (request_changes, revise) before it gets new copy. The API checks it when queueing and
 * the worker again when storing, since a reviewer may move the campaign on meanwhile.
 */
export const GENERATABLE_STATUSES = ['draft', 'rejected'] as const satisfies readonly CampaignStatus[];

export const isGeneratable = (status: CampaignStatus) => (GENERATABLE_STATUSES as readonly CampaignStatus[]).includes(status);
