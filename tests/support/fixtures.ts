// Test data written straight to the database, and actors as the use cases receive them.
import { randomUUID } from "node:crypto";
import { blankDraftInput } from "../../lib/domain/change-input";
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
    actor: {
      id: user.id,
      email: user.email,
      name: user.name,
      roles: options.roles ?? (["requester"] as Role[]),
      mustChangePassword: false,
      kind: "user" as const,
      // A password sign-in just now, so sensitive actions need no step-up (lib/domain/step-up.ts).
      signIn: { method: "password" as const, at: Math.floor(Date.now() / 1000) },
    },
  };
}

/** A viewer for reads that go through: their roles only, no user row (nothing is written in their name). */
export function readerWith(roles: Role[]) {
  return { id: randomUUID(), email: "reader@example.test", name: "Reader", roles, mustChangePassword: false, kind: "user" as const };
}

/** How a read refuses a viewer for the whole page: Next's forbidden(), the 403 page. */
export const FORBIDDEN = { digest: "NEXT_HTTP_ERROR_FALLBACK;403" };

let ciCounter = 0;
export async function createTestCi(
  options: { criticality?: number; exposure?: "internet_facing" | "internal" | "isolated"; environment?: string } = {},
) {
  ciCounter += 1;
  return testDb().configurationItem.create({
    data: {
      name: `ci-${ciCounter}-${Date.now()}`,
      type: "service",
      environment: options.environment ?? "production",
      owner: "Platform team",
      criticality: options.criticality ?? 2,
      exposure: options.exposure ?? "internal",
    },
    select: { id: true, name: true },
  });
}

/** A complete draft's fields, planned a day ahead; override what a test is about. */
export function completeDraft(ciIds: string[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const start = new Date(Date.now() + 24 * 60 * 60 * 1000);
  return {
    ...blankDraftInput(),
    type: "normal",
    title: "Rotate TLS certificates",
    description: "Replace the expiring certificates on the edge.",
    justification: "They expire next week.",
    implementationPlan: "Deploy the new chain, reload the proxies.",
    backoutPlan: "Restore the previous chain from the vault.",
    testPlan: "Check the chain with openssl from outside.",
    backoutTested: true,
    plannedStart: start.toISOString(),
    plannedEnd: new Date(start.getTime() + 30 * 60 * 1000).toISOString(),
    ciIds,
    ...overrides,
  };
}
