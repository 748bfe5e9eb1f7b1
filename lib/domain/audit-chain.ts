import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json";

/** The previous hash of the first event. */
export const GENESIS_HASH = "0".repeat(64);

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The hash that chains an event to its predecessor: SHA-256 over the previous hash and the event's canonical JSON. */
export function hashEvent(prevHash: string, event: object): string {
  return chainEvent(prevHash, event).hash;
}

/** hashEvent, with the canonical JSON it hashed: the bytes an appended event keeps (hashed_content). */
export function chainEvent(prevHash: string, event: object): { hashed: string; hash: string } {
  const hashed = canonicalJson(event);
  return { hashed, hash: hashCanonical(prevHash, hashed) };
}

/** The same hash from an event's canonical JSON already written (hashedContentJson). */
export function hashCanonical(prevHash: string, canonical: string): string {
  return sha256Hex(prevHash + canonical);
}

/** What the verifier needs of each event; every other field is covered by `hash`. */
export type ChainLink = { seq: number; prevHash: string; hash: string };

export type ChainProblem = "out_of_order" | "sequence_gap" | "prev_hash_mismatch" | "hash_mismatch" | "checkpoint_mismatch" | "truncated";

export type ChainVerification =
  | { ok: true; count: number; head: { seq: number; hash: string } }
  | { ok: false; seq: number; problem: ChainProblem; message: string; count: number };

export type VerifyOptions<E> = {
  /** The hashed content of an event; by default every field but `prevHash` and `hash`. */
  contentOf?: (event: E) => object;
  /** Faster than contentOf: the canonical JSON of that content, written directly (hashedContentJson). */
  canonicalContentOf?: (event: E) => string;
  /** The event's hash recomputed another way (an export line hashed as it stands, readAuditLine); by default from its canonical content. */
  hashOf?: (event: E) => string;
  /** The link before the first event, for a slice that starts after a checkpoint; by default genesis. */
  from?: { seq: number; hash: string };
  /** A head kept earlier (a checkpoint): the log must still hold that event with that hash, or it did not only grow. */
  checkpoint?: { seq: number; hash: string };
  /** A filtered export leaves events out: across a gap the link cannot be checked, each event's own hash still is. */
  allowGaps?: boolean;
};

export function withoutHashes(event: object): object {
  const content: Record<string, unknown> = { ...event };
  delete content.prevHash;
  delete content.hash;
  return content;
}

/**
 * Walks events in order and names the first broken link: a changed field (hash mismatch),
 * a deleted event (sequence gap), a reordered or duplicated one (out of order), or a link
 * to the wrong predecessor. Runs in one pass with constant memory, so it takes a stream.
 */
export function verifyChain<E extends ChainLink>(events: Iterable<E>, options: VerifyOptions<E> = {}): ChainVerification {
  const contentOf = options.contentOf ?? withoutHashes;
  const canonicalOf = options.canonicalContentOf ?? ((event: E) => canonicalJson(contentOf(event)));
  const hashOf = options.hashOf ?? ((event: E) => hashCanonical(event.prevHash, canonicalOf(event)));
  let previous = options.from ?? { seq: 0, hash: GENESIS_HASH };
  let count = 0;
  const broken = (seq: number, problem: ChainProblem, message: string): ChainVerification => ({ ok: false, seq, problem, message, count });
  for (const event of events) {
    const { seq } = event;
    if (!Number.isSafeInteger(seq) || seq <= previous.seq)
      return broken(seq, "out_of_order", `Event ${seq} comes after event ${previous.seq}; events are out of order or repeated.`);
    const follows = seq === previous.seq + 1;
    if (!follows && !options.allowGaps) return broken(seq, "sequence_gap", `Events ${previous.seq + 1} to ${seq - 1} are missing.`);
    if (follows && event.prevHash !== previous.hash)
      return broken(seq, "prev_hash_mismatch", `Event ${seq} does not link to the hash of event ${previous.seq}.`);
    if (hashOf(event) !== event.hash)
      return broken(seq, "hash_mismatch", `Event ${seq} was changed after it was written: its content does not match its hash.`);
    const checkpoint = options.checkpoint;
    if (checkpoint && checkpoint.seq === seq && checkpoint.hash !== event.hash)
      return broken(seq, "checkpoint_mismatch", `Event ${seq} differs from the checkpoint taken earlier: history was rewritten.`);
    previous = { seq, hash: event.hash };
    count++;
  }
  const checkpoint = options.checkpoint;
  if (checkpoint && previous.seq < checkpoint.seq) {
    return broken(
      previous.seq + 1,
      "truncated",
      `The log ends at event ${previous.seq}, but a checkpoint saw event ${checkpoint.seq}: events were removed.`,
    );
  }
  return { ok: true, count, head: previous };
}
