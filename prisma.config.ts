import { defineConfig } from "prisma/config";

// The Prisma CLI insists on finding its native schema engine and tries to download it, which
// fails offline; `prisma generate` never runs it, so any existing file satisfies the check.
// Migrations are applied by scripts/ops/migrate.ts instead (see README, "Database").
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
