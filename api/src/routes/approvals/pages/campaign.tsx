/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { fullAddress } from '@storesync/core';
import type { FC } from 'hono/jsx';
import { fullName } from '../../users/users.schemas.ts';
import { toApprovalStepJson } from '../../campaigns/campaigns.serializers.ts';
import { wordDiff, type Segment } from '../diff.ts';
import type { Flash } from '../session.ts';
import { whyNoDecision, type CampaignView } from '../view.ts';
import type { AuthUser } from '../../../lib/types.ts';
import { CsrfField, formatTime, Layout, Notice, statusLabel, type PageSession } from './layout.tsx';

const Text: FC<{ segments: Segment[]; mark: 'ins' | 'del' }> = ({ segments, mark }) => (
  <p class="text">{segments.map((segment) => (segment.changed ? (mark === 'ins' ? <ins>{segment.text}</ins> : <del>{segment.text}</del>) : segment.text))}</p>
);

const Compare: FC<{ copy: string; rendered: string }> = ({ copy, rendered }) => {
  const diff = wordDiff(rendered, copy);
  return (
    <section aria-labelledby="compare-title">
      <h2 id="compare-title">Copy and the template it came from</h2>
      <div class="compare">
        <div>
          <h3>Generated copy</h3>
          {copy ? diff ? <Text segments={diff.copy} mark="ins" /> : <p class="text">{copy}</p> : <p class="muted">No copy yet.</p>}
        </div>
        <div>
          <h3>Template, rendered for this store</h3>
          {diff ? <Text segments={diff.template} mark="del" /> : <p class="text">{rendered}</p>}
        </div>
      </div>
      <p class="small muted">
        {diff ? (
          <>
            Marked: <ins>words the copy adds</ins> and <del>template words it leaves out</del>.
          </>
        ) : (
          'The copy and the template differ too much to mark the changes word by word.'
        )}
      </p>
    </section>
  );
};

export interface DecisionDraft {
  comments: string;
  /** The comment field was required and empty. */
  commentsMissing: boolean;
}

/**
 * Where decisions go: the signed-in page posts with the session's CSRF token; an emailed link
 * posts back to itself, its secret token in the URL doing the CSRF token's work.
 */
export interface DecisionTarget {
  viewer: AuthUser;
  action: string;
  csrf?: string | undefined;
}

const DecisionForm: FC<{ view: CampaignView; target: DecisionTarget; draft: DecisionDraft | undefined }> = ({ view, target, draft }) => {
  const { campaign } = view;
  const refusal = whyNoDecision(target.viewer, campaign);
  if (refusal) {
    return (
      <section aria-labelledby="decide-title">
        <h2 id="decide-title">Decision</h2>
        <p>{refusal}</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="decide-title" class="decide">
      <h2 id="decide-title">Decision</h2>
      <form method="post" action={target.action} data-enhance>
        {target.csrf && <CsrfField token={target.csrf} />}
        <input type="hidden" name="row_version" value={String(campaign.rowVersion)} />
        <label for="comments">
          Comment <span class="hint">(required to request changes or reject)</span>
        </label>
        <textarea
          id="comments"
          name="comments"
          rows={3}
          maxlength={10000}
          aria-invalid={draft?.commentsMissing ? 'true' : undefined}
          aria-describedby={draft?.commentsMissing ? 'comments-error' : undefined}
        >
          {draft?.comments ?? ''}
        </textarea>
        {draft?.commentsMissing && (
          <p id="comments-error" class="small">
            Write what the author should change.
          </p>
        )}
        <div class="actions">
          <button type="submit" name="decision" value="approve" class="primary">
            Approve
          </button>
          <button type="submit" name="decision" value="request_changes">
            Request changes
          </button>
          <button type="submit" name="decision" value="reject" class="danger">
            Reject
          </button>
        </div>
      </form>
    </section>
  );
};

const Details: FC<{ entries: [string, unknown][] }> = ({ entries }) => (
  <dl>
    {entries.map(([name, value]) => (
      <>
        <dt>{name}</dt>
        <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
      </>
    ))}
  </dl>
);

const objectEntries = (value: unknown): [string, unknown][] =>
  value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];

