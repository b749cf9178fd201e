/**
 * Campaign template rendering. Templates use the spec's `{{location.name}}` and
 * `{{campaign.sale_type}}` placeholders, rendered by Liquid: a template language that cannot
 * run code, with our limits on template size, render time and output size.
 */
import { Liquid } from 'liquidjs';

const engine = new Liquid({
  ownPropertyOnly: true, // no access to prototype properties such as constructor
  strictFilters: true,
  parseLimit: 100_000,
  renderLimit: 1_000, // milliseconds
  memoryLimit: 10_000_000,
  cache: 1_000,
});

export interface TemplateLocation {
  name: string;
  store_number: string;
  address: Record<string, unknown>;
  attributes: Record<string, unknown>;
}

export interface TemplateContext {
  location: TemplateLocation;
  customizations: Record<string, unknown>;
  brand?: { name: string };
}

export class TemplateSyntaxError extends Error {}

/** Parses a template, throwing TemplateSyntaxError with Liquid's message when it is invalid. */
export function parseTemplate(source: string) {
  try {
    return engine.parse(source);
  } catch (error) {
    throw new TemplateSyntaxError((error as Error).message);
  }
}

function renderContext(context: TemplateContext): Record<string, unknown> {
  const { location } = context;
  return {
    location: {
      ...location.attributes,
      ...location.address,
      name: location.name,
      store_number: location.store_number,
      address: location.address,
      attributes: location.attributes,
      full_address: fullAddress(location.address),
    },
    campaign: context.customizations,
    brand: context.brand ?? {},
  };
}

function addressText(address: Record<string, unknown>, key: string): string {
  const value = address[key];
  return typeof value === 'string' ? value.trim() : '';
}

function joinPresent(separator: string, first: string, second: string): string {
  return first && second ? first + separator + second : first || second;
}

export function fullAddress(address: Record<string, unknown>): string {
  // Concatenated, with no closures or arrays: this runs for every row of a 10,000-row sync.
  const cityLine = joinPresent(', ', addressText(address, 'city'), joinPresent(' ', addressText(address, 'state'), addressText(address, 'zip')));
  return joinPresent(', ', addressText(address, 'street'), cityLine);
}

/** Placeholders of the template (`location.name`, `campaign.sale_type`, ...) with no value in `context`. */
export function missingPlaceholders(source: string, context: TemplateContext): string[] {
  const values = renderContext(context);
  const segments = engine.globalVariableSegmentsSync(parseTemplate(source));
  const missing = new Set<string>();
  for (const path of segments) {
    let value: unknown = values;
    for (const segment of path) {
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[String(segment)] : undefined;
    }
    if (value === undefined || value === null || value === '') missing.add(path.join('.'));
  }
  return [...missing];
}

/** Every variable path the template reads (`location.name`, `campaign.sale_type`, ...), in order of first use. */
export function templatePlaceholders(source: string): string[] {
  return [...new Set(engine.globalVariableSegmentsSync(parseTemplate(source)).map((path) => path.join('.')))];
}

export async function renderTemplate(source: string, context: TemplateContext): Promise<string> {
  return (await engine.render(parseTemplate(source), renderContext(context))) as string;
}

/** Required variables that `customizations` lacks (absent, null or blank). */
export function missingRequiredVariables(required: readonly string[], customizations: Record<string, unknown>): string[] {
  return required.filter((name) => {
    const value = customizations[name];
    return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  });
}
