// Verifies an exported JSON Lines file with no database: reads it in chunks (flat memory) and
// recomputes the chain. Not 'server-only': the audit:verify command runs it.
import { verifyChain, type ChainVerification } from "../../domain/audit-chain";
import { readAuditLine, type AuditLine } from "../../domain/audit-jsonl";
import { isBlank, lineRangesOf } from "./export-file-lines";

function* eventsOf(path: string): Generator<AuditLine> {
  let n = 0;
  for (const line of lineRangesOf(path)) {
    n += 1;
    if (line.tooLong !== undefined) throw new Error(`Line ${n} is ${line.tooLong} bytes long, more than a verifier reads.`);
    if (!isBlank(line)) yield readAuditLine(line.bytes, line.start, line.end, n);
  }
}

/** The chain of an exported file, checked from its first event (or from a trusted earlier point). */
export function verifyAuditFile(
  path: string,
  options: { from?: { seq: number; hash: string }; checkpoint?: { seq: number; hash: string } } = {},
): ChainVerification {
  const events = eventsOf(path);
  // A file that starts after seq 1 is a slice: it links to whatever its first event names, unless a trusted start is given.
  const first = events.next();
  if (first.done) return { ok: true, count: 0, head: options.from ?? { seq: 0, hash: "0".repeat(64) } };
  const from = options.from ?? (first.value.seq === 1 ? undefined : { seq: first.value.seq - 1, hash: first.value.prevHash });
  function* all() {
    yield first.value as AuditLine;
    yield* events;
  }
  return verifyChain(all(), { hashOf: (line) => line.recomputed, from, checkpoint: options.checkpoint });
}
