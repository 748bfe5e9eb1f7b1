// Test data written straight to the database, and actors as the use cases receive them.
import type { Role } from "../../lib/domain/roles";
import { hashPassword } from "../../lib/server/auth/password";
import { createPrismaClient, type Db } from "../../lib/server/db/create-prisma-client";

let shared: Db | undefined;
/** A client on the per-file test database, as the application's role. */
export function testDb(): Db {
  shared ??= createPrismaClient(process.env.DATABASE_URL!, { max: 4 });
  return shared;
}

let counter = 0;
export async function createTestUser(options: { roles?: Role[]; password?: string; active?: boolean; email?: string } = {}) {
  counter += 1;
  const email = options.email ?? `user${counter}-${Date.now()}@example.test`;
  const user = await testDb().user.create({
    data: {
      email,
      name: `Test User ${counter}`,
      passwordHash: await hashPassword(options.password ?? "correct horse battery staple"),
      active: options.active ?? true,
      roles: { create: (options.roles ?? ["requester"]).map((role) => ({ role })) },
    },
    select: { id: true, email: true, name: true },
  });
  return {
    ...user,
    actor: { id: user.id, email: user.email, name: user.name, roles: options.roles ?? (["requester"] as Role[]), mustChangePassword: false },
  };
}
