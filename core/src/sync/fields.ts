/**
 * The columns StoreSync knows, per sheet kind: canonical field, the header StoreSync writes when
 * it adds the column, the aliases it recognises (compared after normalizeHeader in headers.ts),
 * the value type and the column's role.
 *
 * Roles:
 * - `id`: the StoreSync id column (hidden by the hosts). Holds the server id once a row synced.
 * - `input`: read from the sheet into the payload sent to the API.
 * - `output`: written by StoreSync (status, generated content, reviewer, …); never read into a
 *   payload, and anything typed there is overwritten. Their aliases are deliberately narrow, so a
 *   person's own "Notes" or "Content" column is never taken over.
 * - `info`: server data shown for reference (the store name on the Campaigns sheet); not sent,
 *   written only when pulling from the server.
 *
 * Aliases of outputs must stay narrow; aliases of one kind must not collide (fields.test.ts).
 */
import type { SheetKind } from './types.ts';

export type FieldType = 'id' | 'text' | 'store_number' | 'boolean' | 'datetime' | 'list' | 'number';
export type FieldRole = 'id' | 'input' | 'output' | 'info';

export interface FieldDef {
  field: string;
  /** Header written when StoreSync adds the column; the name used in messages. */
  label: string;
  aliases: readonly string[];
  type: FieldType;
  role: FieldRole;
  required?: boolean;
  maxLength?: number;
  /** Outputs and the id: the plan adds the column when the sheet lacks it. */
  autoAdd?: boolean;
  /** Number format of an added column (`@` = text). */
  numberFormat?: string;
  /** Hosts hide the column (the StoreSync id). */
  hidden?: boolean;
  /** Hosts wrap text in the column (long copy). */
  wrap?: boolean;
  /** Where the value goes in the API payload, e.g. `['address', 'city']`. */
  path?: readonly string[];
}

const TEXT = '@';

const idField: FieldDef = {
  field: 'id',
  label: 'StoreSync ID',
  aliases: ['storesync id', 'storesync', 'storesync key'],
  type: 'id',
  role: 'id',
  autoAdd: true,
  numberFormat: TEXT,
  hidden: true,
};

/**
 * The row_version the row had when it was last synced or pulled: sent back with the row, so the
 * server can tell the sheet's own edits from values it changed since (three-way merge, conflicts).
 */
const rowVersionField: FieldDef = {
  field: 'row_version',
  label: 'StoreSync Version',
  aliases: ['storesync version'],
  type: 'number',
  role: 'id',
  autoAdd: true,
  numberFormat: '0',
  hidden: true,
};

const lastSynced: FieldDef = {
  field: 'last_synced',
  label: 'Last Synced',
  aliases: ['last synced', 'last sync', 'synced at', 'last synced at'],
  type: 'text',
  role: 'output',
  autoAdd: true,
  numberFormat: TEXT,
};

const syncError: FieldDef = {
  field: 'sync_error',
  label: 'Sync Error',
  aliases: ['sync error', 'sync errors', 'storesync error'],
  type: 'text',
  role: 'output',
  autoAdd: true,
  numberFormat: TEXT,
  wrap: true,
};

const storeNumber: FieldDef = {
  field: 'store_number',
  label: 'Store #',
  aliases: [
    'store #',
    'store no',
    'store number',
    'store num',
    'store nbr',
    'store_number',
    'store code',
    'store id',
    'location #',
    'location number',
    'location code',
  ],
  type: 'store_number',
  role: 'input',
  required: true,
  maxLength: 50,
  path: ['store_number'],
};

const isActive: FieldDef = {
  field: 'is_active',
  label: 'Active',
  aliases: ['active', 'is active', 'enabled'],
  type: 'boolean',
  role: 'input',
  path: ['is_active'],
};

export const LOCATION_FIELDS: readonly FieldDef[] = [
  idField,
  rowVersionField,
  {
    field: 'name',
    label: 'Name',
    aliases: ['name', 'store name', 'location name', 'location'],
    type: 'text',
    role: 'input',
    required: true,
    maxLength: 255,
    path: ['name'],
  },
  { ...storeNumber, aliases: [...storeNumber.aliases, 'number'] },
  {
    field: 'street',
    label: 'Street',
    aliases: ['street', 'address', 'street address', 'address 1', 'address line 1', 'addr'],
    type: 'text',
    role: 'input',
    maxLength: 255,
    path: ['address', 'street'],
  },
  { field: 'city', label: 'City', aliases: ['city', 'town'], type: 'text', role: 'input', maxLength: 100, path: ['address', 'city'] },
  {
    field: 'state',
    label: 'State',
    aliases: ['state', 'province', 'state province'],
    type: 'text',
    role: 'input',
    maxLength: 100,
    path: ['address', 'state'],
  },
  {
    field: 'zip',
    label: 'ZIP',
    aliases: ['zip', 'zip code', 'zipcode', 'postal code', 'postcode', 'post code', 'zip postal code'],
    type: 'text',
    role: 'input',
    maxLength: 20,
    path: ['address', 'zip'],
  },
  {
    field: 'country',
    label: 'Country',
    aliases: ['country', 'country code'],
    type: 'text',
    role: 'input',
    maxLength: 100,
    path: ['address', 'country'],
  },
  isActive,
  lastSynced,
  syncError,
];

