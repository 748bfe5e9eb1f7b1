// Verifies an exported JSON Lines file with no database: reads it in chunks (flat memory) and
// recomputes the chain. Not 'server-only': the audit:verify command runs it.
import { closeSync, openSync, readSync } from "node:fs";
import { verifyChain, type ChainVerification } from "../../domain/audit-chain";
import { hashedContentJson, type AuditEventRecord } from "../../domain/audit-event";
import { parseAuditJsonLine } from "../../domain/audit-jsonl";

function* linesOf(path: string): Generator<string> {
  const fd = openSync(path, "r");
  const buffer = Buffer.alloc(1 << 20);
  let rest = "";
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      const lines = (rest + buffer.toString("utf8", 0, read)).split("\n");
      rest = lines.pop() ?? "";
      yield* lines;
    }
    if (rest) yield rest;
  } finally {
    closeSync(fd);
  }
}

function* eventsOf(path: string): Generator<AuditEventRecord> {
  let n = 0;
  for (const line of linesOf(path)) {
    n += 1;
    if (line.trim()) yield parseAuditJsonLine(line, n);
  }
}

/** The chain of an exported file, checked from its first event (or from a trusted earlier point). */
export function verifyAuditFile(path: string, options: { from?: { seq: number; hash: string }; checkpoint?: { seq: number; hash: string } } = {}): ChainVerification {
  const events = eventsOf(path);
  // A file that starts after seq 1 is a slice: it links to whatever its first event names, unless a trusted start is given.
  const first = events.next();
  if (first.done) return { ok: true, count: 0, head: options.from ?? { seq: 0, hash: "0".repeat(64) } };
  const from = options.from ?? (first.value.seq === 1 ? undefined : { seq: first.value.seq - 1, hash: first.value.prevHash });
  function* all() {
    yield first.value as AuditEventRecord;
    yield* events;
  }
  return verifyChain(all(), { canonicalContentOf: hashedContentJson, from, checkpoint: options.checkpoint });
}
