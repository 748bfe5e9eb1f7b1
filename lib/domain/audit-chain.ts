import { createHash } from "node:crypto";
import { hashedContent, type AuditEventRecord } from "./audit-event";
import { canonicalJson } from "./canonical-json";

export const GENESIS_HASH = "0".repeat(64);

/** hash = SHA-256(previous hash ‖ canonical JSON of the event's content), hex. */
export function hashEvent(prevHash: string, content: unknown): string {
  return createHash("sha256").update(prevHash).update(canonicalJson(content)).digest("hex");
}

export type ChainVerdict =
  | { ok: true; count: number; headSeq: number; headHash: string }
  | { ok: false; seq: number; problem: string; checked: number };

/**
 * Walks events in order and names the first broken link. `start` lets a verifier continue
 * from a point it already trusts (a signed checkpoint, or the previous page).
 */
export function verifyChain(events: Iterable<AuditEventRecord>, start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }): ChainVerdict {
  let expectedSeq = start.seq + 1;
  let prevHash = start.hash;
  let count = 0;
  for (const event of events) {
    if (event.seq !== expectedSeq) {
      const problem = event.seq > expectedSeq ? `events ${expectedSeq} to ${event.seq - 1} are missing` : `event ${event.seq} is out of order or repeated (expected ${expectedSeq})`;
      return { ok: false, seq: event.seq < expectedSeq ? event.seq : expectedSeq, problem, checked: count };
    }
    if (event.prevHash !== prevHash) {
      return { ok: false, seq: event.seq, problem: `its previous-hash does not match the hash of event ${event.seq - 1}`, checked: count };
    }
    const recomputed = hashEvent(prevHash, hashedContent(event));
    if (recomputed !== event.hash) {
      return { ok: false, seq: event.seq, problem: "its content does not match its hash (the event was altered)", checked: count };
    }
    prevHash = event.hash;
    expectedSeq += 1;
    count += 1;
  }
  return { ok: true, count, headSeq: expectedSeq - 1, headHash: prevHash };
}
