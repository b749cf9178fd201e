/**
 * The prompt: the spec's system and user parts (match the examples' tone, use location details,
 * concise, no placeholder brackets), plus the brand's own rules, so the model knows the checks
 * its answer must pass.
 */
import { fullAddress, readBrandSettings, renderTemplate, type BrandSettings } from '@storesync/core';
import { offlinePromptPayload } from '../providers/offline.ts';
import type { ChatMessage } from '../providers/types.ts';

export interface PromptInput {
  contentTemplate: string;
  renderedTemplate: string;
  location: { name: string; storeNumber: string; city?: string; fullAddress: string; attributes: Record<string, unknown> };
  customizations: Record<string, unknown>;
  examples: string[];
  additionalContext: string;
  brand: { name: string; settings: BrandSettings };
  /** Why the previous answer was refused, for the one retry after failed output checks. */
  previousProblems: string[];
}

function systemPrompt(brand: PromptInput['brand']): string {
  const rules = [
    'Match the tone and style of the example content',
    'Incorporate location-specific details naturally',
    'Keep content concise and action-oriented',
    'Do not include placeholder brackets in output',
  ];
  const { settings } = brand;
  if (settings.tone) rules.push(`Write in this voice: ${settings.tone}`);
  if (settings.max_length) rules.push(`Stay under ${settings.max_length} characters`);
  if (settings.required_phrases?.length) rules.push(`Always include: ${settings.required_phrases.map((p) => `"${p}"`).join(', ')}`);
  if (settings.banned_phrases?.length) rules.push(`Never use: ${settings.banned_phrases.map((p) => `"${p}"`).join(', ')}`);
  return [
    `You are a marketing content specialist for retail chains, writing for ${brand.name}.`,
    'Generate engaging, location-specific marketing content based on the template and context provided.',
    '',
    'IMPORTANT:',
    ...rules.map((rule) => `- ${rule}`),
  ].join('\n');
}

function userPrompt(input: PromptInput): string {
  const sections = [
    `Template to fill:\n${input.contentTemplate}`,
    `Template with this location's values filled in:\n${input.renderedTemplate}`,
    [
      'Location details:',
      `- Name: ${input.location.name}`,
      `- Store Number: ${input.location.storeNumber}`,
      `- Address: ${input.location.fullAddress}`,
      `- Attributes: ${JSON.stringify(input.location.attributes)}`,
    ].join('\n'),
    `Customization variables:\n${JSON.stringify(input.customizations)}`,
  ];
  if (input.examples.length) {
    sections.push(
      `Reference these approved examples for tone/style:\n${input.examples.map((text, i) => `Example ${i + 1}:\n${text}`).join('\n\n')}`,
    );
  }
  if (input.additionalContext) sections.push(`Additional context: ${input.additionalContext}`);
  if (input.previousProblems.length) {
    sections.push(`Your previous answer was refused because ${input.previousProblems.join('; ')}. Write it again without these problems.`);
  }
  sections.push('Generate the final marketing content:');
  return sections.join('\n\n');
}

/**
 * `offlineFacts` appends the facts as the offline provider's payload block (see
 * providers/offline.ts); a real model gets the prose alone.
 */
export function buildPrompt(input: PromptInput, options: { offlineFacts: boolean }): ChatMessage[] {
  let user = userPrompt(input);
  if (options.offlineFacts) {
    const city = input.location.city;
    user += `\n\n${offlinePromptPayload({
      renderedTemplate: input.renderedTemplate,
      location: { name: input.location.name, ...(city ? { city } : {}), attributes: input.location.attributes },
      customizations: input.customizations,
      ...(input.brand.settings.max_length ? { maxLength: input.brand.settings.max_length } : {}),
    })}`;
  }
  return [
    { role: 'system', content: systemPrompt(input.brand) },
    { role: 'user', content: user },
  ];
}

/** What preparePrompt reads of a campaign: the shape of a LocationCampaign with its location, brand and template. */
export interface CampaignForPrompt {
  customizations: unknown;
  location: {
    name: string;
    storeNumber: string;
    address: unknown;
    attributes: unknown;
    brand: { name: string; settings: unknown };
  };
  template: { contentTemplate: string };
}

/**
 * The prompt input for a campaign, without examples: the template rendered for its location and
 * customizations, and the facts the prompt states. The worker and the run estimate both start here.
 */
export async function preparePrompt(campaign: CampaignForPrompt, additionalContext: string): Promise<PromptInput> {
  const { location, template } = campaign;
  const address = location.address as Record<string, unknown>;
  const attributes = location.attributes as Record<string, unknown>;
  const customizations = campaign.customizations as Record<string, unknown>;
  const rendered = await renderTemplate(template.contentTemplate, {
    location: { name: location.name, store_number: location.storeNumber, address, attributes },
    customizations,
    brand: { name: location.brand.name },
  });
  return {
    contentTemplate: template.contentTemplate,
    renderedTemplate: rendered,
    location: {
      name: location.name,
      storeNumber: location.storeNumber,
      ...(typeof address.city === 'string' ? { city: address.city } : {}),
      fullAddress: fullAddress(address),
      attributes,
    },
    customizations,
    examples: [],
    additionalContext,
    brand: { name: location.brand.name, settings: readBrandSettings(location.brand.settings) },
    previousProblems: [],
  };
}
