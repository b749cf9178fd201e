import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from '../../test/fake-openai.ts';
import { type ProviderEnv, createProviders } from './index.ts';

const defaults: ProviderEnv = {
  OPENAI_API_KEY: undefined,
  OPENAI_BASE_URL: undefined,
  OPENAI_CHAT_MODEL: 'gpt-4o-mini',
  OPENAI_EMBEDDING_MODEL: 'text-embedding-3-small',
  OPENAI_TIMEOUT_MS: 5_000,
};

describe('createProviders', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI({ apiKey: 'sk-index-test' });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('chooses the offline provider without an API key', () => {
    const { chat, embeddings } = createProviders(defaults);
    expect(chat).toMatchObject({ name: 'offline', model: 'storesync-offline-copy-v1' });
    expect(embeddings).toMatchObject({ name: 'offline', model: 'storesync-offline-embed-v1', dimensions: 1536 });
  });

  it('chooses OpenAI with the configured key, server and models when a key is set', async () => {
    const { chat, embeddings } = createProviders({ ...defaults, OPENAI_API_KEY: 'sk-index-test', OPENAI_BASE_URL: fake.baseURL });
    expect(chat).toMatchObject({ name: 'openai', model: 'gpt-4o-mini' });
    expect(embeddings).toMatchObject({ name: 'openai', model: 'text-embedding-3-small', dimensions: 1536 });

    await expect(chat.complete([{ role: 'user', content: 'Spring sale at Pearl Street.' }])).resolves.toMatchObject({
      content: 'Spring sale at Pearl Street.',
    });
    expect(fake.requests.at(-1)?.headers.authorization).toBe('Bearer sk-index-test');
  });
});
