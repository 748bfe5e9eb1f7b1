// `npm run audit:verify -- <export> [--manifest m.json] [--checkpoint kept.json | seq:hash] [--public-key key.pem]`:
// verifies an exported file with no database and names the first broken link. Exit 0 verified, 1 broken, 2 usage.
import { readFileSync } from "node:fs";
import { parseExportManifest, signedCheckpointSchema } from "../lib/domain/export-manifest";
import { verifyExportFile, type VerifyExportOptions } from "../lib/server/audit/verify-export-file";

const USAGE = "Usage: npm run audit:verify -- <export.jsonl|.csv> [--manifest <manifest.json>] [--checkpoint <kept-checkpoint.json> | <seq>:<hash>] [--public-key <key.pem>]";

function usage(message?: string): never {
  if (message) console.error(message);
  console.error(USAGE);
  process.exit(2);
}

const args = process.argv.slice(2);
const flags = new Map<string, string>();
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === "--help" || arg === "-h") usage();
  if (!arg.startsWith("--")) files.push(arg);
  else if (["--manifest", "--checkpoint", "--public-key"].includes(arg) && args[i + 1]) flags.set(arg, args[++i]!);
  else usage(`Unknown or incomplete option ${arg}.`);
}
if (files.length !== 1) usage();
const file = files[0]!;

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    return usage(`Cannot read the ${what} ${path}: ${(error as Error).message}`);
  }
}

const options: VerifyExportOptions = {};
const manifestPath = flags.get("--manifest");
if (manifestPath) {
  const parsed = parseExportManifest(readJson(manifestPath, "manifest"));
  if (!parsed.ok) usage(`The manifest ${manifestPath} is not a portal export manifest: ${parsed.message}`);
  options.manifest = parsed.manifest;
}
const kept = flags.get("--checkpoint");
if (kept) {
  const noted = /^(\d+):([0-9a-f]{64})$/.exec(kept);
  if (noted) options.kept = { seq: Number(noted[1]), hash: noted[2]! };
  else {
    const parsed = signedCheckpointSchema.safeParse(readJson(kept, "kept checkpoint"));
    if (!parsed.success) usage(`${kept} is not a signed checkpoint (download one from the Verify audit log page), nor <seq>:<hash>.`);
    options.kept = parsed.data;
  }
}
const keyPath = flags.get("--public-key");
if (keyPath) {
  try {
    options.publicKeyPem = readFileSync(keyPath, "utf8");
  } catch (error) {
    usage(`Cannot read the public key ${keyPath}: ${(error as Error).message}`);
  }
}

try {
  const verdict = verifyExportFile(file, options);
  console.log(`Verifying ${file}`);
  for (const check of verdict.checks) console.log(`  ${check.ok ? "ok  " : "FAIL"} ${check.label}`);
  for (const note of verdict.notes) console.log(`  note ${note}`);
  if (verdict.ok) {
    console.log("VERIFIED");
    process.exit(0);
  }
  const broken = verdict.broken!;
  console.error(broken.seq !== undefined ? `BROKEN at event ${broken.seq} (${broken.problem}): ${broken.label}` : `BROKEN (${broken.problem}): ${broken.label}`);
  process.exit(1);
} catch (error) {
  console.error(`Cannot verify ${file}: ${(error as Error).message}`);
  process.exit(1);
}
