/**
 * The keys of a brand's `settings` JSON that StoreSync itself reads. Other keys are kept as the
 * brand stores them.
 */
import { z } from 'zod';

export const BrandSettingsSchema = z
  .object({
    /** Longest copy, in characters, that a generated version may have. */
    max_length: z.number().int().positive().optional(),
    /** Phrases that must never appear in copy (case-insensitive). */
    banned_phrases: z.array(z.string().min(1)).optional(),
    /** Phrases every copy must contain (case-insensitive). */
    required_phrases: z.array(z.string().min(1)).optional(),
    /** Voice to write in, passed to the model, e.g. "friendly, practical". */
    tone: z.string().optional(),
    /** Tokens the brand may spend on generation per calendar month (UTC). */
    monthly_token_budget: z.number().int().positive().optional(),
  })
  .passthrough();

export type BrandSettings = z.infer<typeof BrandSettingsSchema>;

/** The brand's settings as StoreSync reads them; a malformed known key is reported, not guessed. */
export function readBrandSettings(settings: unknown): BrandSettings {
  const result = BrandSettingsSchema.safeParse(settings ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `settings.${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Brand settings are invalid: ${problems.join('; ')}`);
  }
  return result.data;
}
