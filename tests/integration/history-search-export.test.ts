import { createHash } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { hashEvent, withoutHashes } from "@/lib/domain/audit-chain";
import { verifyCheckpointSignature } from "@/lib/domain/audit-checkpoint";
import { parseExportManifest } from "@/lib/domain/export-manifest";
import type { Actor } from "@/lib/server/auth/current-actor";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { searchChanges, searchEvents } from "@/lib/server/history/search-history";
import { appendAuditEvent } from "@/lib/server/audit/append-audit-event";
import { auditPublicKeyPem } from "@/lib/server/audit/checkpoints";
import { inTransaction } from "@/lib/server/db/transaction";
import { verifyExportFile } from "@/lib/server/audit-verification/verify-export-file";
import { completeDraft, createTestCi, createTestUser, FORBIDDEN, readerWith, testDb } from "../support/fixtures";
import { loadEvidence } from "@/lib/server/history/load-evidence";
import { historyFilterOptions } from "@/lib/server/history/search-history";
import { loadManifest } from "@/lib/server/exports/load-manifest";
import { someoneWaits, withConnection } from "../support/statements";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async () => session.actor,
}));
const changesRoute = await import("@/app/api/exports/changes/route");
const eventsRoute = await import("@/app/api/exports/events/route");
const manifestRoute = await import("@/app/api/exports/[id]/manifest/route");

const exportChanges = (query: string) => changesRoute.GET(new Request(`http://localhost/api/exports/changes?${query}`));
const exportEvents = (query: string) => eventsRoute.GET(new Request(`http://localhost/api/exports/events?${query}`));
const manifestOf = (id: string) =>
  manifestRoute.GET(new Request(`http://localhost/api/exports/${id}/manifest`), { params: Promise.resolve({ id }) });

let pci: { id: string; number: number };
let emergency: { id: string; number: number };
let plain: { id: string; number: number };
let ciA: { id: string; name: string };
let requester: Awaited<ReturnType<typeof createTestUser>>;
let auditor: Actor;

async function file(actor: Actor, draft: Record<string, unknown>, submit = true) {
  const created = await createChangeDraft(actor, draft);
  if (!created.ok) throw new Error(created.message);
  if (submit) {
    const submitted = await performChangeAction(actor, { changeId: created.value.id, action: "submit" });
    if (!submitted.ok) throw new Error(submitted.message);
  }
  return testDb().changeRequest.findUniqueOrThrow({ where: { id: created.value.id }, select: { id: true, number: true } });
}

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
  const other = await createTestUser({ roles: ["requester"] });
  ciA = await createTestCi();
  const ciB = await createTestCi();
  pci = await file(
    requester.actor,
    completeDraft([ciA.id], { title: '=HYPERLINK("http://evil") card vault, "quoted"', regulatedData: true, frameworkTags: ["pci_dss"] }),
  );
  emergency = await file(
    requester.actor,
    completeDraft([ciB.id], {
      type: "emergency",
      title: "Patch the gateway now",
      emergencyJustification: "Active exploitation of CVE-2026-1111.",
    }),
  );
  plain = await file(other.actor, completeDraft([ciB.id], { title: "Resize the log volume" }), false);
  auditor = (await createTestUser({ roles: ["auditor"] })).actor;
  session.actor = auditor;
});

describe("history search", () => {
  it("filters changes by framework tag, type, CI, person and free text (title or CHG number)", async () => {
    const ids = async (filters: Parameters<typeof searchChanges>[1]) =>
      (await searchChanges(auditor, filters)).rows.map((r) => r.id).sort();
    expect(await ids({ tag: "pci_dss" })).toEqual([pci.id]);
    expect(await ids({ type: "emergency" })).toEqual([emergency.id]);
    expect(await ids({ ci: ciA.id })).toEqual([pci.id]);
    expect(await ids({ actor: requester.id })).toEqual([pci.id, emergency.id].sort());
    expect(await ids({ q: "gateway" })).toEqual([emergency.id]);
    expect(await ids({ q: `CHG-${String(plain.number).padStart(6, "0")}` })).toEqual([plain.id]);
    expect(await ids({ state: "draft", q: "log volume" })).toEqual([plain.id]);
    expect(await ids({ to: "2000-01-01" })).toEqual([]);
    expect(await ids({ q: "100%_" })).toEqual([]);
  });

  it("filters audit events by action, actor and change, newest first, in keyset pages", async () => {
    const submits = await searchEvents(auditor, { action: "change.submitted", actor: requester.id });
    expect(submits.rows.map((e) => e.changeId).sort()).toEqual([pci.id, emergency.id].sort());
    expect(submits.rows[0]!.seq).toBeGreaterThan(submits.rows[1]!.seq);
    const byChange = await searchEvents(auditor, { q: `CHG-${pci.number}` });
    expect(byChange.rows.length).toBeGreaterThan(0);
    expect(byChange.rows.every((e) => e.changeId === pci.id)).toBe(true);
  });
});

