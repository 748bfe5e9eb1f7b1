import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The application connects as a role that may read and write rows but change no schema.
// Later, the append-only audit log depends on exactly this.
describe("the application's database role", () => {
  const app = new pg.Client({ connectionString: process.env.DATABASE_URL });
  beforeAll(() => app.connect());
  afterAll(() => app.end());

  it("reads and writes data", async () => {
    await app.query(`INSERT INTO app_settings (key, value) VALUES ('probe', '1')`);
    const { rows } = await app.query(`SELECT value FROM app_settings WHERE key = 'probe'`);
    expect(rows[0].value).toBe(1);
  });

  it.each([
    ["ALTER TABLE", `ALTER TABLE users ADD COLUMN sneaky text`],
    ["DROP TABLE", `DROP TABLE login_throttle`],
    ["CREATE TABLE", `CREATE TABLE sneaky (id int)`],
    ["CREATE TRIGGER", `CREATE TRIGGER t BEFORE DELETE ON users FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()`],
    ["DISABLE TRIGGER", `ALTER TABLE users DISABLE TRIGGER ALL`],
    ["TRUNCATE", `TRUNCATE users CASCADE`],
    ["change the migration ledger", `DELETE FROM "_prisma_migrations"`],
  ])("cannot %s", async (_label, sql) => {
    await expect(app.query(sql)).rejects.toThrow(/must be owner|permission denied/);
  });
});
