/** `npm run db:seed`: loads the demo data into DATABASE_URL (idempotent) and prints the demo accounts. */
import { createPrismaClient } from '../src/client.ts';
import { DEMO_PASSWORD, formatAccountsTable, seedDemoData } from '../src/seed/seed.ts';
import { loadScriptEnv } from './env.ts';

const { DATABASE_URL } = loadScriptEnv();
// One connection: the seed runs its queries one after another, and the embedded PostgreSQL
// of `npm start` serves one client connection at a time.
const prisma = createPrismaClient(DATABASE_URL, { poolSize: 1 });
const started = performance.now();
try {
  const report = await seedDemoData(prisma);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  for (const brand of report.brands) {
    const parts = [
      brand.created ? 'created' : 'exists',
      `${brand.locationsCreated} new locations`,
      `${brand.templatesCreated} new templates`,
      brand.campaignsCreated ? `${brand.campaignsCreated} campaigns` : 'campaigns kept',
    ];
    console.log(`[seed] ${brand.name} (${brand.slug}): ${parts.join(', ')}`);
  }
  const newAccounts = report.accounts.filter((account) => account.created).length;
  console.log(`[seed] ${newAccounts} new demo accounts; done in ${seconds}s`);
  console.log(`\nDemo accounts (shared password: ${DEMO_PASSWORD})\n`);
  console.log(formatAccountsTable(report.accounts));
} catch (error) {
  console.error('[seed] failed:', error);
  process.exitCode = 1;
} finally {
  await prisma.$disconnect();
}
