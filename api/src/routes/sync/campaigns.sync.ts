/**
 * Campaigns rows: found by StoreSync id, then by store number + template name (core's naturalKey).
 * A store may have several campaigns of one template: a row without an id that matches exactly
 * one updates it, several is a row error asking for the id, none creates a draft campaign.
 *
 * Customizations merge key by key like location attributes (a blank extra cell removes its key);
 * the schedule compares as toISOString instants. Rules as through the REST API: creating as
 * POST /campaigns (anyone but viewers, for a location they can see, with an active template and
 * every required variable); editing as PATCH /campaigns/{id}: only in EDITABLE_STATUSES, required
 * variables checked when customizations change, the schedule must end after it starts. A sync
 * never touches the copy, so, as with PATCH, editing customizations or the schedule of a campaign
 * in review or approved keeps its status (only a copy edit sends it back to draft). A campaign's
 * store and template never change.
 */
import { z } from '@hono/zod-openapi';
import {
  EDITABLE_STATUSES,
  missingRequiredVariables,
  naturalKey,
  storeKey,
  templateNameKey,
  type CampaignSyncRow as PaneCampaignRow,
} from '@storesync/core';
import {
  insertCampaigns,
  locationsByStoreNumbers,
  lockCampaignsForSync,
  updateCampaigns,
  type CampaignSyncState,
  type CampaignWrite,
  type Prisma,
  type SyncLocationRef,
} from '@storesync/db';
import { isAdmin } from '../../lib/access.ts';
import type { AuthUser } from '../../lib/types.ts';
import { isoDateTime } from '../campaigns/campaigns.schemas.ts';
import { campaignDetailInclude, toCampaignDetailJson } from '../campaigns/campaigns.serializers.ts';
import { JsonObject } from '../../lib/schemas.ts';
import { RowError, type Fits, type SyncContext, type SyncKind } from './engine.ts';
import { applyChanges, flatten, REMOVED, type FlatFields } from './merge.ts';
import { syncRowMeta } from './sync.schemas.ts';

export const CampaignSyncRowSchema = z
  .object({
    ...syncRowMeta,
    store_number: z.string().trim().min(1).max(50),
    template_name: z.string().trim().min(1).max(255),
    location: z.string().uuid().optional().openapi({ description: 'The location id, when the sheet knows it; must be the store’s' }),
    template: z.string().uuid().optional().openapi({ description: 'The template id, when the sheet knows it; must be the named template’s' }),
    customizations: JsonObject.optional(),
    scheduled_start: isoDateTime.nullable().optional(),
    scheduled_end: isoDateTime.nullable().optional(),
  })
  .strict();

type CampaignSyncRow = z.infer<typeof CampaignSyncRowSchema>;
/** What the panes send (core's contract) must pass this schema's types. */
export type PaneRowsFit = Fits<PaneCampaignRow extends z.input<typeof CampaignSyncRowSchema> ? true : false>;

interface TemplateInfo {
  id: string;
  name: string;
  is_active: boolean;
  required_variables: string[];
}

/** Loaded once per request: the stores the rows name (that the user may see) and the brand's templates. */
export interface CampaignPrepared {
  /** By store number (storeKey). */
  locations: Map<string, SyncLocationRef>;
  /** By store number without leading zeros: for the "dropped its leading zeros" hint. */
  locationsByDigits: Map<string, SyncLocationRef[]>;
  /** The user sees only some stores of the brand (a location manager with assignments). */
  restricted: boolean;
  /** By templateNameKey. */
  templates: Map<string, TemplateInfo[]>;
  templatesById: Map<string, TemplateInfo>;
}

type Context = SyncContext<CampaignPrepared>;

const OBJECT_FIELDS = ['customizations'] as const;
const CUSTOMIZATIONS = 'customizations.';

const iso = (date: Date | null) => date?.toISOString() ?? null;
/** Sent instants as toISOString writes them (what sync_changes records), so equal instants compare equal. */
const instant = (value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : new Date(value).toISOString());
const digits = (storeNumber: string) => storeNumber.replace(/^0+/, '');

function pushTo<T>(map: Map<string, T[]>, key: string, value: T) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function inputsOf(source: Record<string, unknown>): FlatFields {
  const { customizations, scheduled_start, scheduled_end } = source;
  return flatten({ customizations, scheduled_start, scheduled_end }, OBJECT_FIELDS);
}

function stateInputs(state: CampaignSyncState) {
  return { customizations: state.customizations, scheduled_start: iso(state.scheduled_start), scheduled_end: iso(state.scheduled_end) };
}

function canSeeAllStores(user: AuthUser) {
  return isAdmin(user) || user.assignedLocationIds.length === 0;
}

