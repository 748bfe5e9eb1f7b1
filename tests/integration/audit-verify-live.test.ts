import { beforeAll, describe, expect, it, vi } from "vitest";
import { verifyCheckpointSignature } from "@/lib/domain/audit-checkpoint";
import type { Actor } from "@/lib/server/auth/current-actor";
import { appendAuditEvent } from "@/lib/server/audit/append-audit-event";
import { auditPublicKeyPem, listCheckpoints } from "@/lib/server/audit/checkpoints";
import { CONTENT_GUARD } from "@/lib/server/audit-verification/content-guard";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import type { VerifyStreamLine } from "@/lib/server/audit-verification/stream-live-verification";
import { takeCheckpointOnDemand } from "@/lib/server/audit-verification/take-checkpoint-on-demand";
import { inTransaction } from "@/lib/server/db/transaction";
import { createTestUser } from "../support/fixtures";
import { asOwner, behindAuditTriggers } from "../support/statements";

// A small period, so a handful of events crosses several checkpoints; read when env() is first used.
vi.hoisted(() => {
  process.env.AUDIT_CHECKPOINT_EVERY = "4";
});
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async () => session.actor,
}));
const verifyRoute = await import("@/app/api/audit/verify/route");
const publicKeyRoute = await import("@/app/api/audit/public-key/route");
const checkpointRoute = await import("@/app/api/audit/checkpoints/[id]/route");

// A POST from the portal's own page (NEXTAUTH_URL is unset here: its default origin).
const sameOriginPost = () =>
  new Request("http://localhost:3000/api/audit/verify", { method: "POST", headers: { origin: "http://localhost:3000" } });
const lastEvent = async () => (await readAuditEvents({ limit: 100_000 })).at(-1)!;
const append = (n: number) =>
  inTransaction(async (tx) => {
    for (let i = 0; i < n; i++) await appendAuditEvent(tx, { actor: null, action: "test.event", entityType: "test", after: { i } });
  });

async function runVerification(): Promise<VerifyStreamLine[]> {
  const response = await verifyRoute.POST(sameOriginPost());
  expect(response.status).toBe(200);
  return (await response.text())
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as VerifyStreamLine);
}

let auditor: Actor;
let admin: Actor;
let requester: Actor;

beforeAll(async () => {
  auditor = (await createTestUser({ roles: ["auditor"] })).actor;
  admin = (await createTestUser({ roles: ["admin"] })).actor;
  requester = (await createTestUser({ roles: ["requester"] })).actor;
});

describe("checkpoints every N events and on demand", () => {
  it("signs a periodic checkpoint in the transaction of every Nth event", async () => {
    await append(9);
    const periodic = (await listCheckpoints({ limit: 100 })).filter((c) => c.reason === "periodic");
    expect(periodic.map((c) => c.seq).sort((a, b) => a - b)).toEqual([4, 8]);
    for (const cp of periodic) expect(verifyCheckpointSignature(cp, await auditPublicKeyPem())).toBe(true);
  });

  it("lets an auditor or admin take one on demand, recorded by the event it covers", async () => {
    for (const actor of [auditor, admin]) {
      const result = await takeCheckpointOnDemand(actor);
      expect(result.ok).toBe(true);
      const event = await lastEvent();
      expect(event).toMatchObject({ action: "audit.checkpoint_taken", actorId: actor.id });
      expect(result.ok && result.value.checkpoint).toMatchObject({ seq: event.seq, hash: event.hash });
      expect((await listCheckpoints({ limit: 1 }))[0]).toMatchObject({ seq: event.seq, reason: "on_demand", createdBy: actor.id });
    }
  });

  it("refuses a requester, and records the refusal", async () => {
    const onDemand = async () => (await listCheckpoints({ limit: 100 })).filter((c) => c.reason === "on_demand").length;
    const before = await onDemand();
    expect(await takeCheckpointOnDemand(requester)).toMatchObject({ ok: false });
    expect(await lastEvent()).toMatchObject({ action: "authorization.denied", actorId: requester.id, entityId: "audit.checkpoint" });
    expect(await onDemand()).toBe(before);
  });
});

