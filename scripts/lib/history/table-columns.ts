// The columns of the tables both back-dated histories (the bench data and the demo's past) write
// by COPY, in the order their rows list the values.
import { copyRows } from "./copy";

export const TABLE_COLUMNS = {
  configuration_items: ["id", "name", "type", "environment", "owner", "criticality", "exposure", "tags", "created_at", "updated_at"],
  ci_dependencies: ["ci_id", "depends_on_id"],
  change_templates: [
    "id",
    "family_id",
    "version",
    "title",
    "description",
    "implementation_plan",
    "backout_plan",
    "test_plan",
    "risk_ceiling",
    "status",
    "proposed_by_id",
    "approved_by_id",
    "approved_at",
    "created_at",
  ],
  template_cis: ["template_id", "ci_id"],
  change_cis: ["change_id", "ci_id"],
  approval_rounds: ["id", "change_id", "number", "opened_at", "closed_at"],
  votes: ["id", "round_id", "change_id", "voter_id", "role", "decision", "comment", "cast_at"],
  checklist_items: [
    "id",
    "change_id",
    "key",
    "title",
    "signer_role",
    "evidence_wanted",
    "pre_implementation",
    "status",
    "signed_by_id",
    "signed_at",
    "evidence",
    "compensating_control",
    "residual_risk",
  ],
  comments: ["id", "change_id", "author_id", "body", "created_at"],
  post_implementation_reviews: [
    "change_id",
    "works_as_intended",
    "security_controls_in_place",
    "monitoring_covers",
    "documentation_updated",
    "security_validation",
    "notes",
    "reviewed_by_id",
    "reviewed_at",
  ],
} as const satisfies Record<string, readonly string[]>;

export type HistoryTable = keyof typeof TABLE_COLUMNS;

/** Loads rows, their values in TABLE_COLUMNS' order, into one of these tables in one COPY. */
export function copyTable(
  client: Parameters<typeof copyRows>[0],
  table: HistoryTable,
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  return copyRows(client, table, TABLE_COLUMNS[table], rows);
}