describe("who reads the history", () => {
  it("auditors and admins read the searches, the filter choices and the evidence view; anyone else gets the 403, recorded", async () => {
    const admin = readerWith(["admin"]);
    expect((await searchChanges(admin, { ci: ciA.id })).rows.map((r) => r.id)).toEqual([pci.id]);
    expect((await searchEvents(admin, { q: `CHG-${pci.number}` })).rows.length).toBeGreaterThan(0);
    expect((await loadEvidence(auditor, pci.id))?.change.id).toBe(pci.id);
    expect(await loadEvidence(auditor, "not-a-uuid")).toBeNull();
    // A change manager sees every change, but not the audit history.
    const manager = await createTestUser({ roles: ["change_manager", "cab_member"] });
    const refusals = [
      () => searchChanges(manager.actor, {}),
      () => searchEvents(manager.actor, {}),
      () => historyFilterOptions(manager.actor, {}),
      () => loadEvidence(manager.actor, pci.id),
      () => loadManifest(manager.actor, pci.id),
    ];
    for (const read of refusals) await expect(read()).rejects.toMatchObject(FORBIDDEN);
    const denials = await testDb().auditEvent.findMany({ where: { actorId: manager.id, action: "authorization.denied" } });
    expect(denials.map((d) => d.entityId)).toEqual(Array(refusals.length).fill("read:audit.read"));
  });
});

