import type { ChainVerification } from "./audit-chain";
import { keyIdOf, type SignedCheckpoint } from "./audit-checkpoint";
import { checkCheckpoint } from "./check-checkpoint";
import type { ExportManifest } from "./export-manifest";

// What the offline verifier concludes from one pass over an exported file: every check it made,
// in order, and the first broken link with the sequence number it names.

export type ExportCheck = { ok: boolean; label: string; seq?: number; problem?: string };

export type ExportVerdict = {
  ok: boolean;
  checks: ExportCheck[];
  /** The first failed check that names an event, else the first failed check. */
  broken: ExportCheck | null;
  notes: string[];
};

export type FileFacts = {
  /** null when the file is not a JSON Lines file of audit events (a CSV, or changes): only its bytes are checked. */
  chain: ChainVerification | null;
  /** The hash of each watched event the file holds (the checkpoints' and the chain head's). */
  hashes: ReadonlyMap<number, string>;
  firstSeq: number | null;
  gaps: number;
  sha256: string;
  /** Data rows: JSON Lines lines, or CSV records after the header. */
  rows: number;
  /** The first line that is not an audit event; the chain walk ends before it. */
  unreadable?: { line: number; afterSeq: number; message: string } | null;
};

export type Trust = {
  manifest?: ExportManifest;
  /** A checkpoint the auditor kept from earlier; without a signature, just the seq and hash they noted. */
  kept?: SignedCheckpoint | { seq: number; hash: string };
  /** The public key the auditor trusts (downloaded earlier); else the manifest's key is used, and said so. */
  publicKeyPem?: string;
};

const isSigned = (cp: Trust["kept"]): cp is SignedCheckpoint => Boolean(cp && "signature" in cp);

export function judgeAuditExport(file: FileFacts, trust: Trust): ExportVerdict {
  const checks: ExportCheck[] = [];
  const notes: string[] = [];
  const pass = (label: string) => checks.push({ ok: true, label });
  const fail = (label: string, seq?: number, problem?: string) => checks.push({ ok: false, label, seq, problem });
  const { manifest, kept } = trust;
  const filtered = Boolean(manifest && Object.keys(manifest.filters).length > 0);
  const head = file.chain?.ok ? file.chain.head : null;

  if (file.unreadable) {
    fail(`Line ${file.unreadable.line}, after event ${file.unreadable.afterSeq}, cannot be read: ${file.unreadable.message}`, file.unreadable.afterSeq + 1, "unreadable_line");
  }
  if (file.chain) {
    if (file.chain.ok) {
      const range = file.chain.count ? `events ${file.firstSeq} to ${file.chain.head.seq}` : "no events";
      pass(`Chain: ${file.chain.count} events (${range}), every hash${file.gaps ? " and every link between consecutive events" : " and link"} recomputed`);
      if (file.gaps) notes.push(`This is a filtered export: ${file.gaps} gap${file.gaps === 1 ? "" : "s"} in the sequence numbers are expected, and the links across them cannot be checked from this file. Verify an unfiltered export to prove nothing is missing.`);
    } else {
      fail(`Chain broken at event ${file.chain.seq}: ${file.chain.message}${file.chain.problem === "sequence_gap" && !manifest ? " (if this is a filtered export, pass its manifest)" : ""}`, file.chain.seq, file.chain.problem);
    }
  } else {
    notes.push("This file is not a JSON Lines file of audit events, so its chain cannot be recomputed; its bytes and row count are checked against the manifest. Export the events as JSON Lines to verify the chain.");
  }

  const publicKeyPem = trust.publicKeyPem ?? manifest?.publicKeyPem;
  const trustedKeyId = publicKeyPem ? keyIdOf(publicKeyPem) : null;
  if (trust.publicKeyPem) pass(`Trusted key ${trustedKeyId} (from --public-key)`);
  else if (manifest) notes.push(`The public key came from the manifest (key ${trustedKeyId}). Pass --public-key with the key you downloaded earlier so a forged manifest cannot bring its own key.`);

  if (manifest) {
    if (trust.publicKeyPem && keyIdOf(manifest.publicKeyPem) !== trustedKeyId) fail(`The manifest names key ${keyIdOf(manifest.publicKeyPem)}, not the key you trust (${trustedKeyId})`, undefined, "manifest_key");
    if (file.sha256 === manifest.sha256) pass(`File SHA-256 matches the manifest (${file.sha256.slice(0, 16)}…)`);
    else fail(`File SHA-256 ${file.sha256.slice(0, 16)}… differs from the manifest's ${manifest.sha256.slice(0, 16)}…: the file was changed after export`, undefined, "sha256_mismatch");
    if (file.rows === manifest.rowCount) pass(`Row count ${file.rows} matches the manifest`);
    else fail(`The file has ${file.rows} rows, the manifest says ${manifest.rowCount}`, undefined, "row_count_mismatch");
    checkExportCheckpoint(manifest, file, head, filtered, publicKeyPem!, trustedKeyId!, pass, fail, notes);
  }

  if (kept) checkKept(kept, manifest, file, head, filtered, publicKeyPem, trustedKeyId, pass, fail, notes);

  const failed = checks.filter((c) => !c.ok);
  const broken = failed.filter((c) => c.seq !== undefined).sort((a, b) => a.seq! - b.seq!)[0] ?? failed[0] ?? null;
  return { ok: failed.length === 0, checks, broken, notes };
}

