import path from "node:path";
import { describe, expect, it } from "vitest";
import { databaseShape, prismaShape } from "../support/schema-catalog";

// Migrations are hand-written SQL; this is what keeps them and schema.prisma in step.
describe("schema.prisma and the migrated database", () => {
  it("agree on tables, columns, types, nullability, unique constraints, foreign keys and enums", async () => {
    const [expected, actual] = await Promise.all([
      prismaShape(path.resolve("prisma/schema.prisma")),
      databaseShape(process.env.TEST_OWNER_URL!),
    ]);
    expect(actual.columns).toEqual(expected.columns);
    expect(actual.uniques).toEqual(expected.uniques);
    expect(actual.foreignKeys).toEqual(expected.foreignKeys);
    expect(actual.enums).toEqual(expected.enums);
    expect(expected.columns.length).toBeGreaterThan(10);
  });
});
