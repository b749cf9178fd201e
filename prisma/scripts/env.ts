/** Configuration of the database scripts (migrate, new migration, seed). The only reader of process.env here. */
import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: z
    .string({ error: 'DATABASE_URL is not set. Example: DATABASE_URL=postgresql://postgres@127.0.0.1:5432/storesync' })
    .url(),
});

export function loadScriptEnv() {
  const result = schema.safeParse(process.env);
  if (!result.success) {
    console.error(result.error.issues.map((issue) => issue.message).join('\n'));
    process.exit(1);
  }
  return result.data;
}
