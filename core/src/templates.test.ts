import { describe, expect, it } from 'vitest';
import {
  fullAddress,
  missingPlaceholders,
  missingRequiredVariables,
  renderTemplate,
  TemplateSyntaxError,
  type TemplateContext,
} from './templates.ts';

const context: TemplateContext = {
  location: {
    name: 'Austin Downtown',
    store_number: '0012',
    address: { street: '500 Congress Ave', city: 'Austin', state: 'TX', zip: '78701' },
    attributes: { region: 'southwest', square_footage: 5000 },
  },
  customizations: { sale_type: 'Summer Clearance', discount_percentage: 30 },
  brand: { name: 'Acme' },
};

describe('renderTemplate', () => {
  it('fills the spec’s location and campaign placeholders', async () => {
    await expect(
      renderTemplate('{{location.name}} is having a {{campaign.sale_type}} sale! {{campaign.discount_percentage}}% off.', context),
    ).resolves.toBe('Austin Downtown is having a Summer Clearance sale! 30% off.');
  });

  it('exposes address parts, attributes and the full address on location', async () => {
    await expect(renderTemplate('{{location.city}} / {{location.region}} / {{location.full_address}}', context)).resolves.toBe(
      'Austin / southwest / 500 Congress Ave, Austin, TX 78701',
    );
  });

  it('cannot reach JavaScript internals or run code', async () => {
    const hostile = [
      '{{ location.constructor }}',
      '{{ location.name.constructor.constructor }}',
      '{{ campaign.__proto__ }}',
      "{{ 'x' | constructor }}",
    ];
    for (const source of hostile) {
      const result = await renderTemplate(source, context).catch((error: Error) => error);
      expect(typeof result === 'string' ? result.trim() : result).toSatisfy(
        (value: unknown) => value === '' || value instanceof Error,
      );
    }
  });

  it('reports syntax errors as TemplateSyntaxError', async () => {
    await expect(renderTemplate('{{ location.name ', context)).rejects.toBeInstanceOf(TemplateSyntaxError);
  });

  it('stops runaway templates', async () => {
    const loop = '{% for a in (1..100000) %}{% for b in (1..100000) %}x{% endfor %}{% endfor %}';
    await expect(renderTemplate(loop, context)).rejects.toThrow();
  });
});

describe('variables', () => {
  it('lists placeholders without a value', () => {
    expect(missingPlaceholders('{{location.name}} {{campaign.sale_type}} {{campaign.end_date}}', context)).toEqual([
      'campaign.end_date',
    ]);
  });

  it('lists required variables that are absent, null or blank', () => {
    expect(missingRequiredVariables(['sale_type', 'a', 'b', 'c'], { sale_type: 'x', a: null, b: '  ' })).toEqual(['a', 'b', 'c']);
  });

  it('formats partial addresses without stray commas', () => {
    expect(fullAddress({ street: ' 1 Main St ', city: 'Austin', state: 'TX', zip: '78701' })).toBe('1 Main St, Austin, TX 78701');
    expect(fullAddress({ city: 'Austin', state: 'TX' })).toBe('Austin, TX');
    expect(fullAddress({ street: '1 Main St', zip: '78701' })).toBe('1 Main St, 78701');
    expect(fullAddress({ state: 'TX', zip: '78701', city: '  ' })).toBe('TX 78701');
    expect(fullAddress({ street: 7, city: 'Austin' })).toBe('Austin');
    expect(fullAddress({})).toBe('');
  });
});
