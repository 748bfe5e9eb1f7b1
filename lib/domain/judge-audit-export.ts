import type { ChainVerification } from "./audit-chain";
import { keyIdOf, verifyCheckpointSignature, type SignedCheckpoint } from "./audit-checkpoint";
import { canonicalJson } from "./canonical-json";
import { verifyManifestSignature, type ExportManifest } from "./export-manifest";
import { keyAt, keyTimeline, sameKey, type KeyRotation } from "./key-history";

// What the offline verifier concludes from one pass over an exported file: every check it made,
// in order, what the file proves and what it does not, and one of three verdicts. VERIFIED needs
// a key the auditor trusts and a signature of that key over every event in the file; anything
// less is UNVERIFIED (saying why), and any check that fails is BROKEN.

export type ExportCheck = { ok: boolean; label: string; seq?: number; problem?: string };

export type ExportStatus = "verified" | "unverified" | "broken";

export type ExportVerdict = {
  status: ExportStatus;
  /** status === "verified". */
  ok: boolean;
  checks: ExportCheck[];
  /** A failed manifest check, else the failed check that names the earliest event, else the first failed check. */
  broken: ExportCheck | null;
  /** What the file and its signatures prove, in words an auditor can repeat. */
  proven: string[];
  /** What they do not prove; `blocking` ones keep the verdict from VERIFIED. */
  unproven: { text: string; blocking: boolean }[];
  notes: string[];
};

export type FileFacts = {
  /** null when the file is not a JSON Lines file of audit events (a CSV, or changes): only its bytes are checked. */
  chain: ChainVerification | null;
  /** The hash of each watched event the file holds (the checkpoints' and the chain head's). */
  hashes: ReadonlyMap<number, string>;
  firstSeq: number | null;
  /** The last event's sequence number read, whether or not the chain held up to it. */
  lastSeq?: number | null;
  gaps: number;
  sha256: string;
  /** Data rows: JSON Lines lines, or CSV records after the header. */
  rows: number;
  /** The first line that is not an audit event (or is longer than a verifier reads); the chain walk ends before it. */
  unreadable?: { line: number; afterSeq: number; message: string; problem?: string } | null;
  /** The key rotation events the file holds, in order; `error` when one is malformed. */
  rotations?: ({ seq: number; rotation: KeyRotation } | { seq: number; error: string })[];
};

export type Trust = {
  manifest?: ExportManifest;
  /** A manifest was given but is not a valid signed manifest: this says why. */
  manifestError?: string;
  /** A checkpoint the auditor kept from earlier; without a signature, just the seq and hash they noted. */
  kept?: SignedCheckpoint | { seq: number; hash: string };
  /** Signed checkpoints a witness received as they were taken (a webhook subscription to audit.checkpoint), in any order. */
  witnessed?: SignedCheckpoint[];
  /** The public keys the auditor trusts (downloaded earlier), PEM. None: the verdict is at best UNVERIFIED. */
  trustedKeys?: string[];
  /** The file may start after event 1 and end before the chain head (--allow-slice). */
  allowSlice?: boolean;
  /** A filtered export may be VERIFIED for what it proves (--filtered). */
  acceptFiltered?: boolean;
};

type Holder = { its: string; Its: string; hash: string };
const KEPT: Holder = { its: "your kept checkpoint", Its: "Your kept checkpoint", hash: "the hash you kept" };
const WITNESS: Holder = { its: "the witness's checkpoint", Its: "The witness's checkpoint", hash: "the hash the witness received" };
const isSigned = (cp: Trust["kept"]): cp is SignedCheckpoint => Boolean(cp && "signature" in cp);
const safeKeyId = (pem: string) => {
  try {
    return keyIdOf(pem);
  } catch {
    return null;
  }
};
const range = (a: number, b: number) => (a === b ? `event ${a}` : `events ${a} to ${b}`);