describe("the key and checkpoint downloads", () => {
  it("give the public key and a checkpoint to auditors, 403 to a requester, 401 without a session", async () => {
    session.actor = auditor;
    const key = await publicKeyRoute.GET(new Request("http://x"));
    expect(key.headers.get("content-disposition")).toMatch(/attachment; filename="audit-public-key-[0-9a-f]{16}\.pem"/);
    const pem = await key.text();
    const [stored] = await listCheckpoints({ limit: 1 });
    const download = await checkpointRoute.GET(new Request("http://x"), { params: Promise.resolve({ id: String(stored!.id) }) });
    const kept = await download.json();
    expect(kept).toEqual({
      seq: stored!.seq,
      hash: stored!.hash,
      createdAt: stored!.createdAt,
      keyId: stored!.keyId,
      signature: stored!.signature,
    });
    expect(verifyCheckpointSignature(kept, pem)).toBe(true);
    expect((await checkpointRoute.GET(new Request("http://x"), { params: Promise.resolve({ id: "999999" }) })).status).toBe(404);

    session.actor = requester;
    expect((await publicKeyRoute.GET(new Request("http://x"))).status).toBe(403);
    expect((await checkpointRoute.GET(new Request("http://x"), { params: Promise.resolve({ id: String(stored!.id) }) })).status).toBe(403);
    expect((await verifyRoute.POST(sameOriginPost())).status).toBe(403);
    session.actor = null;
    expect((await publicKeyRoute.GET(new Request("http://x"))).status).toBe(401);
    expect((await verifyRoute.POST(sameOriginPost())).status).toBe(401);
  });
});

describe("live verification", () => {
  it("streams progress, verifies chain and checkpoints, and records the run", async () => {
    session.actor = auditor;
    const head = await lastEvent();
    const checkpoints = (await listCheckpoints({ limit: 100 })).filter((c) => c.seq <= head.seq).length;
    expect(checkpoints).toBeGreaterThanOrEqual(4);
    const lines = await runVerification();
    expect(lines[0]).toEqual({ type: "progress", checked: 0, total: head.seq });
    expect(lines.at(-2)).toEqual({ type: "progress", checked: head.seq, total: head.seq });
    const result = lines.at(-1);
    expect(result).toMatchObject({
      type: "result",
      result: { ok: true, checked: head.seq, columns: "constraint", head: { seq: head.seq, hash: head.hash } },
    });
    expect(result?.type === "result" && result.result.checkpointsChecked).toBe(checkpoints);
    expect(await lastEvent()).toMatchObject({ action: "audit.verified", actorId: auditor.id, after: { ok: true, checked: head.seq } });
  });

  it("names a forged checkpoint", async () => {
    const target = (await readAuditEvents({ limit: 100_000 }))[2]!;
    await asOwner([
      `INSERT INTO audit_checkpoints (seq, hash, created_at, key_id, signature, reason) SELECT seq, hash, now(), '${(await listCheckpoints({ limit: 1 }))[0]!.keyId}', 'Zm9yZ2Vk', 'periodic' FROM audit_events WHERE seq = ${target.seq}`,
    ]);
    const result = (await runVerification()).at(-1);
    expect(result).toMatchObject({ type: "result", result: { ok: false, broken: { seq: target.seq, problem: "checkpoint_signature" } } });
  });

  it("names the first event rewritten by someone who could change the schema, rebuilding every event once the guard is gone", async () => {
    await expect(behindAuditTriggers("UPDATE audit_events SET reason = 'rewritten' WHERE seq = 2")).rejects.toThrow(
      /audit_events_content_agrees/,
    );
    await asOwner([`ALTER TABLE audit_events DROP CONSTRAINT ${CONTENT_GUARD.name}`]);
    await behindAuditTriggers("UPDATE audit_events SET reason = 'rewritten' WHERE seq = 2");
    const result = (await runVerification()).at(-1);
    expect(result).toMatchObject({
      type: "result",
      result: { ok: false, checked: 1, columns: "rebuilt", broken: { seq: 2, problem: "hash_mismatch" } },
    });
    expect(await lastEvent()).toMatchObject({ action: "audit.verified", after: { ok: false, columns: "rebuilt", broken: { seq: 2 } } });
  });
});
