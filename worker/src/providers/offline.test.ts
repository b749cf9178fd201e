import { describe, expect, it } from 'vitest';
import { type CopyPromptFacts, createOfflineProviders, hashedEmbedding, offlinePromptPayload } from './offline.ts';
import { type ChatMessage, ProviderError } from './types.ts';

const pearlStreet: CopyPromptFacts = {
  renderedTemplate:
    'Spring Savings at Summit Hardware Pearl Street in Boulder: save 20% on garden tools from March 1 through March 15. Our team will help you find the right tools for the job.',
  location: {
    name: 'Pearl Street',
    city: 'Boulder',
    attributes: { square_footage: 24000, region: 'front_range', has_garden_center: true, has_lumber_yard: false },
  },
  customizations: { sale_name: 'Spring Savings', discount_percentage: 20, category: 'garden tools' },
  maxLength: 280,
};

function promptFor(facts: CopyPromptFacts): ChatMessage[] {
  return [
    { role: 'system', content: 'You write short, friendly local marketing copy.' },
    { role: 'user', content: `Write the campaign copy for ${facts.location.name}.\n\n${offlinePromptPayload(facts)}` },
  ];
}

function sentenceCount(text: string): number {
  return text.split(/(?<=[.!?])\s+/).length;
}

function cosine(a: number[], b: number[]): number {
  return a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);
}

describe('offline chat provider', () => {
  const { chat } = createOfflineProviders();

  it('writes 2–3 sentences from the rendered template, naming the location and a feature', async () => {
    const result = await chat.complete(promptFor(pearlStreet));

    expect(result.model).toBe('storesync-offline-copy-v1');
    expect(result.content).toContain('Spring Savings at Summit Hardware Pearl Street in Boulder');
    expect(result.content).toContain('garden center');
    expect(result.content).not.toContain('lumber yard');
    expect(sentenceCount(result.content)).toBeGreaterThanOrEqual(2);
    expect(sentenceCount(result.content)).toBeLessThanOrEqual(3);
    expect(result.content.length).toBeLessThanOrEqual(280);
    expect(result.content).not.toMatch(/[[\]{}<>]/);
  });

  it('is deterministic and counts tokens as characters / 4', async () => {
    const messages = promptFor(pearlStreet);
    const first = await chat.complete(messages);
    const second = await createOfflineProviders().chat.complete(messages);
    expect(second).toEqual(first);
    expect(first.completionTokens).toBe(Math.ceil(first.content.length / 4));
    expect(first.promptTokens).toBe(Math.ceil(messages.map((message) => message.content).join('\n').length / 4));
  });

  it('names the drive-thru of a cafe', async () => {
    const result = await chat.complete(
      promptFor({
        renderedTemplate: 'Pumpkin Oat Latte is here at Daybreak Division Street! Try it iced at our Portland cafe from October 1.',
        location: { name: 'Division Street', city: 'Portland', attributes: { drive_thru: true, has_patio: false } },
      }),
    );
    expect(result.content).toContain('drive-thru');
    expect(result.content).toContain('Division Street');
  });

  it('mentions a feature the template does not already mention', async () => {
    const result = await chat.complete(
      promptFor({
        renderedTemplate: 'Fresh arrivals at the Summit Hardware Flatirons garden center from April 5: native perennials.',
        location: { name: 'Flatirons', city: 'Boulder', attributes: { has_garden_center: true, has_lumber_yard: true } },
      }),
    );
    expect(result.content).toContain('lumber yard');
    expect(result.content.match(/garden center/g)).toHaveLength(1);
  });

  it('invites people to the location when it has no features to name', async () => {
    const result = await chat.complete(
      promptFor({ renderedTemplate: 'Double rewards points this weekend.', location: { name: 'Capitol Hill', city: 'Seattle' } }),
    );
    expect(result.content).toMatch(/^Double rewards points this weekend\. .*Capitol Hill in Seattle\.$/);
  });

  it('removes leftover placeholders', async () => {
    const result = await chat.complete(
      promptFor({
        renderedTemplate: 'Clearance at {{location.name}} [insert store]: up to 40% off paint , while stock lasts.',
        location: { name: 'Pearl Street' },
      }),
    );
    expect(result.content).not.toMatch(/[[\]{}]/);
    expect(result.content).toContain('Clearance at: up to 40% off paint, while stock lasts.');
  });

  it('drops the least important sentences to stay within the maximum length', async () => {
    const result = await chat.complete(promptFor({ ...pearlStreet, maxLength: 180 }));
    expect(result.content.length).toBeLessThanOrEqual(180);
    expect(result.content).toContain('garden center');
    expect(result.content).not.toContain('Our team will help you');
  });

  it('cuts a single sentence that is longer than the maximum at a word', async () => {
    const result = await chat.complete(promptFor({ ...pearlStreet, maxLength: 60 }));
    expect(result.content.length).toBeLessThanOrEqual(60);
    expect(result.content).toBe('Spring Savings at Summit Hardware Pearl Street in Boulder…');
  });

  it('echoes the first sentences of the user message when there is no payload block', async () => {
    const result = await chat.complete([
      {
        role: 'user',
        content: '# Copy request\nFacts:\n- Spring sale at Pearl Street this weekend\n- Garden tools are 20% off.\n- Bring a friend. Extra line.',
      },
    ]);
    expect(result.content).toBe('Spring sale at Pearl Street this weekend. Garden tools are 20% off. Bring a friend.');
  });

  it('fails loudly on an invalid payload block', async () => {
    const broken = '```storesync-offline\n{"renderedTemplate": 12}\n```';
    const error = await chat.complete([{ role: 'user', content: `Write.\n${broken}` }]).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: false });
  });

  it('needs a user message', async () => {
    await expect(chat.complete([{ role: 'system', content: 'Be brief.' }])).rejects.toThrow(ProviderError);
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(chat.complete(promptFor(pearlStreet), { signal: controller.signal })).rejects.toThrow('cancelled');
  });
});

