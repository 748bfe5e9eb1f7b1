import { beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvent } from "@/lib/server/audit/append-audit-event";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { verifyLiveChain } from "@/lib/server/audit-verification/verify-live-chain";
import { inTransaction } from "@/lib/server/db/transaction";
import { behindAuditTriggers } from "../support/statements";

// The live verifier reads the log in keyset batches; with batches of three events a short log
// crosses many, so a removed event lands in a later batch or at the log's end.
const BATCH = 3;

const lastEvent = async () => (await readAuditEvents({ limit: 100_000 })).at(-1)!;

beforeAll(async () => {
  await inTransaction(async (tx) => {
    for (let i = 0; i < 20; i++)
      await appendAuditEvent(tx, { actor: null, action: "test.event", entityType: "test", after: { i, note: 'ä\u2028"quoted"' } });
  });
});

describe("live verification in batches", () => {
  it("checks the whole log batch after batch and reports progress at the end of each", async () => {
    const head = await lastEvent();
    const progress: number[] = [];
    const result = await verifyLiveChain((p) => void progress.push(p.checked), { batch: BATCH });
    expect(result).toMatchObject({ ok: true, checked: head.seq, head: { seq: head.seq, hash: head.hash } });
    const ends = Array.from({ length: Math.ceil(head.seq / BATCH) }, (_, i) => Math.min((i + 1) * BATCH, head.seq));
    expect(progress).toEqual([0, ...ends]);
  });

  it("names events removed at the end of the log, then one removed from a later batch in the middle", async () => {
    const head = await lastEvent();
    await behindAuditTriggers(`DELETE FROM audit_events WHERE seq = ${head.seq}`);
    expect(await verifyLiveChain(() => undefined, { batch: BATCH })).toMatchObject({
      ok: false,
      checked: head.seq - 1,
      broken: { seq: head.seq, problem: "truncated" },
    });

    const middle = head.seq - 7;
    await behindAuditTriggers(`DELETE FROM audit_events WHERE seq = ${middle}`);
    expect(await verifyLiveChain(() => undefined, { batch: BATCH })).toMatchObject({
      ok: false,
      checked: middle - 1,
      broken: { seq: middle + 1, problem: "sequence_gap" },
    });
  });
});
