// `npm run audit:verify -- <export.jsonl> [--checkpoint <seq>:<hash>]`: recomputes the hash chain
// of an exported audit log with no database and names the first broken link.
import { verifyAuditFile } from "../lib/server/audit/verify-audit-file";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
const checkpointArg = args[args.indexOf("--checkpoint") + 1];
if (!file) {
  console.error("Usage: npm run audit:verify -- <export.jsonl> [--checkpoint <seq>:<hash>]");
  process.exit(2);
}
const checkpoint = args.includes("--checkpoint") && checkpointArg ? { seq: Number(checkpointArg.split(":")[0]), hash: checkpointArg.split(":")[1] ?? "" } : undefined;
try {
  const result = verifyAuditFile(file, { checkpoint });
  if (result.ok) {
    console.log(`OK: ${result.count} events verified; head is event ${result.head.seq} with hash ${result.head.hash}.`);
    process.exit(0);
  }
  console.error(`BROKEN at event ${result.seq} (${result.problem}): ${result.message} (${result.count} events verified before it).`);
  process.exit(1);
} catch (error) {
  console.error(`Cannot verify ${file}: ${(error as Error).message}`);
  process.exit(1);
}
