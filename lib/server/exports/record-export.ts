import "server-only";
import { randomUUID } from "node:crypto";
import type { SignedCheckpoint } from "@/lib/domain/audit-checkpoint";
import { EXPORT_MANIFEST_FORMAT, signManifest, type ExportManifest } from "@/lib/domain/export-manifest";
import type { ExportFormat } from "@/lib/domain/history-export-format";
import { appendAuditEvent } from "../audit/append-audit-event";
import { checkpointOf } from "../audit/checkpoints";
import { loadKeyRotations } from "../audit/key-history";
import { heldSigningKey } from "../audit/signing-key";
import type { Actor } from "../auth/current-actor";
import { db } from "../db/db";
import { inTransaction } from "../db/transaction";
import type { StreamResult } from "./metered-stream";

export type ExportSpec = {
  kind: "changes" | "audit_events" | "report";
  format: ExportFormat;
  fileName: string;
  filters: Record<string, string>;
  /** The export's own audit event; the export's id is added to `after`. */
  audit: { action: string; entityType: string; entityId?: string; after: Record<string, unknown> };
};

/**
 * Every export starts here: its audit event, then a signed checkpoint of the chain head (that
 * event), then the manifest's first half (filters, head, checkpoint), in one transaction. It holds
 * the chain head until it commits, so it does nothing slow and few round trips: every audited
 * action waits for it. The checkpoint and the manifest go in one statement, after the event's.
 */
export async function beginExport(actor: Actor, spec: ExportSpec): Promise<{ exportId: string; headSeq: number }> {
  const exportId = randomUUID();
  return inTransaction(async (tx) => {
    const head = await appendAuditEvent(tx, {
      actor,
      action: spec.audit.action,
      entityType: spec.audit.entityType,
      entityId: spec.audit.entityId ?? exportId,
      after: { ...spec.audit.after, exportId },
    });
    const { checkpoint, insert } = await checkpointOf(tx, head, "export", actor.id);
    await tx.$executeRaw`
      WITH checkpoint AS (${insert})
      INSERT INTO data_exports (id, kind, file_format, file_name, filters, exported_by_id, chain_head_seq, chain_head_hash, checkpoint)
      VALUES (${exportId}::uuid, ${spec.kind}, ${spec.format}, ${spec.fileName}, ${JSON.stringify(spec.filters)}::jsonb, ${actor.id}::uuid,
              ${checkpoint.seq}, ${checkpoint.hash}, ${JSON.stringify(checkpoint)}::jsonb)`;
    return { exportId, headSeq: checkpoint.seq };
  });
}

/**
 * The manifest's second half, once the last byte has been sent: row count and SHA-256; then the
 * whole manifest is signed with the audit key and kept as the bytes the manifest route serves.
 */
export async function completeExport(exportId: string, { rowCount, sha256 }: StreamResult): Promise<void> {
  const row = await db().dataExport.findUniqueOrThrow({
    where: { id: exportId },
    include: { exportedBy: { select: { id: true, email: true } } },
  });
  const completedAt = new Date();
  const checkpoint = row.checkpoint as SignedCheckpoint;
  // Signed by the key that signed its checkpoint, even if a rotation came while the file was sent.
  const key = heldSigningKey(checkpoint.keyId);
  if (!key)
    throw new Error(
      `The export's checkpoint was signed by key ${checkpoint.keyId}, which this instance no longer holds: its manifest cannot be signed.`,
    );
  const manifest = signManifest(
    {
      format: EXPORT_MANIFEST_FORMAT,
      exportId: row.id,
      kind: row.kind as ExportManifest["kind"],
      fileFormat: row.fileFormat as ExportManifest["fileFormat"],
      fileName: row.fileName,
      filters: row.filters as Record<string, string>,
      rowCount,
      sha256,
      chainHead: { seq: Number(row.chainHeadSeq), hash: row.chainHeadHash },
      checkpoint,
      keyHistory: await loadKeyRotations(db(), checkpoint.seq),
      exportedBy: { id: row.exportedBy.id, email: row.exportedBy.email },
      startedAt: row.startedAt.toISOString(),
      completedAt: completedAt.toISOString(),
    },
    key.privateKey,
  );
  await db().dataExport.update({
    where: { id: exportId },
    data: { rowCount, sha256, completedAt, manifest: JSON.stringify(manifest, null, 2) + "\n" },
  });
}

export const exportStamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