export const CAMPAIGN_FIELDS: readonly FieldDef[] = [
  idField,
  rowVersionField,
  storeNumber,
  {
    field: 'location_name',
    label: 'Store Name',
    aliases: ['store name', 'location name', 'location', 'name'],
    type: 'text',
    role: 'info',
    numberFormat: TEXT,
  },
  {
    field: 'template',
    label: 'Template',
    aliases: ['template', 'template name', 'campaign template'],
    type: 'text',
    role: 'input',
    required: true,
    maxLength: 255,
    path: ['template_name'],
  },
  {
    field: 'scheduled_start',
    label: 'Start',
    aliases: ['start', 'scheduled start', 'starts', 'start at', 'scheduled_start'],
    type: 'datetime',
    role: 'input',
    path: ['scheduled_start'],
  },
  {
    field: 'scheduled_end',
    label: 'End',
    aliases: ['end', 'scheduled end', 'ends', 'end at', 'scheduled_end'],
    type: 'datetime',
    role: 'input',
    path: ['scheduled_end'],
  },
  { field: 'status', label: 'Status', aliases: ['status', 'campaign status'], type: 'text', role: 'output', autoAdd: true, numberFormat: TEXT },
  {
    field: 'generated_content',
    label: 'Generated Content',
    aliases: ['generated content', 'generated copy', 'generated_content'],
    type: 'text',
    role: 'output',
    autoAdd: true,
    numberFormat: TEXT,
    wrap: true,
  },
  { field: 'reviewer', label: 'Reviewer', aliases: ['reviewer', 'reviewed by'], type: 'text', role: 'output', autoAdd: true, numberFormat: TEXT },
  {
    field: 'review_comments',
    label: 'Review Comments',
    aliases: ['review comments', 'reviewer comments'],
    type: 'text',
    role: 'output',
    autoAdd: true,
    numberFormat: TEXT,
    wrap: true,
  },
  lastSynced,
  syncError,
];

export const TEMPLATE_FIELDS: readonly FieldDef[] = [
  idField,
  rowVersionField,
  {
    field: 'name',
    label: 'Name',
    aliases: ['name', 'template name', 'template', 'title'],
    type: 'text',
    role: 'input',
    required: true,
    maxLength: 255,
    path: ['name'],
  },
  {
    field: 'campaign_type',
    label: 'Campaign Type',
    aliases: ['campaign type', 'type', 'campaign_type', 'category'],
    type: 'text',
    role: 'input',
    required: true,
    maxLength: 50,
    path: ['campaign_type'],
  },
  {
    field: 'description',
    label: 'Description',
    aliases: ['description', 'summary'],
    type: 'text',
    role: 'input',
    maxLength: 10_000,
    path: ['description'],
  },
  {
    field: 'content_template',
    label: 'Content Template',
    aliases: ['content template', 'template content', 'content', 'body', 'template text', 'content_template'],
    type: 'text',
    role: 'input',
    required: true,
    maxLength: 100_000,
    path: ['content_template'],
  },
  {
    field: 'required_variables',
    label: 'Required Variables',
    aliases: ['required variables', 'variables', 'required', 'required_variables'],
    type: 'list',
    role: 'input',
    path: ['required_variables'],
  },
  isActive,
  { field: 'version', label: 'Version', aliases: ['version', 'template version'], type: 'number', role: 'output' },
  lastSynced,
  syncError,
];

export const FIELDS: Readonly<Record<SheetKind, readonly FieldDef[]>> = {
  locations: LOCATION_FIELDS,
  campaigns: CAMPAIGN_FIELDS,
  templates: TEMPLATE_FIELDS,
};

export function fieldDef(kind: SheetKind, field: string): FieldDef | undefined {
  return FIELDS[kind].find((def) => def.field === field);
}

/** Where a location row's and a campaign row's other columns go; templates ignore other columns. */
export const EXTRA_TARGET: Readonly<Record<SheetKind, 'attributes' | 'customizations' | null>> = {
  locations: 'attributes',
  campaigns: 'customizations',
  templates: null,
};
