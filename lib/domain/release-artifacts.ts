import { z } from "zod";
import type { ScanPolicyArtifact } from "./scan-policy";

// The release artifacts a change ships (issue 32): what the approval covers, by content digest.

export const MAX_ARTIFACTS = 50;
export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

const optionalText = (max: number, what: string) =>
  z
    .string({ message: `Write the ${what} as text.` })
    .trim()
    .max(max, `The ${what} is at most ${max} characters.`)
    .nullish()
    .transform((s) => (s ? s : null));

const count = (what: string) =>
  z
    .number({ message: `Give the number of ${what} findings as a whole number, 0 or more.` })
    .int(`Give the number of ${what} findings as a whole number, 0 or more.`)
    .min(0, `Give the number of ${what} findings as a whole number, 0 or more.`)
    .max(1_000_000, `At most 1,000,000 ${what} findings.`)
    .nullish()
    .transform((n) => n ?? null);

const scannedAt = z
  .string({ message: "Give the scan time as a date and time." })
  .max(40, "Give the scan time as a date and time.")
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v.trim() === "") return null;
    const date = new Date(v.trim());
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", message: "Give the scan time as a date and time." });
      return z.NEVER;
    }
    return date;
  });

export const artifactScanSchema = z
  .object({
    scanner: optionalText(100, "scanner name"),
    scannedAt: scannedAt.describe("ISO 8601 with an offset; empty for none"),
    critical: count("critical"),
    high: count("high"),
    medium: count("medium"),
    low: count("low"),
    knownExploited: count("known-exploited"),
  })
  .strict();

export const artifactInputSchema = z
  .object({
    name: z
      .string({ message: "Name the artifact." })
      .trim()
      .min(1, "Name the artifact.")
      .max(200, "An artifact name is at most 200 characters."),
    version: z
      .string({ message: "Give the artifact's version." })
      .trim()
      .min(1, "Give the artifact's version.")
      .max(100, "A version is at most 100 characters."),
    digest: z
      .string({ message: 'Write the digest as "sha256:" and 64 lowercase hex digits.' })
      .trim()
      .regex(DIGEST_PATTERN, 'Write the digest as "sha256:" and 64 lowercase hex digits.'),
    sourceRepository: optionalText(500, "source repository"),
    sourceCommit: optionalText(100, "source commit"),
    sbomRef: optionalText(2000, "SBOM reference"),
    provenanceRef: optionalText(2000, "signature or provenance reference"),
    scan: artifactScanSchema.nullish().transform((s) => s ?? null),
  })
  .strict();

/** A change's artifact list: at most MAX_ARTIFACTS, each digest once. */
export const artifactListSchema = z
  .array(artifactInputSchema)
  .max(MAX_ARTIFACTS, `At most ${MAX_ARTIFACTS} artifacts per change.`)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((a, i) => {
      if (seen.has(a.digest)) ctx.addIssue({ code: "custom", path: [i, "digest"], message: "Each digest once per change." });
      seen.add(a.digest);
    });
  });

export type ArtifactInput = z.output<typeof artifactInputSchema>;

const NO_SCAN = { scanner: null, scannedAt: null, critical: null, high: null, medium: null, low: null, knownExploited: null };

/** What the scan policy looks at of an artifact. */
export function toScanPolicyArtifact(a: ArtifactInput): ScanPolicyArtifact {
  return { name: a.name, version: a.version, digest: a.digest, scan: a.scan ?? NO_SCAN };
}

/** A stored row's columns (release_artifacts), as the input shape; the edit form and the API start from it. */
export type StoredArtifact = {
  name: string;
  version: string;
  digest: string;
  sourceRepository: string | null;
  sourceCommit: string | null;
  sbomRef: string | null;
  provenanceRef: string | null;
  scanScanner: string | null;
  scannedAt: Date | null;
  scanCritical: number | null;
  scanHigh: number | null;
  scanMedium: number | null;
  scanLow: number | null;
  scanKnownExploited: number | null;
};

export function fromStoredArtifact(r: StoredArtifact): ArtifactInput {
  const scan = {
    scanner: r.scanScanner,
    scannedAt: r.scannedAt,
    critical: r.scanCritical,
    high: r.scanHigh,
    medium: r.scanMedium,
    low: r.scanLow,
    knownExploited: r.scanKnownExploited,
  };
  return {
    name: r.name,
    version: r.version,
    digest: r.digest,
    sourceRepository: r.sourceRepository,
    sourceCommit: r.sourceCommit,
    sbomRef: r.sbomRef,
    provenanceRef: r.provenanceRef,
    scan: Object.values(scan).every((v) => v === null) ? null : scan,
  };
}

export function toStoredArtifact(a: ArtifactInput): StoredArtifact {
  return {
    name: a.name,
    version: a.version,
    digest: a.digest,
    sourceRepository: a.sourceRepository,
    sourceCommit: a.sourceCommit,
    sbomRef: a.sbomRef,
    provenanceRef: a.provenanceRef,
    scanScanner: a.scan?.scanner ?? null,
    scannedAt: a.scan?.scannedAt ?? null,
    scanCritical: a.scan?.critical ?? null,
    scanHigh: a.scan?.high ?? null,
    scanMedium: a.scan?.medium ?? null,
    scanLow: a.scan?.low ?? null,
    scanKnownExploited: a.scan?.knownExploited ?? null,
  };
}

/** The digests, sorted: what an approval covers. */
export function approvedDigests(artifacts: readonly { digest: string }[]): string[] {
  return [...new Set(artifacts.map((a) => a.digest))].sort();
}