describe("exports with manifests", () => {
  it("streams the filtered changes as RFC 4180 CSV whose row count, SHA-256 and signed checkpoint match the manifest", async () => {
    const response = await exportChanges("format=csv&actor=" + requester.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("x-export-expected-rows")).toBe("2");
    const body = await response.text();
    const records = parse(body, { columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.id).sort()).toEqual([pci.id, emergency.id].sort());
    // The formula is disarmed; the quotes and comma survive the round trip.
    expect(records.find((r) => r.id === pci.id)!.title).toBe('\'=HYPERLINK("http://evil") card vault, "quoted"');

    const manifestResponse = await manifestOf(response.headers.get("x-export-id")!);
    expect(manifestResponse.status).toBe(200);
    const parsed = parseExportManifest(await manifestResponse.json());
    if (!parsed.ok) throw new Error(parsed.message);
    const { manifest } = parsed;
    expect(manifest).toMatchObject({
      kind: "changes",
      fileFormat: "csv",
      rowCount: 2,
      filters: { actor: requester.id },
      exportedBy: { id: auditor.id },
    });
    expect(manifest.sha256).toBe(createHash("sha256").update(body).digest("hex"));
    expect(verifyCheckpointSignature(manifest.checkpoint, manifest.publicKeyPem)).toBe(true);
    // The chain head at export time is the export's own audit event.
    const head = await testDb().auditEvent.findUniqueOrThrow({ where: { seq: BigInt(manifest.chainHead.seq) } });
    expect(head).toMatchObject({ action: "audit.exported", entityId: manifest.exportId, hash: manifest.chainHead.hash });
    // The manifest's checkpoint is also one of the log's own, signed by the exporting auditor's action.
    const stored = await testDb().auditCheckpoint.findFirstOrThrow({ where: { seq: BigInt(manifest.checkpoint.seq), reason: "export" } });
    expect(stored).toMatchObject({
      hash: manifest.checkpoint.hash,
      signature: manifest.checkpoint.signature,
      keyId: manifest.checkpoint.keyId,
      createdBy: auditor.id,
    });
  });

  it("exports one change's events as JSON Lines in chain order, each line hashing back to its stored hash", async () => {
    const response = await exportEvents(`format=jsonl&q=CHG-${pci.number}`);
    const lines = (await response.text())
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((e) => e.changeId === pci.id)).toBe(true);
    expect(lines.map((e) => e.seq)).toEqual([...lines.map((e) => e.seq)].sort((a, b) => a - b));
    for (const event of lines) expect(hashEvent(event.prevHash, withoutHashes(event))).toBe(event.hash);
  });

  it("exports audit events as CSV with the change reference and the hashes", async () => {
    const response = await exportEvents("format=csv&action=change.submitted");
    const records = parse(await response.text(), { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(2);
    expect(records.map((r) => r.change).sort()).toEqual(
      [pci.number, emergency.number].map((n) => `CHG-${String(n).padStart(6, "0")}`).sort(),
    );
    expect(records.every((r) => /^[0-9a-f]{64}$/.test(r.hash!))).toBe(true);
  });

  it("gives every CSV event its own change's reference, and none to an event without a change, whether or not the search filters on the change", async () => {
    const reference = (n: number) => `CHG-${String(n).padStart(6, "0")}`;
    const numbers = new Map((await testDb().changeRequest.findMany({ select: { id: true, number: true } })).map((c) => [c.id, c.number]));
    // No condition on the change: the reference is looked up per event (EVENT_FROM_CHANGE_NUMBER).
    const all = parse(await (await exportEvents("format=csv")).text(), { columns: true }) as Record<string, string>[];
    expect(all.some((r) => r.change_id === "")).toBe(true);
    expect(all.filter((r) => r.change_id !== "").length).toBeGreaterThan(3);
    for (const r of all) expect(r.change).toBe(r.change_id === "" ? "" : reference(numbers.get(r.change_id!)!));
    // A condition on the change's type: the events joined to their changes.
    const emergencies = parse(await (await exportEvents("format=csv&type=emergency")).text(), { columns: true }) as Record<
      string,
      string
    >[];
    expect(emergencies.length).toBeGreaterThan(0);
    expect(new Set(emergencies.map((r) => r.change))).toEqual(new Set([reference(emergency.number)]));
  });

  it("lets audited actions go on while an export counts its rows, and the file stops at the head its checkpoint signed", async () => {
    // Hold up every query that reads change_requests (the export's count and its COPY), not the
    // export's own audit event and checkpoint, nor a sign-in's audit event.
    await withConnection(process.env.DATABASE_URL, async (blocker) => {
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE change_requests IN ACCESS EXCLUSIVE MODE");
      const exporting = exportEvents("format=csv");
      await someoneWaits(); // the export, in its count
      const signIn = inTransaction((tx) =>
        appendAuditEvent(tx, { actor: requester.actor, action: "auth.signed_in", entityType: "user", entityId: requester.actor.id }),
      );
      const waited = await Promise.race([signIn.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 5_000))]);
      await blocker.query("COMMIT");
      expect(waited, "a sign-in waited for an export's count").toBe(false);
      const { seq } = await signIn;
      const response = await exporting;
      const records = parse(await response.text(), { columns: true }) as Record<string, string>[];
      expect(Number(response.headers.get("x-export-expected-rows"))).toBe(records.length);
      expect(records.at(-1)?.action).toBe("audit.exported");
      expect(Number(records.at(-1)?.seq)).toBeLessThan(seq);
    });
  });

  it("records each export as an audit event with its filters", async () => {
    const before = await testDb().auditEvent.count({ where: { action: "audit.exported" } });
    await (await exportChanges("format=jsonl&type=emergency")).text();
    const event = await testDb().auditEvent.findFirstOrThrow({ where: { action: "audit.exported" }, orderBy: { seq: "desc" } });
    expect(await testDb().auditEvent.count({ where: { action: "audit.exported" } })).toBe(before + 1);
    expect(event.after).toMatchObject({ kind: "changes", format: "jsonl", filters: { type: "emergency" } });
  });

  it("gives no manifest for an export that has not finished", async () => {
    const response = await exportEvents("format=csv");
    const reader = response.body!.getReader();
    await reader.read();
    expect((await manifestOf(response.headers.get("x-export-id")!)).status).toBe(409);
    await reader.cancel();
  });

  it("the offline verifier accepts each real export with its manifest under the portal's key, and catches an edited file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "exports-"));
    for (const [route, query] of [
      [exportEvents, "format=jsonl"],
      [exportEvents, `format=jsonl&q=CHG-${pci.number}`],
      [exportEvents, "format=csv"],
      [exportChanges, "format=csv"],
    ] as const) {
      const response = await route(query);
      const body = await response.text();
      const manifest = parseExportManifest(await (await manifestOf(response.headers.get("x-export-id")!)).json());
      if (!manifest.ok) throw new Error(manifest.message);
      const file = path.join(dir, manifest.manifest.fileName);
      await writeFile(file, body);
      const verdict = verifyExportFile(file, {
        manifest: manifest.manifest,
        trustedKeys: [await auditPublicKeyPem()],
        acceptFiltered: true,
      });
      expect(verdict.broken, `${query}: ${JSON.stringify(verdict.broken)}`).toBeNull();
      expect(verdict.ok).toBe(true);
      await writeFile(file, body.replace(/(?<=\n.*)[a-z]/, "Z")); // one letter of the first row after the header
      expect(
        verifyExportFile(file, { manifest: manifest.manifest, trustedKeys: [await auditPublicKeyPem()], acceptFiltered: true }).status,
        query,
      ).toBe("broken");
    }
  });

  it("refuses a malformed filter instead of exporting something else", async () => {
    const response = await exportChanges("format=csv&type=sideways");
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/type/);
    expect((await exportChanges("type=normal")).status).toBe(400);
  });

  it("refuses requesters (403, recorded) and anonymous callers (401)", async () => {
    session.actor = requester.actor;
    expect((await exportChanges("format=csv")).status).toBe(403);
    expect((await manifestOf(pci.id)).status).toBe(403);
    expect(await testDb().auditEvent.count({ where: { action: "authorization.denied", actorId: requester.id } })).toBe(2);
    session.actor = null;
    expect((await exportEvents("format=csv")).status).toBe(401);
    session.actor = auditor;
  });
});
