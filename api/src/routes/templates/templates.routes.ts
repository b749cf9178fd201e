import { z } from '@hono/zod-openapi';
import { parseTemplate, TemplateSyntaxError } from '@storesync/core';
import { paginatedSchema, paginationQuery } from '../../lib/pagination.ts';
import { authedRoute } from '../../lib/route.ts';
import { BooleanQuery, IdParam, jsonBody, jsonResponse, RowVersion, Timestamps } from '../../lib/schemas.ts';

/** Liquid refuses templates beyond this size (core's parseLimit); refusing earlier names the field. */
const MAX_TEMPLATE_CHARS = 100_000;

export const TemplateSchema = z
  .object({
    id: z.string().uuid(),
    brand: z.string().uuid(),
    name: z.string(),
    description: z.string(),
    content_template: z.string().openapi({ example: '{{location.name}} is having a {{campaign.sale_type}} sale!' }),
    required_variables: z.array(z.string()).openapi({ example: ['sale_type'] }),
    campaign_type: z.string().openapi({ example: 'seasonal_sale' }),
    is_active: z.boolean(),
    version: z.number().int().openapi({ description: 'Goes up by one whenever content_template changes' }),
    row_version: RowVersion,
    ...Timestamps,
  })
  .openapi('CampaignTemplate');

/** Invalid Liquid is a problem of the content_template field, reported with Liquid's own message. */
const contentTemplate = z
  .string()
  .min(1)
  .max(MAX_TEMPLATE_CHARS)
  .superRefine((source, ctx) => {
    try {
      parseTemplate(source);
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  })
  .openapi({ description: 'Liquid template, e.g. `{{location.name}} is having a {{campaign.sale_type}} sale!`' });

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Customization keys a campaign must fill; each problem is named `required_variables.<index>`. */
const requiredVariables = z
  .array(z.string().max(100).regex(IDENTIFIER, 'use letters, digits and underscores, not starting with a digit'))
  .max(100)
  .superRefine((names, ctx) => {
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index) {
        ctx.addIssue({ code: 'custom', path: [index], message: `"${name}" is listed more than once` });
      }
    });
  });

export const templateFields = {
  name: z.string().trim().min(1).max(255),
  description: z.string().max(10_000),
  content_template: contentTemplate,
  required_variables: requiredVariables,
  campaign_type: z.string().trim().min(1).max(50).openapi({ example: 'seasonal_sale' }),
  is_active: z.boolean(),
};

export const TemplateCreateSchema = z
  .object({
    brand: z.string().uuid(),
    ...templateFields,
    description: templateFields.description.default(''),
    required_variables: requiredVariables.default([]),
    is_active: z.boolean().default(true),
  })
  .strict()
  .openapi('CampaignTemplateCreate');

// The plain fields, not TemplateCreateSchema.partial(), so defaults never overwrite what a PATCH
// leaves out; `brand` is absent, so moving a template to another brand is refused as an unknown field.
export const TemplateUpdateSchema = z.object(templateFields).partial().strict().openapi('CampaignTemplateUpdate');

export const TemplateVariablesSchema = z
  .object({
    placeholders: z
      .array(z.string())
      .openapi({ description: 'Variables the template uses', example: ['location.name', 'campaign.sale_type'] }),
    required_variables: z.array(z.string()).openapi({ example: ['sale_type'] }),
  })
  .openapi('CampaignTemplateVariables');

const tags = ['templates'];

export const listTemplates = authedRoute({
  method: 'get',
  path: '/campaigns/templates',
  tags,
  summary: 'List the campaign templates of the caller’s brands (admins: all)',
  request: {
    query: z.object({
      ...paginationQuery,
      brand: z.string().uuid().optional(),
      campaign_type: z.string().max(50).optional(),
      is_active: BooleanQuery.optional(),
      search: z.string().max(255).optional().openapi({ description: 'Matches the name' }),
    }),
  },
  responses: { 200: jsonResponse(paginatedSchema(TemplateSchema, 'CampaignTemplatePage'), 'A page of templates') },
});

export const createTemplate = authedRoute({
  method: 'post',
  path: '/campaigns/templates',
  tags,
  summary: 'Create a campaign template (admins and the brand’s managers)',
  request: jsonBody(TemplateCreateSchema),
  responses: { 201: jsonResponse(TemplateSchema, 'Created') },
});

export const getTemplate = authedRoute({
  method: 'get',
  path: '/campaigns/templates/{id}',
  tags,
  summary: 'Retrieve a campaign template',
  request: { params: IdParam },
  responses: { 200: jsonResponse(TemplateSchema, 'The template') },
});

export const getTemplateVariables = authedRoute({
  method: 'get',
  path: '/campaigns/templates/{id}/variables',
  tags,
  summary: 'The placeholders a template uses and the variables a campaign must supply',
  request: { params: IdParam },
  responses: { 200: jsonResponse(TemplateVariablesSchema, 'Placeholders and required variables') },
});

export const updateTemplate = authedRoute({
  method: 'patch',
  path: '/campaigns/templates/{id}',
  tags,
  summary: 'Update a campaign template (admins and the brand’s managers)',
  request: { params: IdParam, ...jsonBody(TemplateUpdateSchema) },
  responses: { 200: jsonResponse(TemplateSchema, 'Updated') },
});

export const deleteTemplate = authedRoute({
  method: 'delete',
  path: '/campaigns/templates/{id}',
  tags,
  summary: 'Delete a campaign template no campaign uses (admins and the brand’s managers)',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' } },
});
