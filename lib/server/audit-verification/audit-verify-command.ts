// `npm run audit:verify -- <export> --manifest m.json --public-key key.pem [--checkpoint kept.json | seq:hash] [--witness checkpoints.jsonl] [--allow-slice] [--filtered]`
// (scripts/audit/verify-export.ts): verifies an exported file with no database and names the first broken link.
// Exit 0 VERIFIED, 1 BROKEN, 2 UNVERIFIED (no trusted key, or something the file cannot prove), 3 usage.
// Not 'server-only': it runs outside the app.
import { readFileSync } from "node:fs";
import { keyIdOf } from "../../domain/audit-checkpoint";
import { parseExportManifest, signedCheckpointSchema } from "../../domain/export-manifest";
import { verifyExportFile, type VerifyExportOptions } from "./verify-export-file";
import type { SignedCheckpoint } from "../../domain/audit-checkpoint";

const USAGE = `Usage: npm run audit:verify -- <export.jsonl|.csv> --manifest <manifest.json> --public-key <key.pem> [--public-key <older.pem> ...]
       [--checkpoint <kept-checkpoint.json> | <seq>:<hash>] [--witness <checkpoints.jsonl>] [--allow-slice] [--filtered]
--witness: the signed checkpoints a witness received by webhook (audit.checkpoint), one request body per line.
Exit status: 0 VERIFIED, 1 BROKEN, 2 UNVERIFIED (no trusted key, or not everything could be proven), 3 usage.`;

class UsageError extends Error {}

/** The command's whole run: its output lines and exit status, so tests can drive it in-process. */
export function auditVerifyCommand(args: string[]): { exitCode: 0 | 1 | 2 | 3; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  try {
    return { exitCode: run(args, stdout, stderr), stdout, stderr };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) stderr.push(error.message);
    stderr.push(USAGE);
    return { exitCode: 3, stdout, stderr };
  }
}

function usage(message?: string): never {
  throw new UsageError(message ?? "");
}

function run(args: string[], stdout: string[], stderr: string[]): 0 | 1 | 2 {
  const flags = new Map<string, string>();
  const keyPaths: string[] = [];
  const switches = new Set<string>();
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--help" || arg === "-h") usage();
    if (!arg.startsWith("--")) files.push(arg);
    else if (arg === "--allow-slice" || arg === "--filtered") switches.add(arg);
    else if (arg === "--public-key" && args[i + 1]) keyPaths.push(args[++i]!);
    else if (["--manifest", "--checkpoint", "--witness"].includes(arg) && args[i + 1] && !flags.has(arg)) flags.set(arg, args[++i]!);
    else usage(`Unknown, repeated or incomplete option ${arg}.`);
  }
  if (files.length !== 1) usage();
  const file = files[0]!;

  function readText(path: string, what: string): string {
    try {
      return readFileSync(path, "utf8");
    } catch (error) {
      return usage(`Cannot read the ${what} ${path}: ${(error as Error).message}`);
    }
  }

  const options: VerifyExportOptions = {
    allowSlice: switches.has("--allow-slice"),
    acceptFiltered: switches.has("--filtered"),
    trustedKeys: [],
  };
  const manifestPath = flags.get("--manifest");
  if (manifestPath) {
    // A manifest that does not parse is damaged evidence: BROKEN, not a usage error.
    let value: unknown;
    try {
      value = JSON.parse(readText(manifestPath, "manifest"));
    } catch (error) {
      options.manifestError = `${manifestPath} is not JSON (${(error as Error).message})`;
    }
    if (!options.manifestError) {
      const parsed = parseExportManifest(value);
      if (parsed.ok) options.manifest = parsed.manifest;
      else options.manifestError = parsed.message;
    }
  }
  const kept = flags.get("--checkpoint");
  if (kept) {
    const noted = /^(\d+):([0-9a-f]{64})$/.exec(kept);
    if (noted) options.kept = { seq: Number(noted[1]), hash: noted[2]! };
    else {
      let value: unknown;
      try {
        value = JSON.parse(readText(kept, "kept checkpoint"));
      } catch {
        value = null;
      }
      const parsed = signedCheckpointSchema.safeParse(value);
      if (!parsed.success) usage(`${kept} is not a signed checkpoint (download one from the Verify audit log page), nor <seq>:<hash>.`);
      options.kept = parsed.data;
    }
  }
  const witness = flags.get("--witness");
  if (witness) options.witnessed = parseWitnessFile(readText(witness, "witness's checkpoints"), witness);
  for (const keyPath of keyPaths) {
    const pem = readText(keyPath, "public key");
    try {
      keyIdOf(pem);
    } catch {
      usage(`${keyPath} is not a public key in PEM (download it from the Verify audit log page).`);
    }
    options.trustedKeys!.push(pem);
  }

  let verdict;
  try {
    verdict = verifyExportFile(file, options);
  } catch (error) {
    usage(`Cannot verify ${file}: ${(error as Error).message}`);
  }
  stdout.push(`Verifying ${file}`);
  for (const check of verdict.checks) stdout.push(`  ${check.ok ? "ok  " : "FAIL"} ${check.label}`);
  for (const note of verdict.notes) stdout.push(`  note ${note}`);
  if (verdict.proven.length) stdout.push("Proven:");
  for (const line of verdict.proven) stdout.push(`  - ${line}`);
  if (verdict.unproven.length) stdout.push("Not proven:");
  for (const line of verdict.unproven) stdout.push(`  - ${line.text}`);
  if (verdict.status === "verified") {
    const qualifier =
      options.manifest && Object.keys(options.manifest.filters).length > 0
        ? " (filtered export: see Not proven)"
        : options.allowSlice && verdict.unproven.length
          ? " (slice: see Not proven)"
          : "";
    stdout.push(`VERIFIED${qualifier}`);
    return 0;
  }
  if (verdict.status === "unverified") {
    const noKey = options.trustedKeys!.length === 0;
    const blocking = verdict.unproven.filter((u) => u.blocking).map((u) => u.text);
    stderr.push(noKey ? "UNVERIFIED (no trusted key)" : `UNVERIFIED: ${blocking.join(" ")}`);
    return 2;
  }
  const broken = verdict.broken!;
  stderr.push(
    broken.seq !== undefined
      ? `BROKEN at event ${broken.seq} (${broken.problem}): ${broken.label}`
      : `BROKEN (${broken.problem}): ${broken.label}`,
  );
  return 1;
}

/** The witness's file: each line one checkpoint's request body as received (a JSON array of them is read too). */
function parseWitnessFile(text: string, path: string): SignedCheckpoint[] {
  const trimmed = text.trim();
  const items: { line: number; value: unknown }[] = [];
  if (trimmed.startsWith("[")) {
    try {
      (JSON.parse(trimmed) as unknown[]).forEach((value, i) => items.push({ line: i + 1, value }));
    } catch {
      usage(`${path} is not a JSON array of checkpoints.`);
    }
  } else
    text.split("\n").forEach((line, i) => {
      if (line.trim() === "") return;
      try {
        items.push({ line: i + 1, value: JSON.parse(line) });
      } catch {
        usage(`Line ${i + 1} of ${path} is not JSON.`);
      }
    });
  if (items.length === 0) usage(`${path} holds no checkpoints.`);
  return items.map(({ line, value }) => {
    const parsed = signedCheckpointSchema.safeParse(value);
    if (!parsed.success) usage(`Line ${line} of ${path} is not a signed checkpoint as the portal sends them.`);
    return parsed.data;
  });
}
