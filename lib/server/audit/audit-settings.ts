import "server-only";
import { env } from "../env";

/** The audit log's configuration, as pages show it. */
export function auditSettings(): { checkpointEvery: number; retentionDays: number } {
  return { checkpointEvery: env().AUDIT_CHECKPOINT_EVERY, retentionDays: env().AUDIT_RETENTION_DAYS };
}
