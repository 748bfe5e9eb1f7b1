import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/auth/current-actor";
import { ok } from "@/lib/domain/result";
import { formAction } from "@/lib/server/actions/form-action";
import { castVote } from "@/lib/server/changes/cast-vote";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { DEFAULT_DB_TIMEOUTS } from "@/lib/server/connection-options";
import { createPrismaClient } from "@/lib/server/db/create-prisma-client";
import { DATABASE_BUSY, DatabaseBusyError, isDatabaseBusy } from "@/lib/server/db/database-busy";
import { db } from "@/lib/server/db/db";
import { exportConnection } from "@/lib/server/exports/stream-query";
import { appendBulkAuditEvents } from "../support/bulk-audit-events";
import { completeDraft, createTestCi, createTestUser } from "../support/fixtures";

// Short limits for this file, read when the app's pools open (the first db() below).
process.env.DB_LOCK_TIMEOUT_MS = "800";
process.env.DB_STATEMENT_TIMEOUT_MS = "1500";
process.env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = "3000";
process.env.DB_POOL_ACQUIRE_TIMEOUT_MS = "700";
process.env.EXPORT_MAX_CONNECTIONS = "1";
process.env.EXPORT_MAX_SECONDS = "1";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async () => session.actor,
}));
const eventsRoute = await import("@/app/api/exports/events/route");

type U = Awaited<ReturnType<typeof createTestUser>>;
let requester: U, cab: U, auditor: U;

async function draft(): Promise<string> {
  const created = await createChangeDraft(requester.actor, completeDraft([(await createTestCi()).id]));
  if (!created.ok) throw new Error(created.message);
  return created.value.id;
}

/** Another session holds the change's row lock (as a long transaction elsewhere would) while `fn` runs. */
async function whileLocked<T>(changeId: string, fn: () => Promise<T>): Promise<T> {
  const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await holder.connect();
  try {
    await holder.query("BEGIN");
    await holder.query("SELECT id FROM change_requests WHERE id = $1 FOR UPDATE", [changeId]);
    return await fn();
  } finally {
    await holder.query("ROLLBACK");
    await holder.end();
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
  cab = await createTestUser({ roles: ["cab_member"] });
  auditor = await createTestUser({ roles: ["auditor"] });
});

describe("a change someone else holds locked", () => {
  it("a transition answers 'busy, try again' within the lock timeout, and goes through once the lock is gone", async () => {
    const id = await draft();
    const { value, ms } = await whileLocked(id, () =>
      timed(() => performChangeAction(requester.actor, { changeId: id, action: "submit" })),
    );
    expect(value).toEqual({ ok: false, message: DATABASE_BUSY, kind: "busy" });
    expect(ms).toBeGreaterThanOrEqual(700);
    expect(ms).toBeLessThan(5_000);
    const retried = await performChangeAction(requester.actor, { changeId: id, action: "submit" });
    expect(retried.ok).toBe(true);
  });

  it("a vote answers 'busy, try again' too, and nothing was written", async () => {
    const id = await draft();
    const eventsBefore = await db().auditEvent.count({ where: { changeId: id } });
    const { value, ms } = await whileLocked(id, () =>
      timed(() => castVote(cab.actor, { changeId: id, role: "cab_member", decision: "approve" })),
    );
    expect(value).toEqual({ ok: false, message: DATABASE_BUSY, kind: "busy" });
    expect(ms).toBeLessThan(5_000);
    expect(await db().auditEvent.count({ where: { changeId: id } })).toBe(eventsBefore);
  });
});

describe("the application's connections", () => {
  it("carry the configured timeouts", async () => {
    const [row] = await db().$queryRaw<{ lock: string; statement: string; idle: string }[]>`
      SELECT current_setting('lock_timeout') AS lock, current_setting('statement_timeout') AS statement,
             current_setting('idle_in_transaction_session_timeout') AS idle`;
    expect(row).toEqual({ lock: "800ms", statement: "1500ms", idle: "3s" });
  });

  it("a request that finds no free connection in its pool gives up after the acquire timeout, as busy", async () => {
    const small = createPrismaClient(process.env.DATABASE_URL!, { max: 1, timeouts: { ...DEFAULT_DB_TIMEOUTS, acquireTimeoutMs: 500 } });
    let release!: () => void;
    const held = small.$transaction(() => new Promise<void>((resolve) => (release = resolve)), { timeout: 10_000 });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const { value: error, ms } = await timed(() =>
        small.$queryRaw`SELECT 1`.then(
          () => null,
          (e: unknown) => e,
        ),
      );
      expect(isDatabaseBusy(error)).toBe(true);
      expect(ms).toBeLessThan(4_000);
    } finally {
      release();
      await held;
      await small.$disconnect();
    }
  });

  it("a statement past the statement timeout is a 'busy, try again' message where a user acts, not an error", async () => {
    const { value, ms } = await timed(() =>
      formAction({
        input: () => ({}),
        run: async () => {
          await db().$queryRaw`SELECT pg_sleep(5)`;
          return ok(null);
        },
      })({ ok: true }, new FormData()),
    );
    expect(value).toEqual({ ok: false, message: DATABASE_BUSY });
    expect(ms).toBeLessThan(4_000);
  });

  it("exports have their own connections: when they are all taken an export is refused as busy, and votes still go through", async () => {
    const held = await exportConnection();
    try {
      const { value: refused, ms } = await timed(() =>
        exportConnection().then(
          () => null,
          (error: unknown) => error,
        ),
      );
      expect(refused).toBeInstanceOf(DatabaseBusyError);
      expect(ms).toBeLessThan(4_000);
      const id = await draft();
      expect((await performChangeAction(requester.actor, { changeId: id, action: "submit" })).ok).toBe(true);

      // Through the route: a 503 that says so, and no export recorded or audited.
      session.actor = auditor.actor;
      const exportsBefore = await db().dataExport.count();
      const response = await eventsRoute.GET(new Request("http://localhost/api/exports/events?format=jsonl"));
      expect(response.status).toBe(503);
      expect(response.headers.get("Retry-After")).toBe("30");
      expect(((await response.json()) as { error: string }).error).toMatch(
        /^The export was not started\. Every export connection is in use; try again/,
      );
      expect(await db().dataExport.count()).toBe(exportsBefore);
    } finally {
      held.release();
    }
  });
});

describe("an export past EXPORT_MAX_SECONDS", () => {
  it("is stopped and frees its connection, though its reader stalled", async () => {
    // More than one batch of lines, so the export is still under way when its reader stalls.
    await appendBulkAuditEvents(process.env.DATABASE_URL!, 3_000);
    session.actor = auditor.actor;
    const response = await eventsRoute.GET(new Request("http://localhost/api/exports/events?format=jsonl"));
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();
    // The reader stalls; the export still holds its connection, mid-COPY.
    await new Promise((r) => setTimeout(r, 1_500));
    await expect(reader.read()).rejects.toThrow(/ran longer than 1 s and was stopped/);
    // The only export connection is free again.
    const next = await exportConnection();
    next.release();
  });
});

afterAll(async () => {
  for (const key of [
    "DB_LOCK_TIMEOUT_MS",
    "DB_STATEMENT_TIMEOUT_MS",
    "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS",
    "DB_POOL_ACQUIRE_TIMEOUT_MS",
    "EXPORT_MAX_CONNECTIONS",
    "EXPORT_MAX_SECONDS",
  ])
    delete process.env[key];
});
