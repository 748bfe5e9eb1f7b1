import type pg from "pg";
import { describe, expect, it } from "vitest";
import { verifyChain } from "@/lib/domain/audit-chain";
import { appendAuditEvent } from "@/lib/server/audit/append-audit-event";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { authenticate } from "@/lib/server/auth/authenticate";
import { inTransaction } from "@/lib/server/db/transaction";
import { changeUserRole } from "@/lib/server/users/change-user-role";
import { createTestUser } from "../support/fixtures";
import { withConnection } from "../support/statements";

const asApp = <T>(fn: (c: pg.Client) => Promise<T>) => withConnection(process.env.DATABASE_URL, fn);
const asOwner = <T>(fn: (c: pg.Client) => Promise<T>) => withConnection(process.env.TEST_OWNER_URL, fn);
const allEvents = () => readAuditEvents({ limit: 100_000 });

describe("the audit log", () => {
  it("chains events: sequence numbers without gaps, each hash over the previous one", async () => {
    await inTransaction((tx) =>
      appendAuditEvent(tx, { actor: null, action: "test.first", entityType: "test", after: { n: 1, when: new Date(0) } }),
    );
    await inTransaction((tx) =>
      appendAuditEvent(tx, {
        actor: null,
        action: "test.second",
        entityType: "test",
        before: { n: 1 },
        after: { n: 2 },
        reason: "because",
      }),
    );
    const events = await allEvents();
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.prevHash).toBe("0".repeat(64));
    expect(verifyChain(events)).toMatchObject({ ok: true });
  });

  it("writes nothing, and leaves no gap, when the transaction rolls back", async () => {
    const before = (await allEvents()).length;
    await expect(
      inTransaction(async (tx) => {
        await appendAuditEvent(tx, { actor: null, action: "test.doomed", entityType: "test" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await inTransaction((tx) => appendAuditEvent(tx, { actor: null, action: "test.after", entityType: "test" }));
    const events = await allEvents();
    expect(events).toHaveLength(before + 1);
    expect(events.map((e) => e.action)).not.toContain("test.doomed");
    expect(verifyChain(events)).toMatchObject({ ok: true });
  });

  it("stays one linear, verifiable chain under 50 concurrent writers", async () => {
    const start = (await allEvents()).length;
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        inTransaction((tx) => appendAuditEvent(tx, { actor: null, action: "test.parallel", entityType: "test", entityId: String(i) })),
      ),
    );
    const events = await allEvents();
    expect(events).toHaveLength(start + 50);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(new Set(events.filter((e) => e.action === "test.parallel").map((e) => e.entityId)).size).toBe(50);
    expect(verifyChain(events)).toMatchObject({ ok: true });
  });

  it.each([
    ["UPDATE", `UPDATE audit_events SET reason = 'rewritten' WHERE seq = 1`],
    ["DELETE", `DELETE FROM audit_events WHERE seq = 1`],
    ["TRUNCATE", `TRUNCATE audit_events`],
    ["DISABLE TRIGGER", `ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`],
    ["DROP TRIGGER", `DROP TRIGGER audit_events_no_update_delete ON audit_events`],
    ["move the chain head back", `UPDATE audit_chain_head SET seq = 0, hash = repeat('0', 64)`],
  ])("refuses %s from the application's role", async (label, sql) => {
    if (label === "move the chain head back") {
      // The head may be updated by the app (it must, to append), but an event at a used sequence number is refused.
      await expect(
        asApp(async (c) => {
          await c.query("BEGIN");
          await c.query(sql);
          await c.query(
            `INSERT INTO audit_events (seq, occurred_at, action, entity_type, prev_hash, hash) VALUES (1, now(), 'forged', 'test', repeat('0', 64), repeat('f', 64))`,
          );
        }),
      ).rejects.toThrow(/duplicate key|audit_events_pkey/);
      return;
    }
    await expect(asApp((c) => c.query(sql))).rejects.toThrow(/permission denied|must be owner|append-only/);
  });

  it("refuses UPDATE and DELETE even from the schema owner (the trigger)", async () => {
    await expect(asOwner((c) => c.query(`UPDATE audit_events SET reason = 'x' WHERE seq = 1`))).rejects.toThrow(/append-only/);
    await expect(asOwner((c) => c.query(`DELETE FROM audit_events`))).rejects.toThrow(/append-only/);
  });

  it("refuses an inserted event that does not extend the chain", async () => {
    const last = (await allEvents()).at(-1)!;
    const insert = (seq: number, prev: string) =>
      asApp((c) =>
        c.query(
          `INSERT INTO audit_events (seq, occurred_at, action, entity_type, prev_hash, hash) VALUES ($1, now(), 'forged', 'test', $2, repeat('e', 64))`,
          [seq, prev],
        ),
      );
    await expect(insert(last.seq + 2, last.hash)).rejects.toThrow(/does not follow an existing event/);
    await expect(insert(last.seq + 1, "a".repeat(64))).rejects.toThrow(/does not link to the hash/);
  });

  it("records sign-in success and failure, and a role change with before and after", async () => {
    const user = await createTestUser({ password: "correct horse battery staple" });
    const admin = await createTestUser({ roles: ["admin"] });
    await authenticate({ email: user.email, password: "correct horse battery staple" }, "192.0.2.50");
    await authenticate({ email: user.email, password: "wrong" }, "192.0.2.50");
    await authenticate({ email: "stranger@example.test", password: "wrong" }, "192.0.2.51");
    await changeUserRole(admin.actor, { userId: user.id, role: "auditor", grant: true });
    await changeUserRole(user.actor, { userId: user.id, role: "admin", grant: true });

    const events = await allEvents();
    const mine = events.filter(
      (e) => e.actorId === user.id || e.entityId === user.id || (e.after as { email?: string })?.email === "stranger@example.test",
    );
    expect(mine.map((e) => [e.action, e.reason])).toEqual([
      ["auth.signed_in", null],
      ["auth.sign_in_failed", "wrong password"],
      ["auth.sign_in_failed", "unknown account"],
      ["user.role_granted", null],
      ["authorization.denied", "Only an admin can manage users."],
    ]);
    expect(mine[0]).toMatchObject({ actorEmail: user.email, clientAddress: "192.0.2.50" });
    expect(mine[2]).toMatchObject({ actorId: null, clientAddress: "192.0.2.51" });
    expect(mine[3]).toMatchObject({ actorId: admin.id, before: { roles: ["requester"] }, after: { roles: ["auditor", "requester"] } });
    expect(verifyChain(events)).toMatchObject({ ok: true });
  });
});
