/**
 * The demo data `npm run db:seed` and `npm start` load: two brands (a hardware chain and a
 * coffee chain), 30 locations, their campaign templates, campaigns in every workflow status
 * with their approval history, and one demo account per role. Pure data; `seed.ts` writes it.
 *
 * Addresses are real streets in real cities with made-up house numbers; names and emails are
 * fictional; the emails use the made-up domain storesync.demo (the one the README shows).
 */
import type { CampaignStatus } from '@storesync/core';

/** The one password of every demo account. */
export const DEMO_PASSWORD = 'storesync-demo';

export type AccountKey = 'admin' | 'hardwareManager' | 'coffeeManager' | 'storeManager' | 'viewer';
export type DemoRole = 'admin' | 'brand_manager' | 'location_manager' | 'viewer';

export interface DemoAccount {
  key: AccountKey;
  email: string;
  firstName: string;
  lastName: string;
  role: DemoRole;
  /** Brand slugs the account is a member of (admins see every brand without membership). */
  brands: string[];
  /** Locations a location manager is narrowed to. */
  locations: { brand: string; storeNumber: string }[];
  /** What the account can do, for the table printed after seeding. */
  scope: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    key: 'admin',
    email: 'admin@storesync.demo',
    firstName: 'Alex',
    lastName: 'Rivera',
    role: 'admin',
    brands: [],
    locations: [],
    scope: 'everything, every brand',
  },
  {
    key: 'hardwareManager',
    email: 'hardware.manager@storesync.demo',
    firstName: 'Jordan',
    lastName: 'Lee',
    role: 'brand_manager',
    brands: ['summit-hardware'],
    locations: [],
    scope: 'Summit Hardware: settings, locations, templates, reviews',
  },
  {
    key: 'coffeeManager',
    email: 'coffee.manager@storesync.demo',
    firstName: 'Priya',
    lastName: 'Patel',
    role: 'brand_manager',
    brands: ['daybreak-coffee'],
    locations: [],
    scope: 'Daybreak Coffee: settings, locations, templates, reviews',
  },
  {
    key: 'storeManager',
    email: 'store.manager@storesync.demo',
    firstName: 'Sam',
    lastName: 'Carter',
    role: 'location_manager',
    brands: ['summit-hardware'],
    locations: [
      { brand: 'summit-hardware', storeNumber: '0012' },
      { brand: 'summit-hardware', storeNumber: '0014' },
    ],
    scope: 'Summit Hardware stores 0012 and 0014: campaigns',
  },
  {
    key: 'viewer',
    email: 'viewer@storesync.demo',
    firstName: 'Morgan',
    lastName: 'Chen',
    role: 'viewer',
    brands: ['summit-hardware', 'daybreak-coffee'],
    locations: [],
    scope: 'both brands, read only',
  },
];

/** A type alias, not an interface, so it is assignable to Prisma's JSON input type. */
export type BrandSettings = {
  /** Longest allowed campaign copy, in characters. */
  max_length: number;
  banned_phrases: string[];
  required_phrases: string[];
  tone: string;
};

export interface DemoLocation {
  storeNumber: string;
  name: string;
  address: { street: string; city: string; state: string; zip: string };
  attributes: Record<string, string | number | boolean>;
  isActive?: boolean;
}

export interface DemoTemplate {
  key: string;
  name: string;
  description: string;
  campaignType: string;
  contentTemplate: string;
  requiredVariables: string[];
  /** Only for locations whose attribute of this name is true. */
  requiresAttribute?: string;
  isActive?: boolean;
}

/** Dates of a campaign's run, formatted for copy ("March 14", "Saturday, March 14"). */
export interface CampaignDates {
  start: string;
  end: string;
  startDay: string;
}

/**
 * How a campaign reached its status, beyond the direct path from draft:
 * - `after_changes`: a reviewer first sent it back with requested changes;
 * - `after_rejection`: a reviewer first rejected it and its creator revised it;
 * - `content_edited`: its creator edited the copy while it was in review.
 * For a draft the detour is the whole history; otherwise it is resubmitted afterwards.
 */
export type CampaignDetour = 'after_changes' | 'after_rejection' | 'content_edited';