export interface CampaignPageProps {
  /** Absent on a page opened from an emailed link without signing in. */
  session?: PageSession | undefined;
  target: DecisionTarget;
  view: CampaignView;
  notice: Flash | undefined;
  draft?: DecisionDraft | undefined;
  /** After a decision: the next campaign waiting for this reviewer. */
  next?: { id: string; label: string } | null | undefined;
}

export const CampaignPage: FC<CampaignPageProps> = ({ session, target, view, notice, draft, next }) => {
  const { campaign } = view;
  const title = `${campaign.location.name} · ${campaign.template.name}`;
  return (
    <Layout title={title} session={session}>
      <p class="small">
        <a href="/approvals">← Back to the queue</a>
      </p>
      <h1>{title}</h1>
      <p class="muted">
        <span class={`badge ${campaign.status}`}>{statusLabel(campaign.status)}</span>
        {` ${view.brandName} · store #${campaign.location.storeNumber} · revision ${campaign.rowVersion}`}
        {campaign.createdBy ? ` · by ${fullName(campaign.createdBy)}` : ''}
        {campaign.submittedAt ? ` · submitted ${formatTime(campaign.submittedAt)}` : ''}
      </p>
      <Notice flash={notice} />
      {next && (
        <p>
          Next waiting for you: <a href={`/approvals/campaigns/${next.id}`}>{next.label}</a>
        </p>
      )}
      <Compare copy={campaign.generatedContent} rendered={view.rendered} />
      <DecisionForm view={view} target={target} draft={draft} />
      <section aria-labelledby="location-title">
        <h2 id="location-title">Location</h2>
        <Details
          entries={[
            ['Name', campaign.location.name],
            ['Store number', campaign.location.storeNumber],
            ['Address', fullAddress(campaign.location.address as Record<string, unknown>) || 'not set'],
            ...objectEntries(campaign.location.attributes),
          ]}
        />
        <h3>Customizations</h3>
        <Details entries={objectEntries(campaign.customizations)} />
      </section>
      <section aria-labelledby="schedule-title">
        <h2 id="schedule-title">Schedule</h2>
        <Details
          entries={[
            ['Starts', campaign.scheduledStart ? formatTime(campaign.scheduledStart) : 'not set'],
            ['Ends', campaign.scheduledEnd ? formatTime(campaign.scheduledEnd) : 'not set'],
          ]}
        />
      </section>
      <section aria-labelledby="examples-title">
        <h2 id="examples-title">Approved examples the copy was based on</h2>
        {view.examples.length === 0 && view.hiddenExamples === 0 ? (
          <p class="muted">None: the copy was written without examples, or by hand.</p>
        ) : (
          <ul>
            {view.examples.map((example) => (
              <li>
                <a href={`/approvals/campaigns/${example.id}`}>{`${example.location.name} · ${example.template.name}`}</a>
                {` (${statusLabel(example.status)})`}
                <p class="text small">{example.generatedContent}</p>
              </li>
            ))}
            {view.hiddenExamples > 0 && <li class="muted">{`${view.hiddenExamples} from locations you do not see`}</li>}
          </ul>
        )}
      </section>
      <section aria-labelledby="versions-title">
        <h2 id="versions-title">Versions of the copy</h2>
        {view.versions.length === 0 ? (
          <p class="muted">No generated versions: the copy was written by hand.</p>
        ) : (
          <ol class="history" reversed>
            {view.versions.map((version) => (
              <li>
                <details>
                  <summary>
                    {`Version ${version.versionNumber} · ${formatTime(version.createdAt)} · ${version.provider} ${version.model}`}
                    {version.id === campaign.currentVersionId ? ' · current' : ''}
                    {version.status === 'failed' ? ` · failed: ${version.failureReason ?? 'checks'}` : ''}
                  </summary>
                  <p class="text">{version.content}</p>
                </details>
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">Approval history</h2>
        {campaign.approvalSteps.length === 0 ? (
          <p class="muted">Nothing yet.</p>
        ) : (
          <ol class="history" reversed>
            {campaign.approvalSteps.map(toApprovalStepJson).map((step) => (
              <li>
                <strong>{step.decision.replace('_', ' ')}</strong>
                {` by ${step.approver_name} · ${formatTime(new Date(step.created_at))} · ${statusLabel(step.previous_status)} → ${statusLabel(step.new_status)}`}
                {step.comments && <p class="text small">{step.comments}</p>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </Layout>
  );
};