function findLocation(row: CampaignSyncRow, { prepared }: Context): SyncLocationRef {
  const location = prepared.locations.get(storeKey(row.store_number));
  if (!location) {
    const whose = prepared.restricted ? 'No store you manage has' : 'No store has';
    const padded = (prepared.locationsByDigits.get(digits(storeKey(row.store_number))) ?? []).find(
      (candidate) => candidate.store_number !== row.store_number,
    );
    throw new RowError(
      padded
        ? `${whose} store number ${row.store_number}, but ${padded.store_number} does: the spreadsheet probably dropped its leading zeros; format the column as text and type ${padded.store_number}`
        : `${whose} store number ${row.store_number}; fix the number, or add the store on the Locations sheet and sync it first`,
      'store_number',
    );
  }
  if (row.location && row.location !== location.id) {
    throw new RowError(`The location id is not store ${location.store_number}'s; clear the location id or fix the store number`, 'location');
  }
  return location;
}

function findTemplate(row: CampaignSyncRow, { prepared }: Context): TemplateInfo {
  const matches = prepared.templates.get(templateNameKey(row.template_name)) ?? [];
  if (matches.length === 0) {
    const names = [...prepared.templatesById.values()].map((template) => template.name).sort();
    const quoted = names.slice(0, 5).map((name) => `"${name}"`).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
    throw new RowError(
      names.length
        ? `There is no template named "${row.template_name}"; use one of ${quoted}, or add it on the Templates sheet`
        : `There is no template named "${row.template_name}"; add it on the Templates sheet and sync it first`,
      'template_name',
    );
  }
  const [template] = matches;
  if (matches.length > 1 || !template) {
    throw new RowError(`Several templates are named "${row.template_name}"; rename all but one on the Templates sheet`, 'template_name');
  }
  if (row.template && row.template !== template.id) {
    throw new RowError(`The template id is not that of "${template.name}"; clear the template id or fix the template name`, 'template');
  }
  return template;
}

function assertRequiredVariables(template: TemplateInfo, customizations: Record<string, unknown>) {
  const missing = missingRequiredVariables(template.required_variables, customizations);
  if (missing.length === 0) return;
  const one = missing.length === 1;
  throw new RowError(
    `The template "${template.name}" requires ${missing.join(', ')}; fill in ${one ? 'its column' : 'their columns'} (add ${one ? 'a column' : 'columns'} headed ${missing.map((name) => `"${name}"`).join(', ')} if the sheet has none)`,
    `customizations.${missing[0]}`,
  );
}

function assertScheduleOrder(start: string | null, end: string | null) {
  if (start !== null && end !== null && Date.parse(end) <= Date.parse(start)) {
    throw new RowError('The end is not after the start; make the campaign end after it starts', 'scheduled_end');
  }
}

function withoutBlanks(row: CampaignSyncRow): Record<string, unknown> {
  const customizations = { ...row.customizations };
  for (const key of row.blank_extras ?? []) delete customizations[key];
  return customizations;
}

export function campaignKey(storeNumber: string, templateName: string) {
  return naturalKey('campaigns', { store_number: storeNumber, template_name: templateName });
}

type CampaignRecord = ReturnType<typeof toCampaignDetailJson>;

