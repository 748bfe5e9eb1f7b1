import { z } from "zod";
import type { SignedCheckpoint } from "./audit-checkpoint";

// The manifest every export carries beside its file: what was asked for, what came out, and a
// signed checkpoint of the audit log at export time, so the file can be checked with no database.

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits");

export const signedCheckpointSchema = z.object({
  seq: z.number().int().positive(),
  hash: hex64,
  createdAt: z.iso.datetime(),
  keyId: z.string().regex(/^[0-9a-f]{16}$/, "must be 16 lower-case hex digits"),
  signature: z.string().min(1),
}) satisfies z.ZodType<SignedCheckpoint>;

export const EXPORT_MANIFEST_FORMAT = "portal-export-manifest/1";

export const exportManifestSchema = z.object({
  format: z.literal(EXPORT_MANIFEST_FORMAT),
  exportId: z.string().min(1),
  kind: z.enum(["audit_events", "changes", "report"]),
  fileFormat: z.enum(["csv", "jsonl"]),
  fileName: z.string().min(1),
  filters: z.record(z.string(), z.string()),
  rowCount: z.number().int().nonnegative(),
  sha256: hex64,
  chainHead: z.object({ seq: z.number().int().nonnegative(), hash: hex64 }),
  checkpoint: signedCheckpointSchema,
  publicKeyPem: z.string().includes("BEGIN PUBLIC KEY"),
  exportedBy: z.object({ id: z.string(), email: z.string() }),
  startedAt: z.iso.datetime(),
  completedAt: z.iso.datetime(),
});

export type ExportManifest = z.infer<typeof exportManifestSchema>;

/** Reads a manifest (parsed JSON); names each field that is wrong. */
export function parseExportManifest(value: unknown): { ok: true; manifest: ExportManifest } | { ok: false; message: string } {
  const parsed = exportManifestSchema.safeParse(value);
  if (parsed.success) return { ok: true, manifest: parsed.data };
  return { ok: false, message: parsed.error.issues.map((i) => `${i.path.join(".") || "manifest"}: ${i.message}`).join("; ") };
}
