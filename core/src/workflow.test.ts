import { describe, expect, it } from 'vitest';
import { allowedActions, CAMPAIGN_STATUSES, canTransition, TRANSITIONS, WORKFLOW_ACTIONS } from './workflow.ts';

describe('campaign workflow', () => {
  it('offers exactly these actions per status', () => {
    expect(Object.fromEntries(CAMPAIGN_STATUSES.map((status) => [status, allowedActions(status)]))).toEqual({
      draft: ['submit'],
      pending_review: ['approve', 'reject', 'request_changes'],
      approved: ['schedule'],
      rejected: ['revise'],
      scheduled: ['activate'],
      active: ['complete'],
      completed: [],
    });
  });

  it('never records "submitted" as a reviewer decision and requires comments to reject or request changes', () => {
    const reviewerDecisions = WORKFLOW_ACTIONS.filter((action) => TRANSITIONS[action].actor === 'reviewer').map(
      (action) => TRANSITIONS[action].decision,
    );
    expect(reviewerDecisions).toEqual(['approved', 'rejected', 'requested_changes']);
    expect(TRANSITIONS.reject.commentRequired && TRANSITIONS.request_changes.commentRequired).toBe(true);
  });

  it('lets every status except completed move on, and completed is terminal', () => {
    for (const status of CAMPAIGN_STATUSES) {
      expect(allowedActions(status).length > 0, status).toBe(status !== 'completed');
    }
    expect(canTransition('completed', 'revise')).toBe(false);
  });
});
