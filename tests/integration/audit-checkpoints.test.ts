import { describe, expect, it } from "vitest";
import { verifyCheckpointSignature } from "@/lib/domain/audit-checkpoint";
import { appendAuditEvent } from "@/lib/server/audit/append-audit-event";
import { auditPublicKeyPem, listCheckpoints, takeCheckpoint } from "@/lib/server/audit/checkpoints";
import { inTransaction } from "@/lib/server/db/transaction";
import { createTestUser } from "../support/fixtures";
import { withConnection } from "../support/statements";

describe("signed checkpoints of the audit chain", () => {
  it("signs the chain head inside the caller's transaction and stores it", async () => {
    const user = await createTestUser({ roles: ["auditor"] });
    const { cp, head } = await inTransaction(async (tx) => {
      const head = await appendAuditEvent(tx, { actor: user, action: "test.checkpointed", entityType: "test" });
      return { head, cp: await takeCheckpoint(tx, "on_demand", user.id) };
    });
    expect(cp).toMatchObject({ seq: head.seq, hash: head.hash });
    expect(verifyCheckpointSignature(cp, await auditPublicKeyPem())).toBe(true);
    const [stored] = await listCheckpoints({ limit: 1 });
    expect(stored).toEqual({ ...cp, id: expect.any(Number), reason: "on_demand", createdBy: user.id });
    expect(verifyCheckpointSignature(stored!, await auditPublicKeyPem())).toBe(true);
  });

  it("rolls back with the caller's work", async () => {
    const before = (await listCheckpoints({ limit: 1000 })).length;
    await expect(
      inTransaction(async (tx) => {
        await takeCheckpoint(tx, "periodic");
        throw new Error("the caller failed");
      }),
    ).rejects.toThrow("the caller failed");
    expect(await listCheckpoints({ limit: 1000 })).toHaveLength(before);
  });

  it("pages newest first by keyset", async () => {
    await inTransaction((tx) => takeCheckpoint(tx, "periodic"));
    await inTransaction((tx) => takeCheckpoint(tx, "export"));
    const all = await listCheckpoints({ limit: 1000 });
    const [first] = await listCheckpoints({ limit: 1 });
    const next = await listCheckpoints({ beforeId: first!.id, limit: 1000 });
    expect(all.map((c) => c.id)).toEqual([...all.map((c) => c.id)].sort((a, b) => b - a));
    expect([first, ...next]).toEqual(all);
  });

  it.each([
    ["UPDATE", `UPDATE audit_checkpoints SET seq = 1`],
    ["DELETE", `DELETE FROM audit_checkpoints`],
    ["TRUNCATE", `TRUNCATE audit_checkpoints`],
  ])("refuses %s from the application's role", async (_op, sql) => {
    await expect(withConnection(process.env.DATABASE_URL, (c) => c.query(sql))).rejects.toThrow(/permission denied|append-only/);
  });

  it("refuses UPDATE and DELETE even from the schema owner (the trigger)", async () => {
    await expect(
      withConnection(process.env.TEST_OWNER_URL, (c) => c.query(`UPDATE audit_checkpoints SET reason = 'export'`)),
    ).rejects.toThrow(/append-only/);
    await expect(withConnection(process.env.TEST_OWNER_URL, (c) => c.query(`DELETE FROM audit_checkpoints`))).rejects.toThrow(
      /append-only/,
    );
  });

  it("refuses a checkpoint that does not match a stored event", async () => {
    const insert = `INSERT INTO audit_checkpoints (seq, hash, created_at, key_id, signature, reason) VALUES (1, repeat('a', 64), now(), repeat('0', 16), 'x', 'periodic')`;
    await expect(withConnection(process.env.DATABASE_URL, (c) => c.query(insert))).rejects.toThrow(/does not match/);
  });
});
