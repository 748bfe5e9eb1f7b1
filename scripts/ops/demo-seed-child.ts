// Run with `tsx --import ./scripts/lib/allow-server-only.mjs`: seeds the demo changes through
// the app's use cases into the database named by DATABASE_URL.
import { seedDemoChanges } from "../../prisma/seed/seed-demo-changes";
import { db } from "../../lib/server/db/db";
import { seedDemoSecondFactor } from "../../prisma/seed/demo-second-factor";

await seedDemoSecondFactor();

const count = await seedDemoChanges();
console.log(count ? `[db] Seeded ${count} demo changes.` : "[db] Demo changes already present.");
await db().$disconnect();
