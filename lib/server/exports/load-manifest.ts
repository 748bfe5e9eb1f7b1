import "server-only";
import type { SignedCheckpoint } from "@/lib/domain/audit-checkpoint";
import type { ExportManifest } from "@/lib/domain/export-manifest";
import { auditPublicKeyPem } from "../audit/checkpoints";
import { db } from "../db/db";

export type ManifestLookup = { ok: true; manifest: ExportManifest } | { ok: false; status: 404 | 409; message: string };

/** The manifest of a finished export; an export still running, or cut short, has none. */
export async function loadManifest(exportId: string): Promise<ManifestLookup> {
  const row = await db().dataExport.findUnique({ where: { id: exportId }, include: { exportedBy: { select: { id: true, email: true } } } });
  if (!row) return { ok: false, status: 404, message: "No export has this id." };
  if (!row.completedAt || row.sha256 === null || row.rowCount === null) {
    return { ok: false, status: 409, message: "This export has not finished (it is still running, or the download was cut short), so it has no manifest. Export again." };
  }
  return {
    ok: true,
    manifest: {
      format: "portal-export-manifest/1",
      exportId: row.id,
      kind: row.kind as ExportManifest["kind"],
      fileFormat: row.fileFormat as ExportManifest["fileFormat"],
      fileName: row.fileName,
      filters: row.filters as Record<string, string>,
      rowCount: row.rowCount,
      sha256: row.sha256,
      chainHead: { seq: Number(row.chainHeadSeq), hash: row.chainHeadHash },
      checkpoint: row.checkpoint as SignedCheckpoint,
      publicKeyPem: auditPublicKeyPem(),
      exportedBy: { id: row.exportedBy.id, email: row.exportedBy.email },
      startedAt: row.startedAt.toISOString(),
      completedAt: row.completedAt.toISOString(),
    },
  };
}