describe('offline embedding provider', () => {
  const { embeddings } = createOfflineProviders();
  const sale = 'Spring sale at Summit Hardware Pearl Street: save 20% on garden tools through March 31.';
  const paraphrase = 'Spring sale at Summit Hardware Pearl Street: save 20 percent on all garden tools until March 31!';
  const unrelated = 'Double rewards points at the Daybreak Capitol Hill cafe this weekend; order ahead in the app.';

  it('answers 1536-dimensional unit vectors, one per text, the same on every call', async () => {
    const first = await embeddings.embed([sale, unrelated, '']);
    const second = await createOfflineProviders().embeddings.embed([sale, unrelated, '']);

    expect(first.model).toBe('storesync-offline-embed-v1');
    expect(embeddings.dimensions).toBe(1536);
    expect(second).toEqual(first);
    expect(first.embeddings).toHaveLength(3);
    for (const vector of first.embeddings) {
      expect(vector).toHaveLength(1536);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 10);
    }
    expect(first.promptTokens).toBe(Math.ceil(sale.length / 4) + Math.ceil(unrelated.length / 4));
  });

  it('puts paraphrases near each other and unrelated texts far apart', async () => {
    const {
      embeddings: [saleVector = [], paraphraseVector = [], unrelatedVector = []],
    } = await embeddings.embed([sale, paraphrase, unrelated]);

    expect(cosine(saleVector, paraphraseVector)).toBeGreaterThan(0.6);
    expect(Math.abs(cosine(saleVector, unrelatedVector))).toBeLessThan(0.2);
    expect(Math.abs(cosine(paraphraseVector, unrelatedVector))).toBeLessThan(0.2);
  });

  it('ignores case, accents and punctuation', () => {
    expect(hashedEmbedding('Café Crème, TODAY!', 1536)).toEqual(hashedEmbedding('cafe creme today', 1536));
  });
});
