import type { z } from 'zod';

/**
 * Parses an app's configuration (its env.ts schema) and fails with every problem listed, one per
 * line, so a misconfigured process says all that is wrong at once.
 */
export function parseConfig<Schema extends z.ZodType>(
  schema: Schema,
  source: Record<string, string | undefined>,
  label: string,
): z.infer<Schema> {
  const result = schema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid ${label} configuration:\n${problems}`);
  }
  return result.data;
}
