/**
 * What the pane reads from the StoreSync API: the subset of each response it uses, named as the
 * API names them (api/src/routes/*). Kept by hand rather than imported from the API package so the
 * browser bundle never pulls server code.
 */
import type { CampaignRecord, CampaignStatus, WorkflowAction } from '@storesync/core';

export interface User {
  id: string;
  email: string;
  full_name: string;
  role: 'admin' | 'brand_manager' | 'location_manager' | 'viewer';
  brands: string[];
}

export interface TokenPair {
  access: string;
  refresh: string;
  access_expires_in: number;
}

export interface SignInResponse extends TokenPair {
  user: User;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface Brand {
  id: string;
  name: string;
  slug: string;
}

export interface Template {
  id: string;
  brand: string;
  name: string;
  required_variables: string[];
  is_active: boolean;
}

export interface Location {
  id: string;
  brand: string;
  name: string;
  store_number: string;
}

export interface ApprovalStep {
  approver_name: string;
  decision: string;
  comments: string;
  previous_status: CampaignStatus;
  new_status: CampaignStatus;
  created_at: string;
}

/** GET /campaigns/{id}/: also a `CampaignRecord` the sync engine writes into a row. */
export interface CampaignDetail extends CampaignRecord {
  brand: string;
  status: CampaignStatus;
  generated_content: string;
  approval_history: ApprovalStep[];
  allowed_actions: WorkflowAction[];
}

export interface SkippedReasons {
  unchanged: number;
  in_progress: number;
  locked: number;
  not_found: number;
}

export interface TokenCounts {
  prompt: number;
  completion: number;
  embedding: number;
  total: number;
}

export interface RunRequest {
  campaign_ids: string[];
  use_similar_content?: boolean;
  additional_context?: string;
  force?: boolean;
}

export interface RunEstimate {
  campaigns: number;
  skipped: number;
  skipped_reasons: SkippedReasons;
  expected_tokens: TokenCounts;
  expected_cost_usd: number;
  expected_duration_seconds: number;
}

export interface GenerationRun {
  id: string;
  status: 'running' | 'cancelled' | 'completed';
  total: number;
  skipped: number;
  skipped_reasons: SkippedReasons;
  queued: number;
  active: number;
  done: number;
  failed: number;
  cancelled: number;
  tokens: TokenCounts;
  cost_usd: number;
  /** Which provider and model wrote the usable copy so far (`offline`: no OpenAI key configured). */
  written_by: { provider: string; model: string; versions: number }[];
  estimated_seconds_left: number | null;
}

export interface SimilarCampaign {
  id: string;
  brand: string;
  location_name: string;
  template_name: string;
  content: string;
  status: CampaignStatus;
  similarity_score: number;
}

export interface TransitionBody {
  comments?: string;
  scheduled_start?: string;
  scheduled_end?: string;
}
