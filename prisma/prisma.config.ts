import { defineConfig } from 'prisma/config';

// The Prisma CLI reads this file. DATABASE_URL is only needed by commands that talk to a
// database; `generate` works without one.
export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/storesync' },
});
