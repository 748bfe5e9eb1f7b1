import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { sha256Hex } from "@/lib/domain/audit-chain";
import { hashedContentJson } from "@/lib/domain/audit-event";
import type { Actor } from "@/lib/server/auth/current-actor";
import { appendAuditEvent } from "@/lib/server/audit/append-audit-event";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { verifyAuditFile } from "@/lib/server/audit-verification/verify-audit-file";
import { verifyLiveChain } from "@/lib/server/audit-verification/verify-live-chain";
import { inTransaction } from "@/lib/server/db/transaction";
import { createTestUser } from "../support/fixtures";
import { asOwner, behindAuditTriggers, runStatements } from "../support/statements";

// Each event keeps the bytes its hash covers (hashed_content). These tests hold the database,
// the export and both verifiers to that: the bytes agree with the columns and the hash, exports
// carry them verbatim, and a change to either the bytes or a column is found.
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async () => session.actor,
}));
const exportRoute = await import("@/app/api/audit/export/route");

async function exportedLines(): Promise<{ file: string; lines: string[] }> {
  const response = await exportRoute.GET(new Request("http://localhost/api/audit/export"));
  expect(response.status).toBe(200);
  const body = await response.text();
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), "hashed-")), "export.jsonl");
  await writeFile(file, body);
  return { file, lines: body.trimEnd().split("\n") };
}

beforeAll(async () => {
  session.actor = (await createTestUser({ roles: ["auditor"] })).actor;
  await inTransaction(async (tx) => {
    await appendAuditEvent(tx, {
      actor: session.actor,
      action: "test.unicode",
      entityType: "test",
      after: { title: 'Zürich — ✓ "quoted"\n', n: 1.25, list: [3, 1] },
      reason: "tab\there",
    });
    await appendAuditEvent(tx, { actor: null, action: "test.nulls", entityType: "test" });
  });
});

describe("the bytes an audit event's hash covers", () => {
  it("are stored with every event, agree with its columns and hash to its hash", async () => {
    const rows = await asOwner([
      `SELECT seq, prev_hash, hash, hashed_content, hashed_content::jsonb = audit_event_content(e) AS agrees FROM audit_events e ORDER BY seq`,
    ]);
    const events = await readAuditEvents({ limit: 1_000 });
    expect(rows.length).toBe(events.length);
    for (const [i, row] of rows.entries()) {
      expect(row.hashed_content).toBe(hashedContentJson(events[i]!));
      expect(row.agrees).toBe(true);
      expect(sha256Hex(row.prev_hash + row.hashed_content)).toBe(row.hash);
    }
  });

  it("are refused when they disagree with the columns or with the hash", async () => {
    const [head] = await asOwner<{ seq: string; hash: string }>(["SELECT seq, hash FROM audit_chain_head"]);
    const seq = Number(head!.seq) + 1;
    const content = `{"action":"test.forged","actorEmail":null,"actorId":null,"after":null,"before":null,"changeId":null,"clientAddress":null,"entityId":null,"entityType":"test","occurredAt":"2026-11-23T10:00:00.000Z","reason":null,"seq":${seq}}`;
    const insert = (action: string, hash: string) =>
      runStatements(process.env.DATABASE_URL, [
        `INSERT INTO audit_events (seq, occurred_at, action, entity_type, prev_hash, hash, hashed_content) VALUES (${seq}, '2026-11-23T10:00:00.000Z', '${action}', 'test', '${head!.hash}', '${hash}', '${content}')`,
      ]);
    await expect(insert("test.other", sha256Hex(head!.hash + content))).rejects.toThrow(
      /violates check constraint "audit_events_content_agrees"/,
    );
    await expect(insert("test.forged", sha256Hex("not the bytes"))).rejects.toThrow(/hash is not the SHA-256/);
  });

  it("are what an export line holds after its hash and previous hash, and the file verifies", async () => {
    const { file, lines } = await exportedLines();
    const rows = await asOwner<{ hash: string; prev_hash: string; hashed_content: string }>([
      `SELECT hash, prev_hash, hashed_content FROM audit_events ORDER BY seq`,
    ]);
    expect(lines.length).toBe(rows.length);
    lines.forEach((line, i) =>
      expect(line).toBe(`{"hash":"${rows[i]!.hash}","prevHash":"${rows[i]!.prev_hash}",${rows[i]!.hashed_content.slice(1)}`),
    );
    expect(verifyAuditFile(file)).toMatchObject({ ok: true, count: rows.length });
  });

  it("are optional for events written before they were kept: those verify from their columns, live and exported", async () => {
    await behindAuditTriggers("UPDATE audit_events SET hashed_content = NULL WHERE action = 'test.nulls'");
    expect(await verifyLiveChain(() => undefined)).toMatchObject({ ok: true });
    const { file, lines } = await exportedLines();
    expect(JSON.parse(lines[1]!)).toMatchObject({ seq: 2, action: "test.nulls" });
    expect(verifyAuditFile(file)).toMatchObject({ ok: true, count: lines.length });
  });

  it("cannot be changed apart from the columns, even with the triggers off: the constraint refuses it", async () => {
    const [target] = await asOwner<{ seq: string }>(["SELECT seq FROM audit_events WHERE action = 'test.unicode'"]);
    await expect(
      behindAuditTriggers(
        `UPDATE audit_events SET hashed_content = replace(hashed_content, 'Zürich', 'Zurich') WHERE seq = ${target!.seq}`,
      ),
    ).rejects.toThrow(/violates check constraint "audit_events_content_agrees"/);
    await expect(
      asOwner(["ALTER TABLE audit_events DISABLE TRIGGER USER", `UPDATE audit_events SET reason = 'rewritten' WHERE seq = ${target!.seq}`]),
    ).rejects.toThrow(/violates check constraint "audit_events_content_agrees"/);
    await asOwner(["ALTER TABLE audit_events ENABLE TRIGGER USER"]);
  });

  it("let the live verifier name an event whose bytes and columns were rewritten together behind the triggers' back", async () => {
    const [target] = await asOwner<{ seq: string }>(["SELECT seq FROM audit_events WHERE action = 'test.unicode'"]);
    await behindAuditTriggers(
      `UPDATE audit_events SET hashed_content = replace(hashed_content, 'Zürich', 'Zurich'), after = jsonb_set(after, '{title}', to_jsonb(replace(after->>'title', 'Zürich', 'Zurich'))) WHERE seq = ${target!.seq}`,
    );
    expect(await verifyLiveChain(() => undefined)).toMatchObject({
      ok: false,
      columns: "constraint",
      broken: { seq: Number(target!.seq), problem: "hash_mismatch" },
    });
  });
});
