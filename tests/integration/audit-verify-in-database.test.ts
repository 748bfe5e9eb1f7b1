import { beforeAll, describe, expect, it } from "vitest";
import { GENESIS_HASH } from "@/lib/domain/audit-chain";
import { appendAuditEvent } from "@/lib/server/audit/append-audit-event";
import { batchHolds, summarizeBatch } from "@/lib/server/audit-verification/check-batch-in-database";
import { CONTENT_GUARD, contentGuardStands } from "@/lib/server/audit-verification/content-guard";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { verifyLiveChain } from "@/lib/server/audit-verification/verify-live-chain";
import { inTransaction } from "@/lib/server/db/transaction";
import { asOwner, behindAuditTriggers } from "../support/statements";

// While the content guard stands, the live verifier has PostgreSQL check each batch and answer
// with a summary; these tests hold that summary and the guard's reading to what they claim.
let events: Awaited<ReturnType<typeof readAuditEvents>>;
const link = (seq: number) => ({ seq, hash: seq === 0 ? GENESIS_HASH : events[seq - 1]!.hash });

beforeAll(async () => {
  await inTransaction(async (tx) => {
    for (let i = 0; i < 12; i++)
      await appendAuditEvent(tx, {
        actor: null,
        action: "test.event",
        entityType: "test",
        after: { i, note: 'ü\u2028"q"' },
        reason: i % 2 ? "odd" : null,
      });
  });
  events = await readAuditEvents({ limit: 100 });
});

describe("a batch checked by PostgreSQL", () => {
  it("holds for a sound stretch of the log that follows on from the event before it, and not from another", async () => {
    const whole = await summarizeBatch(0, 12);
    expect(whole).toMatchObject({
      count: 12,
      firstSeq: 1,
      lastSeq: 12,
      legacy: 0,
      broken: 0,
      firstPrevHash: GENESIS_HASH,
      lastHash: events[11]!.hash,
    });
    expect(batchHolds(whole, link(0), 12)).toBe(true);
    const middle = await summarizeBatch(4, 5);
    expect(batchHolds(middle, link(4), 5)).toBe(true);
    expect(batchHolds(middle, link(3), 5)).toBe(false);
    expect(batchHolds(middle, { seq: 4, hash: events[0]!.hash }, 5)).toBe(false);
    expect(batchHolds(await summarizeBatch(10, 5), link(10), 5)).toBe(false); // only two events left
  });

  it("counts a changed hash (and the next event's link to it), and the verifier names the event", async () => {
    const original = events[5]!.hash;
    await behindAuditTriggers(`UPDATE audit_events SET hash = '${"ab".repeat(32)}' WHERE seq = 6`);
    const summary = await summarizeBatch(0, 12);
    expect(summary.broken).toBe(2);
    expect(batchHolds(summary, link(0), 12)).toBe(false);
    expect(await verifyLiveChain(() => undefined, { batch: 4 })).toMatchObject({
      ok: false,
      checked: 5,
      columns: "constraint",
      broken: { seq: 6, problem: "hash_mismatch" },
    });
    await behindAuditTriggers(`UPDATE audit_events SET hash = '${original}' WHERE seq = 6`);
    expect(await verifyLiveChain(() => undefined, { batch: 4 })).toMatchObject({ ok: true, checked: 12, columns: "constraint" });
  });

  it("leaves events without kept bytes to the full check, which verifies them from their columns", async () => {
    await behindAuditTriggers("UPDATE audit_events SET hashed_content = NULL WHERE seq IN (3, 9)");
    expect(await summarizeBatch(0, 12)).toMatchObject({ legacy: 2, broken: 0 });
    expect(await verifyLiveChain(() => undefined, { batch: 4 })).toMatchObject({ ok: true, checked: 12, head: link(12) });
  });
});

describe("the content guard", () => {
  const setGuard = (check: string, validate: boolean) =>
    asOwner([
      `ALTER TABLE audit_events DROP CONSTRAINT ${CONTENT_GUARD.name}`,
      `ALTER TABLE audit_events ADD CONSTRAINT ${CONTENT_GUARD.name} ${check} NOT VALID`,
      ...(validate ? [`ALTER TABLE audit_events VALIDATE CONSTRAINT ${CONTENT_GUARD.name}`] : []),
    ]);

  it("stands after the migrations, and not once it is weakened under its name or left unvalidated", async () => {
    expect(await contentGuardStands()).toBe(true);
    await setGuard("CHECK (seq > 0)", true);
    expect(await contentGuardStands()).toBe(false);
    expect(await verifyLiveChain(() => undefined)).toMatchObject({ ok: true, columns: "rebuilt" });
    await setGuard(CONTENT_GUARD.definition, false);
    expect(await contentGuardStands()).toBe(false);
    await asOwner([`ALTER TABLE audit_events VALIDATE CONSTRAINT ${CONTENT_GUARD.name}`]);
    expect(await contentGuardStands()).toBe(true);
    expect(await verifyLiveChain(() => undefined)).toMatchObject({ ok: true, columns: "constraint" });
  });
});
