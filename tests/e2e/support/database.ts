// Test data the browser tests need that the demo set does not have, written as the app's role.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { hashPassword } from "../../../lib/server/auth/password";
import type { Role } from "../../../lib/domain/roles";

export async function createUser(
  roles: Role[],
  password = "e2e-password-1234",
): Promise<{ email: string; password: string; name: string }> {
  const email = `e2e-${randomBytes(5).toString("hex")}@example.test`;
  const name = `E2E ${roles.join("+")} ${email.slice(4, 9)}`;
  const client = new pg.Client({ connectionString: process.env.E2E_APP_URL });
  await client.connect();
  try {
    const { rows } = await client.query(`INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id`, [
      email,
      name,
      await hashPassword(password),
    ]);
    for (const role of roles) await client.query(`INSERT INTO user_roles (user_id, role) VALUES ($1, $2)`, [rows[0].id, role]);
  } finally {
    await client.end();
  }
  return { email, password, name };
}

/** Runs one query as the app's role (test set-up and checks the pages do not offer). */
export async function query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.E2E_APP_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
