/**
 * Templates rows: found by StoreSync id, then by name (core's templateNameKey: trimmed, spacing
 * collapsed, case-insensitive), which is unique per brand within sync. Fields are validated as
 * POST/PATCH /campaigns/templates do (Liquid, variable names). Only admins and brand managers may
 * create or change templates; anyone else gets a row error for each row that would write.
 * Changing content_template moves `version` up by one in the same statement, as PATCH does.
 */
import { z } from '@hono/zod-openapi';
import { templateNameKey, type TemplateSyncRow as PaneTemplateRow } from '@storesync/core';
import { insertTemplates, lockTemplatesForSync, updateTemplates, type TemplateSyncState, type TemplateWrite } from '@storesync/db';
import { isReviewer } from '../../lib/access.ts';
import { toTemplateJson } from '../templates/templates.handlers.ts';
import { templateFields } from '../templates/templates.routes.ts';
import { RowError, type Fits, type SyncKind } from './engine.ts';
import { applyChanges, type FlatFields } from './merge.ts';
import { syncRowMeta } from './sync.schemas.ts';

export const TemplateSyncRowSchema = z
  .object({
    // Templates have no extra columns, so no blank_extras.
    ref: syncRowMeta.ref,
    id: syncRowMeta.id,
    row_version: syncRowMeta.row_version,
    name: templateFields.name,
    campaign_type: templateFields.campaign_type,
    content_template: templateFields.content_template.optional(),
    description: templateFields.description.optional(),
    required_variables: templateFields.required_variables.optional(),
    is_active: templateFields.is_active.optional(),
  })
  .strict();

type TemplateSyncRow = z.infer<typeof TemplateSyncRowSchema>;
/** What the panes send (core's contract) must pass this schema's types. */
export type PaneRowsFit = Fits<PaneTemplateRow extends z.input<typeof TemplateSyncRowSchema> ? true : false>;

function inputsOf(source: Record<string, unknown>): FlatFields {
  const { name, campaign_type, description, content_template, required_variables, is_active } = source;
  const fields: FlatFields = { name, campaign_type, description, content_template, required_variables, is_active };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields;
}

const variablesOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

function writeOf(state: TemplateSyncState): TemplateWrite {
  return {
    name: state.name,
    campaign_type: state.campaign_type,
    description: state.description,
    content_template: state.content_template,
    required_variables: variablesOf(state.required_variables),
    is_active: state.is_active,
  };
}

/** The record of GET /campaigns/templates/{id} (and the change feed). */
export function toTemplateRecord(state: TemplateSyncState) {
  return toTemplateJson({
    id: state.id,
    brandId: state.brand_id,
    name: state.name,
    description: state.description,
    contentTemplate: state.content_template,
    requiredVariables: variablesOf(state.required_variables),
    campaignType: state.campaign_type,
    isActive: state.is_active,
    version: state.version,
    rowVersion: state.row_version,
    createdAt: state.created_at,
    updatedAt: state.updated_at,
  });
}

const refuse = (name: string, verb: string) =>
  new RowError(`Only admins and brand managers can ${verb} templates; ask one to ${verb} "${name}"`, 'name');

export const templateSync: SyncKind<TemplateSyncRow, TemplateSyncState, TemplateWrite, null, ReturnType<typeof toTemplateRecord>> = {
  entity: 'template',
  rowSchema: TemplateSyncRowSchema,
  describe: (row) => `Template "${row.name}"`,
  keyOf: (row) => templateNameKey(row.name) || null,
  uniqueKeyField: 'name',
  prepare: () => Promise.resolve(null),
  // All of the brand's templates: matching by name is done here, with core's templateNameKey.
  lock: ({ tx, brandId }) => lockTemplatesForSync(tx, brandId),
  stateKey: (state) => templateNameKey(state.name),
  sheetFields: (row) => inputsOf(row),
  stateFields: (state) => inputsOf({ ...state, required_variables: variablesOf(state.required_variables) }),
  inputFields: inputsOf,
  toCreate(row, { user }) {
    if (!isReviewer(user)) throw refuse(row.name, 'add');
    if (row.content_template === undefined) {
      throw new RowError(`The content template of "${row.name}" is empty; write the template text (Liquid, e.g. {{location.name}})`, 'content_template');
    }
    return {
      name: row.name,
      campaign_type: row.campaign_type,
      description: row.description ?? '',
      content_template: row.content_template,
      required_variables: row.required_variables ?? [],
      is_active: row.is_active ?? true,
    };
  },
  toUpdate(state, changes, { user }) {
    if (!isReviewer(user)) throw refuse(state.name, 'change');
    return { id: state.id, ...applyChanges({ ...writeOf(state) }, changes) };
  },
  insert: ({ tx, brandId }, writes) => insertTemplates(tx, brandId, writes),
  update: ({ tx }, writes) => updateTemplates(tx, writes),
  insertRaceMessage: (row) => `Template "${row.name}" was added by someone else during this sync; sync again to update it`,
  toRecords: (_context, states) => Promise.resolve(new Map(states.map((state) => [state.id, toTemplateRecord(state)]))),
};
