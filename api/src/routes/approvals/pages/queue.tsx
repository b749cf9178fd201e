/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { fullName } from '../../users/users.schemas.ts';
import { QUEUE_PAGE_SIZE, type FacetOption, type Queue, type QueueFilters, type QueueItem } from '../queue.ts';
import type { Flash } from '../session.ts';
import { CsrfField, Layout, Notice, waitedFor, type PageSession } from './layout.tsx';

const SNIPPET_LENGTH = 140;
const snippet = (text: string) => (text.length > SNIPPET_LENGTH ? `${text.slice(0, SNIPPET_LENGTH - 1).trimEnd()}…` : text);

export function queueHref(filters: QueueFilters, page = filters.page): string {
  const params = new URLSearchParams();
  if (filters.brand) params.set('brand', filters.brand);
  if (filters.template) params.set('template', filters.template);
  if (filters.location) params.set('location', filters.location);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/approvals?${query}` : '/approvals';
}

const Facet: FC<{ name: string; label: string; all: string; options: FacetOption[]; selected: string | undefined }> = (props) => (
  <div>
    <label for={`filter-${props.name}`}>{props.label}</label>
    <select id={`filter-${props.name}`} name={props.name}>
      <option value="">{props.all}</option>
      {props.options.map((option) => (
        <option value={option.id} selected={option.id === props.selected}>
          {`${option.label} (${option.count})`}
        </option>
      ))}
    </select>
  </div>
);

/** Checkboxes are labelled by their row's link, whose id is the row's position: short ids keep the page light. */
const QueueRow: FC<{ item: QueueItem; index: number; selectable: boolean; userId: string }> = ({ item, index, selectable, userId }) => {
  const own = item.createdById === userId;
  return (
    <li>
      {selectable && !own ? (
        <input type="checkbox" name="campaign" value={`${item.id}:${item.rowVersion}`} aria-labelledby={`q${index}`} />
      ) : (
        <span class="own" />
      )}
      <div class="what">
        <a id={`q${index}`} href={`/approvals/campaigns/${item.id}`}>{`${item.location.name} · ${item.template.name}`}</a>
        <p class="small muted">
          {`${item.location.brand.name} · store #${item.location.storeNumber} · waiting ${waitedFor(item.submittedAt ?? item.createdAt)}`}
          {item.createdBy ? ` · by ${fullName(item.createdBy)}` : ''}
          {own ? ' · yours: another reviewer decides' : ''}
        </p>
        <p>{snippet(item.generatedContent)}</p>
      </div>
    </li>
  );
};

export interface QueuePageProps {
  session: PageSession;
  queue: Queue;
  filters: QueueFilters;
  /** Admins and brand managers: they get checkboxes and bulk approval. */
  canDecide: boolean;
  flash: Flash | undefined;
}

export const QueuePage: FC<QueuePageProps> = ({ session, queue, filters, canDecide, flash }) => {
  const pages = Math.max(1, Math.ceil(queue.total / QUEUE_PAGE_SIZE));
  const filtered = Boolean(filters.brand || filters.template || filters.location);
  return (
    <Layout title="Waiting for review" session={session}>
      <h1>{`Waiting for review (${queue.total}${filtered ? ` of ${queue.unfiltered}` : ''})`}</h1>
      <Notice flash={flash} />
      {!canDecide && <p class="notice">You can follow campaigns here; brand managers and admins take the decisions.</p>}
      <form method="get" action="/approvals" class="card filters" aria-label="Filter the queue">
        <Facet name="brand" label="Brand" all={`All brands (${queue.unfiltered})`} options={queue.brands} selected={filters.brand} />
        <Facet name="template" label="Template" all="All templates" options={queue.templates} selected={filters.template} />
        <Facet name="location" label="Location" all="All locations" options={queue.locations} selected={filters.location} />
        <div class="actions">
          <button type="submit">Filter</button>
          {filtered && <a href="/approvals">Clear</a>}
        </div>
        {queue.locationsTruncated && <p class="small muted">The location filter offers the locations with the most campaigns waiting.</p>}
      </form>
      {queue.items.length === 0 ? (
        <p class="card">{filtered ? 'No campaign waits for review with these filters.' : 'Nothing waits for review. Well done.'}</p>
      ) : (
        <form method="post" action="/approvals/bulk-approve" class="card" data-enhance>
          <CsrfField token={session.csrf} />
          <input type="hidden" name="back" value={queueHref(filters)} />
          <ol class="queue" aria-label="Campaigns waiting for review, longest waiting first">
            {queue.items.map((item, index) => (
              <QueueRow item={item} index={index} selectable={canDecide} userId={session.user.id} />
            ))}
          </ol>
          {canDecide && (
            <div class="bulk">
              <button type="submit" class="primary">
                Approve selected
              </button>
              <span class="small muted">Open a campaign to request changes or reject it with a comment.</span>
            </div>
          )}
        </form>
      )}
      {pages > 1 && (
        <nav class="pages" aria-label="Pages">
          {filters.page > 1 ? <a href={queueHref(filters, filters.page - 1)}>← Previous</a> : <span />}
          <span>{`Page ${filters.page} of ${pages}`}</span>
          {filters.page < pages ? <a href={queueHref(filters, filters.page + 1)}>Next →</a> : <span />}
        </nav>
      )}
    </Layout>
  );
};