export function judgeAuditExport(file: FileFacts, trust: Trust): ExportVerdict {
  const checks: ExportCheck[] = [];
  const proven: string[] = [];
  const unproven: ExportVerdict["unproven"] = [];
  const notes: string[] = [];
  const pass = (label: string) => checks.push({ ok: true, label });
  const fail = (label: string, seq: number | undefined, problem: string) => checks.push({ ok: false, label, seq, problem });
  const { manifest, kept } = trust;
  const keys = new Map((trust.trustedKeys ?? []).map((pem) => [keyIdOf(pem), pem]));
  const hasTrust = keys.size > 0;
  const filtered = Boolean(manifest && Object.keys(manifest.filters).length > 0);
  const slice = Boolean(trust.allowSlice);
  const head = file.chain?.ok && file.chain.count > 0 ? file.chain.head : null;
  // The highest event that a signature you trust (or a hash you noted) covers and the file's chain reaches.
  let vouchedUpTo = 0;

  if (trust.manifestError) fail(`The manifest is not a valid signed manifest: ${trust.manifestError}`, undefined, "manifest_invalid");
  if (file.unreadable) {
    const u = file.unreadable;
    fail(`Line ${u.line}, after event ${u.afterSeq}, cannot be read: ${u.message}`, u.afterSeq + 1, u.problem ?? "unreadable_line");
  }
  if (file.chain) {
    if (file.chain.ok) {
      const span = file.chain.count ? range(file.firstSeq!, file.chain.head.seq) : "no events";
      pass(
        `Chain: ${file.chain.count} events (${span}), every hash${file.gaps ? " and every link between consecutive events" : " and link"} recomputed`,
      );
      if (file.gaps) notes.push(`${file.gaps} gap${file.gaps === 1 ? "" : "s"} in the sequence numbers, as a filtered export has.`);
    } else {
      fail(`Chain broken at event ${file.chain.seq}: ${file.chain.message}`, file.chain.seq, file.chain.problem);
    }
  } else {
    notes.push(
      "This file is not a JSON Lines file of audit events, so its chain cannot be recomputed; its bytes and row count are checked against the manifest.",
    );
  }

  if (hasTrust) pass(`Trusted key${keys.size > 1 ? "s" : ""} ${[...keys.keys()].join(", ")} (from --public-key)`);
  else
    unproven.push({
      text: "That any signature here is the portal's: no trusted key was given (--public-key with the key you downloaded earlier). Without one, a forger could sign with a key of their own.",
      blocking: true,
    });

  // The key history: the signed manifest's, else the file's rotation events. Each rotation is
  // signed by the key it retires, so it extends trust forward from a key you trust.
  const fileRotations = file.rotations ?? [];
  for (const r of fileRotations)
    if ("error" in r) fail(`The key rotation at event ${r.seq} is malformed: ${r.error}`, r.seq, "key_rotation");
  const rotations = manifest ? manifest.keyHistory : fileRotations.flatMap((r) => ("rotation" in r ? [r.rotation] : []));
  const timeline = keyTimeline(rotations);
  if (!timeline.ok) fail(timeline.message, timeline.seq, timeline.problem);
  const periods = timeline.ok ? timeline.periods : [];
  if (periods.length > 1 && timeline.ok)
    pass(`Key history: ${periods.map((p) => p.keyId).join(" → ")}, each rotation signed by the key it retired`);
  if (manifest) crossCheckRotations();
  // Earlier keys than the ones you trust count once a signature you trust covers the history that names them.
  let historyAuthenticated = false;
  // Without a trusted key, signatures are still checked against the key they name, so a changed field shows.
  const keyFor = (keyId: string, seq: number, carried?: string): { pem: string } | { reason: string } => {
    if (hasTrust) return keyAt(periods, keys, historyAuthenticated, keyId, seq);
    const pem = periods.find((p) => p.keyId === keyId)?.publicKeyPem ?? (carried && safeKeyId(carried) === keyId ? carried : undefined);
    return pem ? { pem } : { reason: `key ${keyId} is not known` };
  };

  if (manifest) {
    const signer = keyFor(manifest.keyId, manifest.checkpoint.seq, manifest.publicKeyPem);
    if ("reason" in signer)
      fail(`The manifest is signed by key ${manifest.keyId}, which is not a key you trust: ${signer.reason}`, undefined, "manifest_key");
    else if (!sameKey(signer.pem, manifest.publicKeyPem))
      fail(`The manifest carries a public key that is not key ${manifest.keyId}`, undefined, "manifest_key");
    else if (!verifyManifestSignature(manifest, signer.pem))
      fail(
        `The manifest's signature does not verify under key ${manifest.keyId}: a field of it was changed after it was signed, or it was forged`,
        undefined,
        "manifest_signature",
      );
    else if (manifest.keyId !== manifest.checkpoint.keyId)
      fail(
        `The manifest is signed by key ${manifest.keyId}, not by the key that signed its checkpoint (${manifest.checkpoint.keyId})`,
        undefined,
        "manifest_key",
      );
    else {
      pass(
        `Manifest of export ${manifest.exportId} signed by key ${manifest.keyId}${hasTrust ? "" : " (the key it carries, not one you trust)"}`,
      );
      historyAuthenticated = hasTrust;
    }

    const sameBytes = file.sha256 === manifest.sha256;
    const sameRows = file.rows === manifest.rowCount;
    if (slice && !(sameBytes && sameRows)) {
      notes.push(
        `A slice: its SHA-256 and row count (${file.rows}) are not the exported file's (${manifest.rowCount} rows); only its chain is held to the signed checkpoints.`,
      );
    } else {
      if (sameBytes) pass(`File SHA-256 matches the manifest (${file.sha256.slice(0, 16)}…)`);
      else
        fail(
          `File SHA-256 ${file.sha256.slice(0, 16)}… differs from the manifest's ${manifest.sha256.slice(0, 16)}…: the file was changed after export`,
          undefined,
          "sha256_mismatch",
        );
      if (sameRows) pass(`Row count ${file.rows} matches the manifest`);
      else fail(`The file has ${file.rows} rows, the manifest says ${manifest.rowCount}`, undefined, "row_count_mismatch");
    }

    const cp = manifest.checkpoint;
    const cpKey = keyFor(cp.keyId, cp.seq, manifest.publicKeyPem);
    if ("reason" in cpKey)
      fail(
        `The manifest's checkpoint at event ${cp.seq} is signed by key ${cp.keyId}, not by a key you trust: ${cpKey.reason}`,
        cp.seq,
        "checkpoint_unknown_key",
      );
    else if (!verifyCheckpointSignature(cp, cpKey.pem))
      fail(
        `The manifest's checkpoint at event ${cp.seq} has an invalid signature: it was altered or forged`,
        cp.seq,
        "checkpoint_signature",
      );
    else pass(`Checkpoint at event ${cp.seq} signed by key ${cp.keyId} at ${cp.createdAt}`);
    if (manifest.chainHead.seq !== cp.seq || manifest.chainHead.hash !== cp.hash) {
      fail(
        `The manifest's chain head (event ${manifest.chainHead.seq}) is not what its checkpoint signed (event ${cp.seq}): an older checkpoint was put in`,
        Math.min(cp.seq, manifest.chainHead.seq) + 1,
        "stale_checkpoint",
      );
    }

    if (file.chain) {
      const atHead = file.hashes.get(manifest.chainHead.seq);
      if (head && head.seq > manifest.chainHead.seq) {
        fail(
          `${range(manifest.chainHead.seq + 1, head.seq)} ${head.seq > manifest.chainHead.seq + 1 ? "are" : "is"} newer than the manifest's chain head (event ${manifest.chainHead.seq}): nothing signed vouches for them`,
          manifest.chainHead.seq + 1,
          "beyond_chain_head",
        );
      } else if (atHead !== undefined && atHead !== manifest.chainHead.hash) {
        fail(
          `Event ${manifest.chainHead.seq} differs from the manifest's signed chain head: history was rewritten`,
          manifest.chainHead.seq,
          "checkpoint_mismatch",
        );
      } else if (atHead === manifest.chainHead.hash) {
        pass(`The file's chain ends at the manifest's signed chain head: event ${manifest.chainHead.seq} has the signed hash`);
        if (file.chain.ok) vouchedUpTo = manifest.chainHead.seq;
      } else if (!filtered && !slice && file.chain.ok) {
        const last = head?.seq ?? 0;
        fail(
          `The file ends at event ${last}, but the manifest's chain head is event ${manifest.chainHead.seq}: ${range(last + 1, manifest.chainHead.seq)} ${manifest.chainHead.seq > last + 1 ? "were" : "was"} removed from the end`,
          last + 1,
          "truncated",
        );
      }
    }
  }

  if (kept) judgeKept(kept);
  for (const w of trust.witnessed ?? []) judgeKept(w, WITNESS);
  if (trust.witnessed?.length && !checks.some((c) => !c.ok))
    proven.push(
      `The log was not rewritten after the witness received its ${trust.witnessed.length} checkpoint${trust.witnessed.length === 1 ? "" : "s"}: each event they signed is in the file with the signed hash.`,
    );

  if (file.chain?.ok && file.unreadable == null) describeChainProof();
  else if (!file.chain && manifest) describeBytesProof();

  const failed = checks.filter((c) => !c.ok);
  // A manifest that cannot be believed comes first: the checks that rest on it mean nothing.
  const manifestFailure = failed.find(
    (c) => c.problem === "manifest_invalid" || c.problem === "manifest_signature" || c.problem === "manifest_key",
  );
  const broken = manifestFailure ?? failed.filter((c) => c.seq !== undefined).sort((a, b) => a.seq! - b.seq!)[0] ?? failed[0] ?? null;
  const status: ExportStatus = failed.length > 0 ? "broken" : unproven.some((u) => u.blocking) ? "unverified" : "verified";
  if (status === "broken") proven.length = 0;
  return { status, ok: status === "verified", checks, broken, proven, unproven, notes };

  /** The file's rotation events must be the manifest's key history, and a whole export must hold all of it. */
  function crossCheckRotations() {
    const listed = new Map(manifest!.keyHistory.map((r) => [r.seq, canonicalJson(r)]));
    const held = new Set<number>();
    for (const r of fileRotations) {
      if (!("rotation" in r)) continue;
      held.add(r.seq);
      if (listed.get(r.seq) !== canonicalJson(r.rotation))
        fail(`The key rotation at event ${r.seq} is not the one the manifest's key history lists`, r.seq, "key_rotation");
    }
    if (filtered || slice || !file.chain?.ok) return;
    const last = file.lastSeq ?? 0;
    for (const r of manifest!.keyHistory) {
      if (r.seq <= last && !held.has(r.seq))
        fail(
          `The manifest's key history has a rotation at event ${r.seq}, but the file's event ${r.seq} is not that rotation`,
          r.seq,
          "key_rotation",
        );
    }
  }

  function judgeKept(k: NonNullable<Trust["kept"]>, who: Holder = KEPT) {
    if (isSigned(k)) {
      const key = keyFor(k.keyId, k.seq, manifest?.keyId === k.keyId ? manifest.publicKeyPem : undefined);
      if ("reason" in key) {
        if (hasTrust)
          return fail(
            `${who.Its} at event ${k.seq} is signed by key ${k.keyId}, which is not a key you trust: ${key.reason}`,
            k.seq,
            "checkpoint_unknown_key",
          );
        notes.push(`${who.Its}'s signature was not checked: give --public-key.`);
      } else if (!verifyCheckpointSignature(k, key.pem)) {
        return fail(`${who.Its} at event ${k.seq} has an invalid signature: it was altered or forged`, k.seq, "checkpoint_signature");
      } else pass(`${who.Its} at event ${k.seq} is signed by key ${k.keyId}`);
    }
    if (manifest && manifest.chainHead.seq < k.seq) {
      return fail(
        `The manifest's chain head (event ${manifest.chainHead.seq}) is older than ${who.its} (event ${k.seq}): an older export or checkpoint was replayed`,
        manifest.chainHead.seq + 1,
        "stale_checkpoint",
      );
    }
    if (manifest && manifest.chainHead.seq === k.seq && manifest.chainHead.hash !== k.hash) {
      return fail(`Event ${k.seq} has another hash than in ${who.its}: history was rewritten`, k.seq, "checkpoint_mismatch");
    }
    if (!file.chain) return;
    const hash = file.hashes.get(k.seq);
    if (hash === k.hash) {
      pass(`The file extends ${who.its}: event ${k.seq} still has ${who.hash}, so the log only grew`);
      if (file.chain.ok) vouchedUpTo = Math.max(vouchedUpTo, k.seq);
      return;
    }
    if (hash !== undefined) return fail(`Event ${k.seq} differs from ${who.its}: history was rewritten`, k.seq, "checkpoint_mismatch");
    if (filtered || slice) {
      unproven.push({
        text: `That the log only grew since ${who.its}: its event ${k.seq} is not in this ${filtered ? "filtered export" : "slice"}.`,
        blocking: false,
      });
      return;
    }
    const last = file.lastSeq ?? head?.seq ?? 0;
    if (last < k.seq)
      return fail(`The file ends at event ${last}, but ${who.its} saw event ${k.seq}: events were removed`, last + 1, "truncated");
    fail(`${who.Its}'s event ${k.seq} is not in the file: events were removed`, k.seq, "kept_event_missing");
  }

  function describeChainProof() {
    if (!head) {
      unproven.push({ text: "Anything: the file holds no events.", blocking: true });
      return;
    }
    const first = file.firstSeq!;
    if (filtered) {
      const filters = Object.entries(manifest!.filters)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ");
      if (!trust.acceptFiltered) {
        unproven.push({
          text: `That nothing is missing: this is a filtered export (${filters}), whose gaps cannot be checked. Pass --filtered to accept what it does prove.`,
          blocking: true,
        });
        return;
      }
      proven.push(
        `The file is byte for byte export ${manifest!.exportId} (filters ${filters}) as the portal made it: its SHA-256 and row count are in the signed manifest.`,
      );
      proven.push(`Each of its ${file.chain!.ok ? file.chain!.count : 0} events hashes to its own hash, and consecutive events link.`);
      unproven.push({
        text: "That every event matching the filters is in the file, and that the events on either side of a gap belong to the signed chain: verify an unfiltered export for that.",
        blocking: false,
      });
      return;
    }
    if (vouchedUpTo < head.seq) {
      const reason = manifest ? "" : ": pass the export's manifest (--manifest)";
      unproven.push({
        text: `That ${range(Math.max(vouchedUpTo + 1, first), head.seq)} ${head.seq > Math.max(vouchedUpTo + 1, first) ? "are" : "is"} the portal's: no signature you trust covers ${head.seq > Math.max(vouchedUpTo + 1, first) ? "them" : "it"}${reason}.`,
        blocking: true,
      });
    }
    if (vouchedUpTo >= first) {
      proven.push(
        `${range(first, vouchedUpTo)} ${first === 1 ? "are the audit log from its first event" : "are part of the audit log"}, unchanged and in order: every hash and link recomputed up to the signed hash of event ${vouchedUpTo}.`,
      );
    }
    if (first > 1)
      unproven.push({ text: `${range(1, first - 1)}: ${first > 2 ? "they are" : "it is"} not in this slice.`, blocking: false });
    if (manifest && !slice && vouchedUpTo === manifest.chainHead.seq) {
      proven.push(
        `Nothing is missing: the file holds every event from 1 to the chain head the portal signed when it exported (event ${vouchedUpTo}, ${manifest.checkpoint.createdAt}).`,
      );
    }
    if (slice && manifest && head.seq < manifest.chainHead.seq)
      unproven.push({ text: `${range(head.seq + 1, manifest.chainHead.seq)}: not in this slice.`, blocking: false });
  }

  function describeBytesProof() {
    proven.push(
      `The file is byte for byte export ${manifest!.exportId} as the portal made it: its SHA-256 and row count are in the signed manifest.`,
    );
    unproven.push({
      text: "That its rows agree with the audit chain: this file carries no hashes. Export the events as JSON Lines for that.",
      blocking: false,
    });
  }
}
