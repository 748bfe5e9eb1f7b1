// `npm run db:migrate`: applies pending migrations to the configured or embedded database.
import { migrateAndGrant, resolveDatabase } from "../lib/database";

const target = await resolveDatabase("postgres", 54320, "portal");
try {
  const applied = await migrateAndGrant(target);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "No pending migrations.");
} finally {
  await target.stop();
}
