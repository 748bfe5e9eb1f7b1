import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/auth/current-actor";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { verifyAuditFile } from "@/lib/server/audit-verification/verify-audit-file";
import { completeDraft, createTestCi, createTestUser } from "../support/fixtures";

// The route handler is called as a request would reach it; only the session lookup is replaced.
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async () => session.actor,
}));
const { GET } = await import("@/app/api/audit/export/route");

let file: string;
let lines: string[];

beforeAll(async () => {
  const requester = await createTestUser({ roles: ["requester"] });
  for (let i = 0; i < 3; i++) {
    const ci = await createTestCi();
    const draft = await createChangeDraft(requester.actor, completeDraft([ci.id], { title: `Change ${i}` }));
    if (draft.ok) await performChangeAction(requester.actor, { changeId: draft.value.id, action: "submit" });
  }
  session.actor = (await createTestUser({ roles: ["auditor"] })).actor;
  const response = await GET(new Request("http://localhost/api/audit/export"));
  expect(response.headers.get("content-type")).toContain("application/x-ndjson");
  const body = await response.text();
  file = path.join(await mkdtemp(path.join(os.tmpdir(), "audit-")), "export.jsonl");
  await writeFile(file, body);
  lines = body.trimEnd().split("\n");
});

async function tampered(change: (lines: string[]) => string[]): Promise<string> {
  const out = file.replace(".jsonl", `-${Math.random().toString(36).slice(2)}.jsonl`);
  await writeFile(out, change([...lines]).join("\n") + "\n");
  return out;
}
const edit = (line: string, fn: (e: Record<string, unknown>) => void) => {
  const event = JSON.parse(line);
  fn(event);
  return JSON.stringify(event);
};

describe("the JSON Lines export and the offline verifier", () => {
  it("exports every event, ending with the export itself, and the untouched file verifies", async () => {
    expect(lines.length).toBeGreaterThan(6);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ action: "audit.exported" });
    expect(verifyAuditFile(file)).toMatchObject({ ok: true, count: lines.length, head: { seq: lines.length } });
  });

  it.each([
    [
      "an edited field",
      (l: string[]) => {
        l[2] = edit(l[2]!, (e) => {
          e.reason = "rewritten";
        });
        return l;
      },
      3,
      "hash_mismatch",
    ],
    [
      "a deleted event",
      (l: string[]) => {
        l.splice(3, 1);
        return l;
      },
      5,
      "sequence_gap",
    ],
    [
      "two events swapped",
      (l: string[]) => {
        [l[1], l[2]] = [l[2]!, l[1]!];
        return l;
      },
      3,
      "sequence_gap",
    ],
    [
      "an inserted copy",
      (l: string[]) => {
        l.splice(2, 0, l[1]!);
        return l;
      },
      2,
      "out_of_order",
    ],
  ] as const)("names the first broken link after %s", async (_what, change, seq, problem) => {
    expect(verifyAuditFile(await tampered(change))).toMatchObject({ ok: false, seq, problem });
  });

  it("proves a kept checkpoint is still in the log, and catches a truncated one", async () => {
    const kept = JSON.parse(lines[4]!) as { seq: number; hash: string };
    expect(verifyAuditFile(file, { checkpoint: { seq: kept.seq, hash: kept.hash } })).toMatchObject({ ok: true });
    expect(verifyAuditFile(await tampered((l) => l.slice(0, 3)), { checkpoint: { seq: kept.seq, hash: kept.hash } })).toMatchObject({
      ok: false,
      problem: "truncated",
    });
  });

  it("refuses anyone but auditors and admins", async () => {
    session.actor = (await createTestUser({ roles: ["requester"] })).actor;
    expect((await GET(new Request("http://localhost/api/audit/export"))).status).toBe(403);
    session.actor = null;
    expect((await GET(new Request("http://localhost/api/audit/export"))).status).toBe(401);
    expect(await readFile(file, "utf8")).toContain("audit.exported");
  });
});