type Pass = (label: string) => void;
type Fail = (label: string, seq?: number, problem?: string) => void;

function checkExportCheckpoint(manifest: ExportManifest, file: FileFacts, head: { seq: number } | null, filtered: boolean, publicKeyPem: string, trustedKeyId: string, pass: Pass, fail: Fail, notes: string[]) {
  const cp = manifest.checkpoint;
  const problem = checkCheckpoint(cp, publicKeyPem, trustedKeyId, file.hashes.get(cp.seq));
  if (problem) return fail(problem.message, problem.seq, problem.problem);
  pass(`Checkpoint at event ${cp.seq} signed by key ${cp.keyId} at ${cp.createdAt}`);
  if (manifest.chainHead.seq !== cp.seq || manifest.chainHead.hash !== cp.hash) {
    return fail(`The manifest's chain head (event ${manifest.chainHead.seq}) is not what its checkpoint signed (event ${cp.seq}): an older checkpoint was put in`, Math.min(cp.seq, manifest.chainHead.seq) + 1, "stale_checkpoint");
  }
  if (!file.chain) return;
  if (head && head.seq > cp.seq) {
    return fail(`Events ${cp.seq + 1} to ${head.seq} are newer than the manifest's checkpoint (event ${cp.seq}): an older checkpoint was replayed, so they are vouched for by nothing`, cp.seq + 1, "stale_checkpoint");
  }
  if (file.hashes.has(cp.seq)) return pass(`The file's chain passes through the checkpoint: event ${cp.seq} has the signed hash`);
  if (!filtered && head) {
    return fail(`The file ends at event ${head.seq}, but the manifest's checkpoint saw event ${cp.seq}: events were removed from the end`, head.seq + 1, "truncated");
  }
  notes.push(`The checkpoint's event ${cp.seq} is not in this filtered export: its signature is checked, its link to the file's events is not.`);
}

function checkKept(kept: NonNullable<Trust["kept"]>, manifest: ExportManifest | undefined, file: FileFacts, head: { seq: number } | null, filtered: boolean, publicKeyPem: string | undefined, trustedKeyId: string | null, pass: Pass, fail: Fail, notes: string[]) {
  if (isSigned(kept)) {
    if (!publicKeyPem || !trustedKeyId) notes.push("Your kept checkpoint's signature was not checked: give --public-key or a manifest.");
    else {
      const problem = checkCheckpoint(kept, publicKeyPem, trustedKeyId, undefined);
      if (problem) return fail(`Your kept checkpoint: ${problem.message}`, problem.seq, problem.problem);
      pass(`Your kept checkpoint at event ${kept.seq} is signed by key ${kept.keyId}`);
    }
  }
  if (manifest && manifest.checkpoint.seq < kept.seq) {
    return fail(`The manifest's checkpoint (event ${manifest.checkpoint.seq}) is older than the one you kept (event ${kept.seq}): an older checkpoint was replayed`, manifest.checkpoint.seq + 1, "stale_checkpoint");
  }
  if (manifest && manifest.checkpoint.seq === kept.seq && manifest.checkpoint.hash !== kept.hash) {
    return fail(`Event ${kept.seq} has another hash than in the checkpoint you kept: history was rewritten`, kept.seq, "checkpoint_mismatch");
  }
  if (!file.chain) return;
  const hash = file.hashes.get(kept.seq);
  if (hash === kept.hash) return pass(`The file extends your kept checkpoint: event ${kept.seq} still has the hash you kept, so the log only grew`);
  if (hash !== undefined) return fail(`Event ${kept.seq} differs from the checkpoint you kept: history was rewritten`, kept.seq, "checkpoint_mismatch");
  if (head && head.seq < kept.seq && !filtered) {
    return fail(`The file ends at event ${head.seq}, but your kept checkpoint saw event ${kept.seq}: events were removed`, head.seq + 1, "truncated");
  }
  if (file.chain.ok) notes.push(`Your kept checkpoint's event ${kept.seq} is not in this file, so extension cannot be proven from it; verify an unfiltered export of the whole log.`);
}