export interface DemoCampaign {
  store: string;
  template: string;
  status: CampaignStatus;
  createdBy: AccountKey;
  detour?: CampaignDetour;
  /** Comment of the detour's review (requested changes or rejection). */
  detourComment?: string;
  /** Comment of the final review decision (required for rejected campaigns). */
  reviewComment?: string;
  /** Days before seeding that the campaign was created. */
  ageDays: number;
  /** Planned run, in days relative to the seeding day. */
  run: { startDays: number; endDays: number };
  customizations: (dates: CampaignDates) => Record<string, string | number>;
}

export interface DemoBrand {
  slug: string;
  name: string;
  settings: BrandSettings;
  /** The brand manager who reviews campaigns that others in the brand create. */
  manager: AccountKey;
  locations: DemoLocation[];
  templates: DemoTemplate[];
  campaigns: DemoCampaign[];
}

const summitHardware: DemoBrand = {
  slug: 'summit-hardware',
  name: 'Summit Hardware',
  manager: 'hardwareManager',
  settings: {
    max_length: 280,
    banned_phrases: ['cheapest', 'lowest prices guaranteed', 'best in the world', 'while you still can'],
    required_phrases: ['Summit Hardware'],
    tone: 'Friendly, practical and neighborly: a knowledgeable store associate, never pushy. Plain words, no hype.',
  },
  locations: [
    {
      storeNumber: '0012',
      name: 'Pearl Street',
      address: { street: '2150 Pearl St', city: 'Boulder', state: 'CO', zip: '80302' },
      attributes: { square_footage: 24000, region: 'front_range', has_garden_center: true, has_lumber_yard: false, opened_year: 2004 },
    },
    {
      storeNumber: '0014',
      name: 'Highlands',
      address: { street: '3301 W 32nd Ave', city: 'Denver', state: 'CO', zip: '80211' },
      attributes: { square_footage: 18500, region: 'front_range', has_garden_center: false, has_lumber_yard: false, opened_year: 2009 },
    },
    {
      storeNumber: '0019',
      name: 'College Avenue',
      address: { street: '1815 S College Ave', city: 'Fort Collins', state: 'CO', zip: '80525' },
      attributes: { square_footage: 31000, region: 'front_range', has_garden_center: true, has_lumber_yard: true, opened_year: 2011 },
    },
    {
      storeNumber: '0023',
      name: 'North Academy',
      address: { street: '7450 N Academy Blvd', city: 'Colorado Springs', state: 'CO', zip: '80920' },
      attributes: { square_footage: 42000, region: 'front_range', has_garden_center: true, has_lumber_yard: true, opened_year: 2014 },
    },
    {
      storeNumber: '0027',
      name: 'Sugar House',
      address: { street: '1240 E 2100 S', city: 'Salt Lake City', state: 'UT', zip: '84106' },
      attributes: { square_footage: 27500, region: 'great_basin', has_garden_center: true, has_lumber_yard: false, opened_year: 2012 },
    },
    {
      storeNumber: '0031',
      name: 'University Avenue',
      address: { street: '1355 N University Ave', city: 'Provo', state: 'UT', zip: '84604' },
      attributes: { square_footage: 22000, region: 'great_basin', has_garden_center: true, has_lumber_yard: false, opened_year: 2016 },
    },
    {
      storeNumber: '0036',
      name: 'Fairview',
      address: { street: '8100 W Fairview Ave', city: 'Boise', state: 'ID', zip: '83704' },
      attributes: { square_footage: 35000, region: 'northern_rockies', has_garden_center: true, has_lumber_yard: true, opened_year: 2015 },
    },
    {
      storeNumber: '0042',
      name: 'Nob Hill',
      address: { street: '3500 Central Ave SE', city: 'Albuquerque', state: 'NM', zip: '87106' },
      attributes: { square_footage: 16000, region: 'southwest', has_garden_center: false, has_lumber_yard: false, opened_year: 2007 },
    },
    {
      storeNumber: '0045',
      name: "St. Michael's",
      address: { street: "1611 St Michael's Dr", city: 'Santa Fe', state: 'NM', zip: '87505' },
      attributes: { square_footage: 19000, region: 'southwest', has_garden_center: true, has_lumber_yard: false, opened_year: 2010 },
    },
    {
      storeNumber: '0051',
      name: 'Broadway East',
      address: { street: '5870 E Broadway Blvd', city: 'Tucson', state: 'AZ', zip: '85711' },
      attributes: { square_footage: 28000, region: 'southwest', has_garden_center: true, has_lumber_yard: false, opened_year: 2013 },
    },
    {
      storeNumber: '0058',
      name: 'Route 66',
      address: { street: '2420 E Route 66', city: 'Flagstaff', state: 'AZ', zip: '86004' },
      attributes: { square_footage: 21000, region: 'southwest', has_garden_center: true, has_lumber_yard: true, opened_year: 2018 },
    },
    {
      storeNumber: '0063',
      name: 'Dell Range',
      address: { street: '1900 Dell Range Blvd', city: 'Cheyenne', state: 'WY', zip: '82009' },
      attributes: { square_footage: 26000, region: 'northern_rockies', has_garden_center: false, has_lumber_yard: true, opened_year: 2017 },
    },
    {
      storeNumber: '0067',
      name: 'West End',
      address: { street: '2525 King Ave W', city: 'Billings', state: 'MT', zip: '59102' },
      attributes: { square_footage: 33000, region: 'northern_rockies', has_garden_center: true, has_lumber_yard: true, opened_year: 2012 },
    },
    {
      storeNumber: '0072',
      name: 'Brooks Street',
      address: { street: '3001 Brooks St', city: 'Missoula', state: 'MT', zip: '59801' },
      attributes: { square_footage: 20500, region: 'northern_rockies', has_garden_center: false, has_lumber_yard: false, opened_year: 2019 },
    },
    {
      storeNumber: '0078',
      name: 'Eglin Street',
      address: { street: '1250 Eglin St', city: 'Rapid City', state: 'SD', zip: '57701' },
      attributes: { square_footage: 24500, region: 'great_plains', has_garden_center: true, has_lumber_yard: true, opened_year: 2020 },
    },
    {
      storeNumber: '0083',
      name: 'O Street',
      address: { street: '5600 O St', city: 'Lincoln', state: 'NE', zip: '68510' },
      attributes: {
        square_footage: 17500,
        region: 'great_plains',
        has_garden_center: false,
        has_lumber_yard: false,
        opened_year: 2006,
        closed_reason: 'remodel',
      },
      isActive: false,
    },
  ],
  templates: [
    {
      key: 'seasonal_sale',
      name: 'Seasonal Sale',
      description: 'A storewide or category sale with a start and end date.',
      campaignType: 'seasonal_sale',
      contentTemplate:
        '{{campaign.sale_name}} at Summit Hardware {{location.name}} in {{location.city}}: save {{campaign.discount_percentage}}% on {{campaign.category}} from {{campaign.start_date}} through {{campaign.end_date}}. Our team will help you find the right tools for the job.',
      requiredVariables: ['sale_name', 'discount_percentage', 'category', 'start_date', 'end_date'],
    },
    {
      key: 'workshop',
      name: 'In-Store Workshop',
      description: 'A free in-store how-to class.',
      campaignType: 'workshop',
      contentTemplate:
        'Free workshop at Summit Hardware {{location.name}}: {{campaign.workshop_topic}}, {{campaign.workshop_day}} at {{campaign.workshop_time}}. All skill levels welcome. Sign up at the service desk of our {{location.city}} store.',
      requiredVariables: ['workshop_topic', 'workshop_day', 'workshop_time'],
    },
    {
      key: 'garden_arrivals',
      name: 'Garden Center Arrivals',
      description: 'For stores with a garden center (attribute has_garden_center).',
      campaignType: 'garden',
      requiresAttribute: 'has_garden_center',
      contentTemplate:
        'Fresh arrivals at the Summit Hardware {{location.name}} garden center from {{campaign.start_date}}: {{campaign.featured_plants}} picked for the {{location.city}} climate, plus {{campaign.offer}}.',
      requiredVariables: ['start_date', 'featured_plants', 'offer'],
    },
    {
      key: 'clearance',
      name: 'Clearance Event',
      description: 'End-of-season clearance of one category.',
      campaignType: 'clearance',
      contentTemplate:
        'Clearance event at Summit Hardware {{location.name}}, {{location.street}} in {{location.city}}: up to {{campaign.discount_percentage}}% off {{campaign.category}} from {{campaign.start_date}}, as long as stock lasts.',
      requiredVariables: ['discount_percentage', 'category', 'start_date'],
    },
    {
      key: 'gift_guide',
      name: 'Holiday Gift Guide',
      description: 'Retired after last season; kept for reference.',
      campaignType: 'holiday',
      contentTemplate:
        'Gifts for every DIYer on your list at Summit Hardware {{location.name}}: {{campaign.gift_ideas}}. Free gift wrap through {{campaign.end_date}}.',
      requiredVariables: ['gift_ideas', 'end_date'],
      isActive: false,
    },
  ],
  campaigns: [
    {
      store: '0012',
      template: 'seasonal_sale',
      status: 'completed',
      createdBy: 'storeManager',
      reviewComment: 'Approved. Make sure the paint desk has extra staff on the first weekend.',
      ageDays: 58,
      run: { startDays: -46, endDays: -32 },
      customizations: (d) => ({
        sale_name: 'Paint Week',
        discount_percentage: 20,
        category: 'interior and exterior paint',
        start_date: d.start,
        end_date: d.end,
      }),
    },
    {
      store: '0014',
      template: 'workshop',
      status: 'completed',
      createdBy: 'storeManager',
      ageDays: 30,
      run: { startDays: -20, endDays: -19 },
      customizations: (d) => ({ workshop_topic: 'Deck staining basics', workshop_day: d.startDay, workshop_time: '10 am' }),
    },
    {
      store: '0067',
      template: 'clearance',
      status: 'completed',
      createdBy: 'admin',
      ageDays: 38,
      run: { startDays: -30, endDays: -16 },
      customizations: (d) => ({ discount_percentage: 40, category: 'outdoor furniture and grills', start_date: d.start }),
    },
    {
      store: '0019',
      template: 'seasonal_sale',
      status: 'active',
      createdBy: 'hardwareManager',
      ageDays: 16,
      run: { startDays: -5, endDays: 9 },
      customizations: (d) => ({
        sale_name: 'Lawn Care Sale',
        discount_percentage: 15,
        category: 'lawn seed, fertilizer and aerators',
        start_date: d.start,
        end_date: d.end,
      }),
    },
    {
      store: '0012',
      template: 'garden_arrivals',
      status: 'active',
      createdBy: 'storeManager',
      ageDays: 12,
      run: { startDays: -3, endDays: 25 },
      customizations: (d) => ({
        start_date: d.start,
        featured_plants: 'perennials, native grasses and fruit trees',
        offer: '10% off potting soil all week',
      }),
    },
    {
      store: '0023',
      template: 'clearance',
      status: 'scheduled',
      createdBy: 'hardwareManager',
      ageDays: 9,
      run: { startDays: 4, endDays: 18 },
      customizations: (d) => ({ discount_percentage: 35, category: 'patio sets and fire pits', start_date: d.start }),
    },
    {
      store: '0014',
      template: 'seasonal_sale',
      status: 'scheduled',
      createdBy: 'storeManager',
      detour: 'after_changes',
      detourComment: "Please name the categories the way the circular does: 'weatherstripping, caulk and door sweeps'.",
      ageDays: 8,
      run: { startDays: 10, endDays: 24 },
      customizations: (d) => ({
        sale_name: 'Weatherproofing Sale',
        discount_percentage: 25,
        category: 'weatherstripping, caulk and door sweeps',
        start_date: d.start,
        end_date: d.end,
      }),
    },
    {
      store: '0027',
      template: 'workshop',
      status: 'approved',
      createdBy: 'hardwareManager',
      reviewComment: 'Looks good. Fine to schedule once the instructor confirms.',
      ageDays: 5,
      run: { startDays: 6, endDays: 6 },
      customizations: (d) => ({ workshop_topic: 'Installing a smart thermostat', workshop_day: d.startDay, workshop_time: '11 am' }),
    },
    {
      store: '0031',
      template: 'garden_arrivals',
      status: 'approved',
      createdBy: 'admin',
      ageDays: 4,
      run: { startDays: 12, endDays: 40 },
      customizations: (d) => ({
        start_date: d.start,
        featured_plants: 'drought-tolerant shrubs and herbs',
        offer: 'a free seed packet with every purchase',
      }),
    },
    {
      store: '0012',
      template: 'workshop',
      status: 'pending_review',
      createdBy: 'storeManager',
      ageDays: 2,
      run: { startDays: 15, endDays: 15 },
      customizations: (d) => ({ workshop_topic: 'Tile backsplash 101', workshop_day: d.startDay, workshop_time: '2 pm' }),
    },
    {
      store: '0036',
      template: 'seasonal_sale',
      status: 'pending_review',
      createdBy: 'hardwareManager',
      ageDays: 1,
      run: { startDays: 20, endDays: 34 },
      customizations: (d) => ({
        sale_name: 'Outdoor Lighting Sale',
        discount_percentage: 30,
        category: 'LED string lights and outdoor timers',
        start_date: d.start,
        end_date: d.end,
      }),
    },
    {
      store: '0042',
      template: 'clearance',
      status: 'pending_review',
      createdBy: 'admin',
      detour: 'after_changes',
      detourComment: 'Nob Hill has no grills left in stock; feature patio heaters instead.',
      ageDays: 6,
      run: { startDays: 8, endDays: 22 },
      customizations: (d) => ({ discount_percentage: 30, category: 'patio heaters', start_date: d.start }),
    },
    {
      store: '0014',
      template: 'clearance',
      status: 'rejected',
      createdBy: 'storeManager',
      reviewComment:
        'We are not clearing power tools this quarter: the vendor promotion runs through January. Please pick another category.',
      ageDays: 7,
      run: { startDays: 14, endDays: 28 },
      customizations: (d) => ({ discount_percentage: 25, category: 'power tools', start_date: d.start }),
    },
    {
      store: '0045',
      template: 'seasonal_sale',
      status: 'rejected',
      createdBy: 'hardwareManager',
      reviewComment: 'A 50% discount is below the regional margin floor (30% at most). Please resubmit with a smaller discount.',
      ageDays: 5,
      run: { startDays: 9, endDays: 23 },
      customizations: (d) => ({
        sale_name: 'Tool Days',
        discount_percentage: 50,
        category: 'hand tools and tool storage',
        start_date: d.start,
        end_date: d.end,
      }),
    },
    {
      store: '0012',
      template: 'seasonal_sale',
      status: 'draft',
      createdBy: 'storeManager',
      ageDays: 1,
      run: { startDays: 30, endDays: 44 },
      customizations: (d) => ({
        sale_name: 'Grill and Patio Sale',
        discount_percentage: 15,
        category: 'grills and patio furniture',
        start_date: d.start,
        end_date: d.end,
      }),
    },
    {
      store: '0051',
      template: 'workshop',
      status: 'draft',
      createdBy: 'hardwareManager',
      detour: 'after_changes',
      detourComment: 'The morning slot collides with the Saturday delivery window; please move it to the afternoon.',
      ageDays: 6,
      run: { startDays: 18, endDays: 18 },
      customizations: (d) => ({ workshop_topic: 'Drip irrigation for desert gardens', workshop_day: d.startDay, workshop_time: '9 am' }),
    },
    {
      store: '0058',
      template: 'garden_arrivals',
      status: 'draft',
      createdBy: 'hardwareManager',
      detour: 'after_rejection',
      detourComment: 'The Route 66 garden center is closed while its greenhouse is rebuilt; please plan this for after it reopens.',
      ageDays: 10,
      run: { startDays: 60, endDays: 90 },
      customizations: (d) => ({
        start_date: d.start,
        featured_plants: 'cold-hardy perennials and alpine strawberries',
        offer: 'free soil testing on the first weekend',
      }),
    },
    {
      store: '0063',
      template: 'clearance',
      status: 'draft',
      createdBy: 'admin',
      detour: 'content_edited',
      ageDays: 3,
      run: { startDays: 25, endDays: 39 },
      customizations: (d) => ({ discount_percentage: 20, category: 'pressure washers', start_date: d.start }),
    },
  ],
};

