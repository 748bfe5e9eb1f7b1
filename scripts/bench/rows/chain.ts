// Chain verification (lib/domain/audit-chain.ts verifyChain, as the export verifier uses it) vs
// SHA-256 alone over the very bytes the chain hashes, prepared beforehand.
import pg from "pg";
import { sha256Hex, verifyChain } from "../../../lib/domain/audit-chain";
import { hashedContent, type AuditEventRecord } from "../../../lib/domain/audit-event";
import { canonicalJson } from "../../../lib/domain/canonical-json";
import { toAuditRecord } from "../../../lib/server/audit/read-audit-events";
import { perSecond, type BenchContext, type BenchModule } from "../types";

const EVENTS = 200_000;

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
    const best = (fn: () => void) => {
      let fastest = Infinity;
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        fn();
        fastest = Math.min(fastest, performance.now() - started);
      }
      return fastest;
    };
    let verdict: ReturnType<typeof verifyChain> | undefined;
    const verifyMs = best(() => (verdict = verifyChain(events, { contentOf: hashedContent })));
    if (!verdict?.ok) throw new Error(`The bench database's chain does not verify: ${JSON.stringify(verdict)}`);
    let sink = 0;
    const hashMs = best(() => {
      for (const b of bytes) sink += sha256Hex(b).length;
    });
    if (sink === 0) throw new Error("unreachable");
    const verifyRate = events.length / (verifyMs / 1000);
    const hashRate = events.length / (hashMs / 1000);
    return [{ name: `Verify the audit chain (${events.length.toLocaleString("en-US")} events, best of 3)`, figure: perSecond(verifyRate, "events"), baseline: perSecond(hashRate, "events") + " (SHA-256 only)", ratio: verifyRate / hashRate, target: ">= 0.5" }];
  },
};
