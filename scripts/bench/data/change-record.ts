// A generated change's change_requests row, keyed by column in the table's order.
import type { ChangeFlags } from "../../../lib/domain/change-flags";
import type { ChangeState } from "../../../lib/domain/change-states";
import type { ChangeType } from "../../../lib/domain/change-types";
import type { RiskLevel } from "../../../lib/domain/risk-levels";
import { pgTextArray } from "../../lib/history/copy";
import type { Random } from "../../lib/history/random";
import { DAY } from "./generator-context";

/** What the change's life decided; times in ms since the epoch, null where the step did not happen. */
export type ChangeFacts = {
  id: string;
  number: number;
  type: ChangeType;
  state: ChangeState;
  title: string;
  plannedStart: number | null;
  plannedEnd: number | null;
  requesterId: string;
  implementerId: string | null;
  /** The change manager who recorded the backout test, and when; never the requester. */
  backoutTestedById: string | null;
  backoutTestedAt: number | null;
  templateId: string | null;
  flags: ChangeFlags;
  /** When it was created. */
  t0: number;
  score: number | null;
  level: RiskLevel | null;
  riskSummary: string | null;
  submittedAt: number | null;
  rounds: number;
  reworked: number;
  outcome: string | null;
  startedAt: number | null;
  implementedAt: number | null;
  version: number;
  updatedAt: number;
  authorizedAt: number | null;
  closedAt: number | null;
};

const ts = (t: number | null) => (t === null ? null : new Date(t));

/** The row; draws whether the backout was tested and the release artifact's digest. */
export function changeRecord(r: Random, c: ChangeFacts): Record<string, unknown> {
  const { flags } = c;
  return {
    id: c.id,
    number: c.number,
    type: c.type,
    state: c.state,
    title: c.title,
    description: `Why and what: ${c.title.toLowerCase()}.`,
    justification: "Keeps the service supported and secure.",
    implementation_plan: "1. Drain traffic. 2. Apply. 3. Verify.",
    backout_plan: "Restore the snapshot taken before the change.",
    test_plan: "Health checks and synthetic transactions.",
    backout_tested: r.chance(0.7),
    backout_tested_by_id: c.backoutTestedById,
    backout_tested_at: ts(c.backoutTestedAt),
    emergency_justification: c.type === "emergency" ? "Production incident in progress." : null,
    planned_start: ts(c.plannedStart),
    planned_end: ts(c.plannedEnd),
    requester_id: c.requesterId,
    implementer_id: c.implementerId,
    template_id: c.templateId,
    new_external_interface: flags.newExternalInterface,
    touches_auth: flags.touchesAuth,
    regulated_data: flags.regulatedData,
    framework_tags: pgTextArray(flags.frameworkTags),
    infra_provisioning: flags.infraProvisioning,
    release_artifact: flags.releaseArtifact,
    temporary_access: flags.temporaryAccess,
    access_expires_at: flags.temporaryAccess ? new Date(c.t0 + 30 * DAY) : null,
    risk_score: c.score,
    risk_level: c.level,
    risk_factors: c.riskSummary === null ? null : { summary: c.riskSummary, factors: [] },
    risk_assessed_at: ts(c.submittedAt),
    approval_round: c.rounds,
    rework_count: c.reworked,
    outcome: c.outcome,
    outcome_notes: c.outcome ? "Recorded by the implementer." : null,
    implementation_started_at: ts(c.startedAt),
    implemented_at: ts(c.implementedAt),
    root_cause: c.outcome === "failed" || c.outcome === "rolled_back" ? "A dependency was not ready." : null,
    version: c.version,
    created_at: new Date(c.t0),
    updated_at: new Date(c.updatedAt),
    submitted_at: ts(c.submittedAt),
    authorized_at: ts(c.authorizedAt),
    closed_at: ts(c.closedAt),
  };
}