const daybreakCoffee: DemoBrand = {
  slug: 'daybreak-coffee',
  name: 'Daybreak Coffee Co.',
  manager: 'coffeeManager',
  settings: {
    max_length: 220,
    banned_phrases: ['cheap', 'best coffee in the world', 'guaranteed', 'free refills forever'],
    required_phrases: ['Daybreak'],
    tone: 'Warm, upbeat and conversational, like a regular chatting with the barista. Short sentences.',
  },
  locations: [
    {
      storeNumber: '0101',
      name: 'Capitol Hill',
      address: { street: '1520 E Pine St', city: 'Seattle', state: 'WA', zip: '98122' },
      attributes: { square_footage: 1800, region: 'puget_sound', drive_thru: false, seating_capacity: 42, has_patio: true, opened_year: 2012 },
    },
    {
      storeNumber: '0104',
      name: 'Ballard',
      address: { street: '5405 Ballard Ave NW', city: 'Seattle', state: 'WA', zip: '98107' },
      attributes: { square_footage: 1500, region: 'puget_sound', drive_thru: false, seating_capacity: 30, has_patio: false, opened_year: 2014 },
    },
    {
      storeNumber: '0108',
      name: 'Proctor',
      address: { street: '2715 N Proctor St', city: 'Tacoma', state: 'WA', zip: '98407' },
      attributes: { square_footage: 2200, region: 'puget_sound', drive_thru: true, seating_capacity: 36, has_patio: true, opened_year: 2016 },
    },
    {
      storeNumber: '0112',
      name: 'Bellevue Downtown',
      address: { street: '10210 NE 8th St', city: 'Bellevue', state: 'WA', zip: '98004' },
      attributes: { square_footage: 2000, region: 'puget_sound', drive_thru: false, seating_capacity: 48, has_patio: false, opened_year: 2017 },
    },
    {
      storeNumber: '0115',
      name: 'Riverside',
      address: { street: '921 W Riverside Ave', city: 'Spokane', state: 'WA', zip: '99201' },
      attributes: { square_footage: 2400, region: 'inland_northwest', drive_thru: true, seating_capacity: 28, has_patio: false, opened_year: 2018 },
    },
    {
      storeNumber: '0119',
      name: 'Alberta Arts',
      address: { street: '2926 NE Alberta St', city: 'Portland', state: 'OR', zip: '97211' },
      attributes: { square_footage: 1600, region: 'willamette_valley', drive_thru: false, seating_capacity: 34, has_patio: true, opened_year: 2011 },
    },
    {
      storeNumber: '0123',
      name: 'Hawthorne',
      address: { street: '3620 SE Hawthorne Blvd', city: 'Portland', state: 'OR', zip: '97214' },
      attributes: { square_footage: 1700, region: 'willamette_valley', drive_thru: false, seating_capacity: 38, has_patio: true, opened_year: 2013 },
    },
    {
      storeNumber: '0127',
      name: 'Willamette Street',
      address: { street: '1245 Willamette St', city: 'Eugene', state: 'OR', zip: '97401' },
      attributes: { square_footage: 1900, region: 'willamette_valley', drive_thru: false, seating_capacity: 40, has_patio: false, opened_year: 2015 },
    },
    {
      storeNumber: '0131',
      name: 'Old Mill',
      address: { street: '61535 S Highway 97', city: 'Bend', state: 'OR', zip: '97702' },
      attributes: { square_footage: 2600, region: 'central_oregon', drive_thru: true, seating_capacity: 24, has_patio: true, opened_year: 2019 },
    },
    {
      storeNumber: '0136',
      name: 'Midtown',
      address: { street: '2010 J St', city: 'Sacramento', state: 'CA', zip: '95811' },
      attributes: { square_footage: 2100, region: 'northern_california', drive_thru: false, seating_capacity: 44, has_patio: true, opened_year: 2016 },
    },
    {
      storeNumber: '0140',
      name: 'Temescal',
      address: { street: '4920 Telegraph Ave', city: 'Oakland', state: 'CA', zip: '94609' },
      attributes: { square_footage: 1400, region: 'northern_california', drive_thru: false, seating_capacity: 26, has_patio: false, opened_year: 2020 },
    },
    {
      storeNumber: '0144',
      name: 'Willow Glen',
      address: { street: '1140 Lincoln Ave', city: 'San Jose', state: 'CA', zip: '95125' },
      attributes: { square_footage: 2300, region: 'northern_california', drive_thru: true, seating_capacity: 32, has_patio: true, opened_year: 2021 },
    },
    {
      storeNumber: '0149',
      name: 'Midtown Reno',
      address: { street: '1025 S Virginia St', city: 'Reno', state: 'NV', zip: '89502' },
      attributes: { square_footage: 2500, region: 'great_basin', drive_thru: true, seating_capacity: 30, has_patio: false, opened_year: 2022 },
    },
    {
      storeNumber: '0153',
      name: 'Boise Downtown',
      address: { street: '812 W Bannock St', city: 'Boise', state: 'ID', zip: '83702' },
      attributes: {
        square_footage: 1750,
        region: 'inland_northwest',
        drive_thru: false,
        seating_capacity: 36,
        has_patio: true,
        opened_year: 2015,
        remodeled: true,
      },
    },
  ],
  templates: [
    {
      key: 'seasonal_drink',
      name: 'Seasonal Drink Launch',
      description: 'Announces a limited-time drink on the seasonal menu.',
      campaignType: 'seasonal_menu',
      contentTemplate:
        '{{campaign.drink_name}} is here at Daybreak {{location.name}}! Try it {{campaign.serving_style}} at our {{location.city}} cafe from {{campaign.start_date}}.',
      requiredVariables: ['drink_name', 'serving_style', 'start_date'],
    },
    {
      key: 'happy_hour',
      name: 'Afternoon Happy Hour',
      description: 'A recurring afternoon discount.',
      campaignType: 'happy_hour',
      contentTemplate:
        'Afternoon pick-me-up at Daybreak {{location.name}}: {{campaign.discount_percentage}}% off {{campaign.item}}, {{campaign.days}} from {{campaign.start_time}} to {{campaign.end_time}}. See you in {{location.city}}.',
      requiredVariables: ['discount_percentage', 'item', 'days', 'start_time', 'end_time'],
    },
    {
      key: 'double_points',
      name: 'Double Rewards Days',
      description: 'Double loyalty points at one cafe for a few days.',
      campaignType: 'loyalty',
      contentTemplate:
        'Double Daybreak Rewards points at {{location.name}} in {{location.city}} from {{campaign.start_date}} to {{campaign.end_date}}. Order ahead in the app and skip the line.',
      requiredVariables: ['start_date', 'end_date'],
    },
    {
      key: 'reopening',
      name: 'Grand Re-Opening',
      description: 'For a cafe reopening after a remodel.',
      campaignType: 'grand_opening',
      contentTemplate:
        'Daybreak {{location.name}} reopens {{campaign.start_date}} after a fresh remodel at {{location.street}}, {{location.city}}. The first {{campaign.giveaway_count}} guests get {{campaign.giveaway}}.',
      requiredVariables: ['start_date', 'giveaway_count', 'giveaway'],
    },
    {
      key: 'drive_thru',
      name: 'Drive-Thru Breakfast',
      description: 'For cafes with a drive-thru (attribute drive_thru).',
      campaignType: 'drive_thru',
      requiresAttribute: 'drive_thru',
      contentTemplate:
        'New at the Daybreak {{location.name}} drive-thru: {{campaign.combo}} for {{campaign.price}}, weekdays until {{campaign.end_time}}. Fresh, fast and made to order in {{location.city}}.',
      requiredVariables: ['combo', 'price', 'end_time'],
    },
    {
      key: 'gift_cards',
      name: 'Holiday Gift Cards',
      description: 'Retired after last season; kept for reference.',
      campaignType: 'holiday',
      contentTemplate:
        'Give the gift of Daybreak: buy a {{campaign.card_value}} gift card at {{location.name}} and get {{campaign.bonus}} for yourself, through {{campaign.end_date}}.',
      requiredVariables: ['card_value', 'bonus', 'end_date'],
      isActive: false,
    },
  ],
  campaigns: [
    {
      store: '0101',
      template: 'seasonal_drink',
      status: 'completed',
      createdBy: 'coffeeManager',
      ageDays: 70,
      run: { startDays: -60, endDays: -30 },
      customizations: (d) => ({ drink_name: 'Lavender Honey Latte', serving_style: 'hot or iced', start_date: d.start }),
    },
    {
      store: '0119',
      template: 'happy_hour',
      status: 'completed',
      createdBy: 'admin',
      reviewComment: 'Approved for four weeks; we will look at the sales numbers before extending.',
      ageDays: 42,
      run: { startDays: -35, endDays: -7 },
      customizations: () => ({
        discount_percentage: 25,
        item: 'all espresso drinks',
        days: 'weekdays',
        start_time: '2 pm',
        end_time: '4 pm',
      }),
    },
    {
      store: '0104',
      template: 'double_points',
      status: 'active',
      createdBy: 'coffeeManager',
      ageDays: 12,
      run: { startDays: -4, endDays: 3 },
      customizations: (d) => ({ start_date: d.start, end_date: d.end }),
    },
    {
      store: '0136',
      template: 'seasonal_drink',
      status: 'active',
      createdBy: 'admin',
      ageDays: 18,
      run: { startDays: -10, endDays: 20 },
      customizations: (d) => ({ drink_name: 'The Maple Oat Cortado', serving_style: 'hot, with a maple sugar rim', start_date: d.start }),
    },
    {
      store: '0131',
      template: 'drive_thru',
      status: 'active',
      createdBy: 'coffeeManager',
      ageDays: 9,
      run: { startDays: -2, endDays: 28 },
      customizations: () => ({ combo: 'a breakfast burrito and a 12 oz drip coffee', price: '$7.50', end_time: '10:30 am' }),
    },
    {
      store: '0123',
      template: 'happy_hour',
      status: 'scheduled',
      createdBy: 'coffeeManager',
      ageDays: 6,
      run: { startDays: 3, endDays: 31 },
      customizations: () => ({
        discount_percentage: 20,
        item: 'cold brew and iced teas',
        days: 'Monday to Thursday',
        start_time: '3 pm',
        end_time: '5 pm',
      }),
    },
    {
      store: '0153',
      template: 'reopening',
      status: 'scheduled',
      createdBy: 'admin',
      ageDays: 9,
      run: { startDays: 7, endDays: 7 },
      customizations: (d) => ({ start_date: d.start, giveaway_count: 50, giveaway: 'a Daybreak tote and a drink on us' }),
    },
    {
      store: '0140',
      template: 'double_points',
      status: 'approved',
      createdBy: 'coffeeManager',
      ageDays: 4,
      run: { startDays: 5, endDays: 11 },
      customizations: (d) => ({ start_date: d.start, end_date: d.end }),
    },
    {
      store: '0115',
      template: 'drive_thru',
      status: 'approved',
      createdBy: 'coffeeManager',
      detour: 'after_changes',
      detourComment: 'The Spokane drive-thru switches to the lunch menu at 11 am; please change the end time.',
      ageDays: 8,
      run: { startDays: 9, endDays: 39 },
      customizations: () => ({ combo: 'an egg and cheddar sandwich and a 12 oz latte', price: '$8.25', end_time: '11 am' }),
    },
    {
      store: '0108',
      template: 'seasonal_drink',
      status: 'pending_review',
      createdBy: 'coffeeManager',
      ageDays: 2,
      run: { startDays: 14, endDays: 44 },
      customizations: (d) => ({ drink_name: 'Cardamom Cold Brew', serving_style: 'over ice with oat milk', start_date: d.start }),
    },
    {
      store: '0127',
      template: 'happy_hour',
      status: 'pending_review',
      createdBy: 'admin',
      ageDays: 1,
      run: { startDays: 6, endDays: 34 },
      customizations: () => ({
        discount_percentage: 15,
        item: 'pastries with any drink',
        days: 'weekdays',
        start_time: '1 pm',
        end_time: '3 pm',
      }),
    },
    {
      store: '0144',
      template: 'double_points',
      status: 'rejected',
      createdBy: 'coffeeManager',
      reviewComment:
        'Double points weeks are planned chain-wide in the app; a single-cafe version would contradict the rewards FAQ.',
      ageDays: 5,
      run: { startDays: 12, endDays: 18 },
      customizations: (d) => ({ start_date: d.start, end_date: d.end }),
    },
    {
      store: '0149',
      template: 'drive_thru',
      status: 'rejected',
      createdBy: 'admin',
      reviewComment: '$4.99 is under the regional price floor for this combo; the approved price is $6.99.',
      ageDays: 6,
      run: { startDays: 10, endDays: 40 },
      customizations: () => ({ combo: 'a bagel with cream cheese and a 12 oz drip coffee', price: '$4.99', end_time: '10 am' }),
    },
    {
      store: '0101',
      template: 'happy_hour',
      status: 'draft',
      createdBy: 'coffeeManager',
      ageDays: 1,
      run: { startDays: 21, endDays: 49 },
      customizations: () => ({
        discount_percentage: 20,
        item: 'hot chocolate and chai',
        days: 'weekends',
        start_time: '4 pm',
        end_time: '6 pm',
      }),
    },
    {
      store: '0112',
      template: 'seasonal_drink',
      status: 'draft',
      createdBy: 'admin',
      detour: 'after_rejection',
      detourComment: "We cannot call this drink 'locally roasted': its beans come from the Portland roastery.",
      ageDays: 7,
      run: { startDays: 16, endDays: 46 },
      customizations: (d) => ({ drink_name: 'Pacific Mocha', serving_style: 'hot or iced', start_date: d.start }),
    },
    {
      store: '0123',
      template: 'double_points',
      status: 'draft',
      createdBy: 'coffeeManager',
      detour: 'content_edited',
      ageDays: 3,
      run: { startDays: 35, endDays: 41 },
      customizations: (d) => ({ start_date: d.start, end_date: d.end }),
    },
  ],
};

export const DEMO_BRANDS: readonly DemoBrand[] = [summitHardware, daybreakCoffee];
