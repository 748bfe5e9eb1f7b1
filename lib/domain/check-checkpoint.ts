import { verifyCheckpointSignature, type SignedCheckpoint } from "./audit-checkpoint";

export type CheckpointProblem = {
  seq: number;
  problem: "checkpoint_unknown_key" | "checkpoint_signature" | "checkpoint_mismatch";
  message: string;
};

/**
 * One checkpoint against one chain: signed by the trusted key, and the chain passes through it
 * (the event at its seq has its hash). `hashAtSeq` is undefined when that event is not at hand.
 */
export function checkCheckpoint(
  cp: SignedCheckpoint,
  publicKeyPem: string,
  trustedKeyId: string,
  hashAtSeq: string | undefined,
): CheckpointProblem | null {
  if (cp.keyId !== trustedKeyId) {
    return {
      seq: cp.seq,
      problem: "checkpoint_unknown_key",
      message: `The checkpoint at event ${cp.seq} was signed by key ${cp.keyId}, not by the trusted key ${trustedKeyId}.`,
    };
  }
  if (!verifyCheckpointSignature(cp, publicKeyPem)) {
    return {
      seq: cp.seq,
      problem: "checkpoint_signature",
      message: `The checkpoint at event ${cp.seq} has an invalid signature: it was altered or forged.`,
    };
  }
  if (hashAtSeq !== undefined && hashAtSeq !== cp.hash) {
    return {
      seq: cp.seq,
      problem: "checkpoint_mismatch",
      message: `Event ${cp.seq} differs from the signed checkpoint taken at ${cp.createdAt}: history was rewritten.`,
    };
  }
  return null;
}
