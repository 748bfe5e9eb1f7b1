// Chain verification (lib/domain/audit-chain.ts verifyChain, as the live and export verifiers
// call it) vs SHA-256 alone over the very bytes the chain hashes, prepared beforehand. The two
// are timed alternately, best of 5 each, so a burst of load on a shared machine hits both alike.
import pg from "pg";
import { sha256Hex, verifyChain } from "../../../lib/domain/audit-chain";
import { hashedContent, hashedContentJson, type AuditEventRecord } from "../../../lib/domain/audit-event";
import { canonicalJson } from "../../../lib/domain/canonical-json";
import { toAuditRecord } from "../../../lib/server/audit/read-audit-events";
import { perSecond, type BenchContext, type BenchModule } from "../types";

const EVENTS = 200_000;
const RUNS = 5;

export const chainRow: BenchModule = {
  title: "chain",
  async run(ctx: BenchContext) {
    const client = new pg.Client({ connectionString: ctx.large.appUrl });
    await client.connect();
    let events: AuditEventRecord[];
    try {
      const { rows } = await client.query(`SELECT seq, occurred_at, actor_id, actor_email, action, entity_type, entity_id, change_id, before, after, reason, client_address, prev_hash, hash
        FROM audit_events ORDER BY seq LIMIT ${EVENTS}`);
      events = rows.map(toAuditRecord);
    } finally {
      await client.end();
    }
    const bytes = events.map((e) => e.prevHash + canonicalJson(hashedContent(e)));
    const timed = (fn: () => void) => {
      const started = performance.now();
      fn();
      return performance.now() - started;
    };
    let verdict: ReturnType<typeof verifyChain> | undefined;
    let sink = 0;
    let verifyMs = Infinity;
    let hashMs = Infinity;
    for (let i = 0; i < RUNS; i++) {
      verifyMs = Math.min(verifyMs, timed(() => (verdict = verifyChain(events, { canonicalContentOf: hashedContentJson }))));
      if (!verdict?.ok) throw new Error(`The bench database's chain does not verify: ${JSON.stringify(verdict)}`);
      hashMs = Math.min(hashMs, timed(() => {
        for (const b of bytes) sink += sha256Hex(b).length;
      }));
    }
    if (sink === 0) throw new Error("unreachable");
    const verifyRate = events.length / (verifyMs / 1000);
    const hashRate = events.length / (hashMs / 1000);
    return [{ name: `Verify the audit chain (${events.length.toLocaleString("en-US")} events, best of ${RUNS})`, figure: perSecond(verifyRate, "events"), baseline: perSecond(hashRate, "events") + " (SHA-256 only)", ratio: verifyRate / hashRate, target: ">= 0.5" }];
  },
};
