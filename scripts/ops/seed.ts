// `npm run db:seed`: migrate, then seed an empty database (demo users and changes, or the first admin in production mode).
import { migrateAndGrant, resolveDatabase, seed, seedOptionsFromEnv } from "../lib/database";
import { seedDemoChangesInChild } from "../lib/seed-demo-changes-in-child";

const target = await resolveDatabase("postgres", 54320, "portal");
try {
  await migrateAndGrant(target);
  const options = seedOptionsFromEnv();
  console.log(`[db] ${await seed(target.appUrl, options)}`);
  if (options.mode === "demo") await seedDemoChangesInChild(target.appUrl);
} finally {
  await target.stop();
}
