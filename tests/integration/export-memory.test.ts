import v8 from "node:v8";
import vm from "node:vm";
import { expect, it, vi } from "vitest";
import { verifyChain } from "@/lib/domain/audit-chain";
import { parseAuditJsonLine } from "@/lib/domain/audit-jsonl";
import type { Actor } from "@/lib/server/auth/current-actor";
import { appendBulkAuditEvents } from "../support/bulk-audit-events";
import { createTestUser } from "../support/fixtures";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async () => session.actor,
}));
const { GET } = await import("@/app/api/exports/events/route");

// A garbage collection on demand, so the samples measure what is retained, not what awaits collection.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const retained = () => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const EVENTS = 100_000;
const MiB = 1024 * 1024;

it(
  `streams an export of ${EVENTS.toLocaleString("en")} audit events with flat memory, and the file verifies`,
  { timeout: 300_000 },
  async () => {
    const auditor = await createTestUser({ roles: ["auditor"] });
    await appendBulkAuditEvents(process.env.DATABASE_URL!, EVENTS, { actor: { id: auditor.id, email: auditor.email } });
    session.actor = auditor.actor;

    const baseline = retained();
    const response = await GET(new Request("http://localhost/api/exports/events?format=jsonl"));
    expect(response.status).toBe(200);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let bytes = 0;
    let chunks = 0;
    let peak = 0;
    let partial = "";
    const lines: ReturnType<typeof parseAuditJsonLine>[] = [];
    let verified: ReturnType<typeof verifyChain> | null = null;
    let from: { seq: number; hash: string } | undefined;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      chunks += 1;
      // Verify as we go, keeping only the last link, so the test itself holds no more than a chunk.
      const text = partial + value;
      const cut = text.lastIndexOf("\n");
      partial = text.slice(cut + 1);
      lines.length = 0;
      text
        .slice(0, cut)
        .split("\n")
        .forEach((l, i) => lines.push(parseAuditJsonLine(l, i + 1)));
      verified = verifyChain(lines, { from });
      expect(verified.ok).toBe(true);
      from = { seq: lines.at(-1)!.seq, hash: lines.at(-1)!.hash };
      if (chunks % 10 === 0) peak = Math.max(peak, retained() - baseline);
    }
    peak = Math.max(peak, retained() - baseline);
    console.info(
      `export of ${from!.seq} events: ${(bytes / MiB).toFixed(1)} MiB in ${chunks} chunks; peak retained growth ${(peak / MiB).toFixed(1)} MiB`,
    );

    expect(from!.seq).toBeGreaterThan(EVENTS);
    expect(bytes).toBeGreaterThan(40 * MiB);
    // Holding the file would retain at least its size; a streamed export holds about one batch, plus
    // what the export's first run of each statement keeps (prepared plans, the webhook outbox's SQL).
    expect(peak).toBeLessThan(24 * MiB);
    expect(peak).toBeLessThan(bytes / 2);
  },
);
