import "server-only";
import { parseExportManifest, type ExportManifest } from "@/lib/domain/export-manifest";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { db } from "../db/db";

export type ManifestLookup = { ok: true; manifest: ExportManifest; text: string } | { ok: false; status: 404 | 409; message: string };

/** The signed manifest of a finished export, as the bytes that were signed; an export still running, or cut short, has none. */
export async function loadManifest(viewer: Actor, exportId: string): Promise<ManifestLookup> {
  await refuseReadUnlessCan(viewer, "audit.read");
  const row = await db().dataExport.findUnique({ where: { id: exportId }, select: { completedAt: true, manifest: true } });
  if (!row) return { ok: false, status: 404, message: "No export has this id." };
  if (!row.completedAt) {
    return {
      ok: false,
      status: 409,
      message: "This export has not finished (it is still running, or the download was cut short), so it has no manifest. Export again.",
    };
  }
  const parsed = row.manifest === null ? null : parseExportManifest(JSON.parse(row.manifest));
  if (!parsed?.ok)
    return {
      ok: false,
      status: 409,
      message: "This export finished before manifests were signed, so it has no manifest an auditor can verify. Export again.",
    };
  return { ok: true, manifest: parsed.manifest, text: row.manifest! };
}
