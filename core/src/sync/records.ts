/**
 * Server records as the API returns them (the subset the sheets show) and what each sheet field
 * shows for one. The shapes follow api/src/routes/*: `LocationSchema`, `CampaignDetailSchema`
 * (list items work too: they lack copy and history, so those cells are left alone), and
 * `TemplateSchema`.
 */
import { naturalKey } from './identity.ts';
import type { SheetKind } from './types.ts';

export interface LocationRecord {
  id: string;
  /** Present in the API's answers; written to the hidden StoreSync Version column. */
  row_version?: number;
  name: string;
  store_number: string;
  address?: { street?: string; city?: string; state?: string; zip?: string; country?: string };
  attributes?: Record<string, unknown>;
  is_active?: boolean;
}

export interface ApprovalStepRecord {
  approver_name?: string;
  decision: string;
  comments?: string;
  created_at?: string;
}

export interface CampaignRecord {
  id: string;
  row_version?: number;
  store_number: string;
  location_name?: string;
  template_name: string;
  status: string;
  customizations?: Record<string, unknown>;
  generated_content?: string;
  scheduled_start?: string | null;
  scheduled_end?: string | null;
  /** Newest first, as the API returns it. */
  approval_history?: ApprovalStepRecord[];
}

export interface TemplateRecord {
  id: string;
  row_version?: number;
  name: string;
  description?: string;
  content_template: string;
  required_variables?: string[];
  campaign_type: string;
  is_active?: boolean;
  version?: number;
}

export interface RecordMap {
  locations: LocationRecord;
  campaigns: CampaignRecord;
  templates: TemplateRecord;
}

export function recordKey<K extends SheetKind>(kind: K, record: RecordMap[K]): string | null {
  const parts = record as Partial<LocationRecord & CampaignRecord & TemplateRecord>;
  return naturalKey(kind, { store_number: parts.store_number, template_name: parts.template_name, name: parts.name });
}

/** Decisions a reviewer takes; the latest of these names the Reviewer and Review Comments cells. */
const REVIEW_DECISIONS = new Set(['approved', 'rejected', 'requested_changes']);

export function latestReview(history: readonly ApprovalStepRecord[] | undefined): ApprovalStepRecord | undefined {
  if (!history) return undefined;
  const reviews = history.filter((step) => REVIEW_DECISIONS.has(step.decision));
  if (reviews.every((step) => step.created_at)) {
    return [...reviews].sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''))[0];
  }
  return reviews[0];
}

export interface RecordValues {
  /** Value per field; a field that is absent is not shown by this record (cell left alone). */
  fields: Record<string, unknown>;
  /** attributes or customizations, when the record has them. */
  extras?: Record<string, unknown>;
}

/** What each field of a sheet of `kind` shows for `record`, before typing for cells (plan.ts). */
export function recordValues<K extends SheetKind>(kind: K, record: RecordMap[K]): RecordValues {
  const defined = (entries: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
  switch (kind) {
    case 'locations': {
      const location = record as LocationRecord;
      const address = location.address ?? {};
      return {
        fields: defined({
          id: location.id,
          row_version: location.row_version,
          name: location.name,
          store_number: location.store_number,
          ...(location.address
            ? { street: address.street ?? '', city: address.city ?? '', state: address.state ?? '', zip: address.zip ?? '', country: address.country ?? '' }
            : {}),
          is_active: location.is_active,
        }),
        extras: location.attributes,
      };
    }
    case 'campaigns': {
      const campaign = record as CampaignRecord;
      const review = campaign.approval_history ? latestReview(campaign.approval_history) : undefined;
      return {
        fields: defined({
          id: campaign.id,
          row_version: campaign.row_version,
          store_number: campaign.store_number,
          location_name: campaign.location_name,
          template: campaign.template_name,
          scheduled_start: campaign.scheduled_start,
          scheduled_end: campaign.scheduled_end,
          status: campaign.status,
          generated_content: campaign.generated_content,
          reviewer: campaign.approval_history ? (review?.approver_name ?? '') : undefined,
          review_comments: campaign.approval_history ? (review?.comments ?? '') : undefined,
        }),
        extras: campaign.customizations,
      };
    }
    case 'templates': {
      const template = record as TemplateRecord;
      return {
        fields: defined({
          id: template.id,
          row_version: template.row_version,
          name: template.name,
          campaign_type: template.campaign_type,
          description: template.description,
          content_template: template.content_template,
          required_variables: template.required_variables,
          is_active: template.is_active,
          version: template.version,
        }),
      };
    }
  }
  return { fields: {} };
}
