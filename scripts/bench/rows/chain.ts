// Chain verification vs SHA-256 alone over the very bytes the chain hashes (each event's previous
// hash and hashed_content, prepared in memory beforehand), both on the first events of the large
// database: the offline verifier (audit:verify's chain walk, reading an exported file from disk)
// and the live verifier (/audit "Verify now": PostgreSQL hashes each batch where the rows are,
// two batches at once, while the content guard stands). Timed alternately with the baseline,
// best of N each, so a burst of load on a shared machine hits both alike.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { sha256Hex } from "../../../lib/domain/audit-chain";
import { auditJsonLine } from "../../../lib/domain/audit-jsonl";
import { toAuditRecord } from "../../../lib/server/audit/read-audit-events";
import { verifyAuditFile } from "../../../lib/server/audit-verification/verify-audit-file";
import {
  LIVE_VERIFICATION_BATCH,
  LIVE_VERIFICATION_IN_FLIGHT,
  verifyLiveChain,
} from "../../../lib/server/audit-verification/verify-live-chain";
import { perSecond, type BenchContext, type BenchModule, type BenchRow } from "../types";

const EVENTS = 200_000;

async function bestOf(runs: number, measured: () => unknown, baseline: () => void): Promise<{ measuredMs: number; baselineMs: number }> {
  let measuredMs = Infinity;
  let baselineMs = Infinity;
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    await measured();
    measuredMs = Math.min(measuredMs, performance.now() - started);
    started = performance.now();
    baseline();
    baselineMs = Math.min(baselineMs, performance.now() - started);
  }
  return { measuredMs, baselineMs };
}

export const chainRow: BenchModule = {
  title: "chain",
  async run(ctx: BenchContext) {
    const client = new pg.Client({ connectionString: ctx.large.appUrl });
    await client.connect();
    let lines: string[];
    let bytes: string[];
    try {
      const { rows } =
        await client.query(`SELECT seq, occurred_at, actor_id, actor_email, action, entity_type, entity_id, change_id, before, after, reason, client_address, prev_hash, hash, hashed_content
        FROM audit_events ORDER BY seq LIMIT ${EVENTS}`);
      if (rows.some((r) => r.hashed_content === null))
        throw new Error("The bench database predates hashed_content; regenerate it (npm run bench:data).");
      lines = rows.map((r) => auditJsonLine(toAuditRecord(r)));
      bytes = rows.map((r) => r.prev_hash + r.hashed_content);
    } finally {
      await client.end();
    }
    const n = bytes.length;
    let sink = 0;
    const hashAll = () => {
      for (const b of bytes) sink += sha256Hex(b).length;
    };
    const dir = mkdtempSync(path.join(os.tmpdir(), "bench-chain-"));
    const file = path.join(dir, "events.jsonl");
    const rows: BenchRow[] = [];
    try {
      writeFileSync(file, lines.join("\n") + "\n");
      lines = [];
      const offline = await bestOf(
        5,
        () => {
          const verdict = verifyAuditFile(file);
          if (!verdict.ok || verdict.count !== n) throw new Error(`The exported chain does not verify: ${JSON.stringify(verdict)}`);
        },
        hashAll,
      );
      rows.push(row(`Verify an exported file of ${n.toLocaleString("en-US")} events (audit:verify, from disk), best of 5`, n, offline));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const liveRun = (inFlight: number) => async () => {
      const verdict = await verifyLiveChain(() => undefined, { upTo: n, inFlight });
      if (!verdict.ok || verdict.checked !== n) throw new Error(`The live chain does not verify: ${JSON.stringify(verdict)}`);
      if (verdict.columns !== "constraint")
        throw new Error("The content guard does not stand on the bench database; migrate it (npm run bench:data).");
    };
    const live = await bestOf(3, liveRun(LIVE_VERIFICATION_IN_FLIGHT), hashAll);
    // One batch at a time: what a single database core gives, beside the baseline's single core.
    const single = await bestOf(3, liveRun(1), hashAll);
    const oneAtATime = row("one batch at a time", n, single);
    rows.push({
      ...row(
        `Verify the live log, first ${n.toLocaleString("en-US")} events (batches of ${LIVE_VERIFICATION_BATCH.toLocaleString("en-US")}, ${LIVE_VERIFICATION_IN_FLIGHT} at once, hashed in PostgreSQL), best of 3`,
        n,
        live,
      ),
      note: `${oneAtATime.name}: ${oneAtATime.figure}, ${oneAtATime.ratio.toFixed(2)} of SHA-256 alone`,
    });
    if (sink === 0) throw new Error("unreachable");
    return rows;
  },
};

function row(name: string, events: number, timing: { measuredMs: number; baselineMs: number }): BenchRow & { ratio: number } {
  const rate = events / (timing.measuredMs / 1000);
  const hashRate = events / (timing.baselineMs / 1000);
  return {
    name,
    figure: perSecond(rate, "events"),
    baseline: perSecond(hashRate, "events") + " (SHA-256 only)",
    ratio: rate / hashRate,
    target: ">= 0.5",
  };
}