export const campaignSync: SyncKind<CampaignSyncRow, CampaignSyncState, CampaignWrite, CampaignPrepared, CampaignRecord> = {
  entity: 'campaign',
  rowSchema: CampaignSyncRowSchema,
  describe: (row) => `The "${row.template_name}" campaign of store ${row.store_number}`,
  keyOf: (row) => campaignKey(row.store_number, row.template_name),
  ambiguousKeyMessage: (row, matches) =>
    `Store ${row.store_number} has ${matches} "${row.template_name}" campaigns; put the StoreSync ID of the one this row is for in its StoreSync ID cell`,

  async prepare(tx, brandId, rows, user) {
    const storeNumbers = [...new Set(rows.map((row) => storeKey(row.store_number)))];
    // One after the other: a transaction is one connection, which runs one query at a time.
    const locations = storeNumbers.length > 0 ? await locationsByStoreNumbers(tx, brandId, storeNumbers) : [];
    const templates = await tx.campaignTemplate.findMany({
      where: { brandId },
      select: { id: true, name: true, isActive: true, requiredVariables: true },
    });
    const prepared: CampaignPrepared = {
      locations: new Map(),
      locationsByDigits: new Map(),
      // A location manager with assignments sees only those stores: the others are unknown to them.
      restricted: !canSeeAllStores(user),
      templates: new Map(),
      templatesById: new Map(),
    };
    const mine = new Set(user.assignedLocationIds);
    for (const location of locations) {
      if (prepared.restricted && !mine.has(location.id)) continue;
      prepared.locations.set(location.store_number, location);
      pushTo(prepared.locationsByDigits, digits(location.store_number), location);
    }
    for (const template of templates) {
      const info: TemplateInfo = {
        id: template.id,
        name: template.name,
        is_active: template.isActive,
        required_variables: Array.isArray(template.requiredVariables)
          ? template.requiredVariables.filter((item): item is string => typeof item === 'string')
          : [],
      };
      prepared.templatesById.set(info.id, info);
      pushTo(prepared.templates, templateNameKey(info.name), info);
    }
    return prepared;
  },

  async lock(context, ids, keys) {
    const { tx, brandId, user, prepared } = context;
    const pairs: { location_id: string; template_id: string }[] = [];
    for (const key of keys) {
      const [store = '', templateKey = ''] = key.split('\u001f');
      const location = prepared.locations.get(store);
      const templates = prepared.templates.get(templateKey) ?? [];
      if (location) for (const template of templates) pairs.push({ location_id: location.id, template_id: template.id });
    }
    const states = await lockCampaignsForSync(tx, brandId, ids, pairs);
    // Campaigns named by id at stores the user cannot see are not theirs to match.
    if (!prepared.restricted) return states;
    return states.filter((state) => user.assignedLocationIds.includes(state.location_id));
  },

  stateKey: (state) => campaignKey(state.store_number, state.template_name) ?? '',

  sheetFields(row, state, context) {
    if (state && row.id) {
      // The id found the campaign; the store and template cells must still name its own.
      const location = findLocation(row, context);
      const template = findTemplate(row, context);
      if (location.id !== state.location_id || template.id !== state.template_id) {
        throw new RowError(
          `This campaign is for store ${state.store_number} and template "${state.template_name}", which cannot change; undo the change, or clear the StoreSync ID cell to add a new campaign`,
          location.id !== state.location_id ? 'store_number' : 'template_name',
        );
      }
    }
    const blanks = Object.fromEntries((row.blank_extras ?? []).map((key) => [`${CUSTOMIZATIONS}${key}`, REMOVED]));
    return {
      ...inputsOf({ ...row, scheduled_start: instant(row.scheduled_start), scheduled_end: instant(row.scheduled_end) }),
      ...blanks,
    };
  },
  stateFields: (state) => inputsOf(stateInputs(state)),
  inputFields: inputsOf,

  toCreate(row, context) {
    const location = findLocation(row, context);
    const template = findTemplate(row, context);
    if (!template.is_active) {
      throw new RowError(`The template "${template.name}" is inactive; pick an active template, or reactivate it on the Templates sheet`, 'template_name');
    }
    const customizations = withoutBlanks(row);
    assertRequiredVariables(template, customizations);
    const start = instant(row.scheduled_start) ?? null;
    const end = instant(row.scheduled_end) ?? null;
    assertScheduleOrder(start, end);
    return { location_id: location.id, template_id: template.id, customizations, scheduled_start: start, scheduled_end: end };
  },

  toUpdate(state, changes, { prepared }) {
    const fields = Object.keys(changes);
    if (!EDITABLE_STATUSES.includes(state.status)) {
      throw new RowError(
        `The campaign is ${state.status}; its customizations and schedule are locked (editable while ${EDITABLE_STATUSES.join(', ')})`,
        fields[0],
      );
    }
    const merged = applyChanges(stateInputs(state), changes);
    const template = prepared.templatesById.get(state.template_id);
    if (template && fields.some((field) => field.startsWith(CUSTOMIZATIONS))) assertRequiredVariables(template, merged.customizations);
    assertScheduleOrder(merged.scheduled_start, merged.scheduled_end);
    return {
      id: state.id,
      location_id: state.location_id,
      template_id: state.template_id,
      customizations: merged.customizations,
      scheduled_start: merged.scheduled_start,
      scheduled_end: merged.scheduled_end,
    };
  },

  insert: ({ tx, user }, writes) => insertCampaigns(tx, user.id, writes),
  update: ({ tx }, writes) => updateCampaigns(tx, writes),
  insertRaceMessage: (row) =>
    `The "${row.template_name}" campaign of store ${row.store_number} could not be created; sync again`,

  async toRecords({ tx }, states) {
    const campaigns = await loadCampaignDetails(tx, states.map((state) => state.id));
    return new Map(campaigns.map((campaign) => [campaign.id, toCampaignDetailJson(campaign)]));
  },
};

/** The detail rows of these campaigns, in one query. */
function loadCampaignDetails(tx: Prisma.TransactionClient, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.locationCampaign.findMany({ relationLoadStrategy: 'join', where: { id: { in: ids } }, include: campaignDetailInclude });
}
