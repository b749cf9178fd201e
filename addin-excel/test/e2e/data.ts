/**
 * The workbook a marketer starts with: a Stores table of 200 locations and a Campaigns table of
 * one seasonal campaign for each of the first stores, as people type them (no StoreSync columns
 * yet; store numbers as text, so `0007` keeps its zeros).
 */
import type { SeedTable } from './types.ts';

export const STORE_COUNT = 200;
export const CAMPAIGN_COUNT = 40;
export const TEMPLATE_NAME = 'Seasonal sale';

const CITIES = [
  ['Austin', 'TX', '787'],
  ['Denver', 'CO', '802'],
  ['Portland', 'OR', '972'],
  ['Madison', 'WI', '537'],
  ['Raleigh', 'NC', '276'],
  ['Tucson', 'AZ', '857'],
  ['Boise', 'ID', '837'],
  ['Omaha', 'NE', '681'],
] as const;
const REGIONS = ['south', 'mountain', 'west', 'midwest', 'east'];
/** Not in table order, so sorting the campaigns by it mixes the rows thoroughly. */
const SALE_TYPES = ['Summer', 'Clearance', 'Spring', 'Winter', 'Back to school'];

export const storeNumber = (n: number) => String(n).padStart(4, '0');

export function storesTable(): SeedTable {
  const header = ['Store #', 'Name', 'Street', 'City', 'State', 'ZIP', 'Region'];
  const rows = Array.from({ length: STORE_COUNT }, (_, index) => {
    const n = index + 1;
    const [city, state, zip] = CITIES[index % CITIES.length] ?? CITIES[0];
    return [storeNumber(n), `Acme ${city} ${n}`, `${100 + n} Main St`, city, state, `${zip}${String(n % 100).padStart(2, '0')}`, REGIONS[index % REGIONS.length] ?? 'south'];
  });
  return {
    id: '{stores}',
    name: 'Stores',
    sheet: 'Stores',
    values: [header, ...rows],
    formats: [header.map(() => 'General'), ...rows.map((row) => row.map(() => '@'))],
  };
}

export function campaignsTable(): SeedTable {
  const header = ['Store #', 'Template', 'Sale Type'];
  const rows = Array.from({ length: CAMPAIGN_COUNT }, (_, index) => [storeNumber(index + 1), TEMPLATE_NAME, SALE_TYPES[index % SALE_TYPES.length] ?? 'Summer']);
  return {
    id: '{campaigns}',
    name: 'Campaigns',
    sheet: 'Campaigns',
    values: [header, ...rows],
    formats: [header.map(() => 'General'), ...rows.map((row) => row.map(() => '@'))],
  };
}
