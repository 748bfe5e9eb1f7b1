import type { ChangeFlags } from "./change-flags";
import type { ChangeState } from "./change-states";
import type { ChangeType } from "./change-types";
import type { ImplementationOutcome } from "./implementation-outcomes";
import type { RiskLevel } from "./risk-levels";
import type { Role } from "./roles";
import type { ScanPolicyArtifact, ScanPolicyResult } from "./scan-policy";
import type { AccountKind } from "./segregation-of-duties";
import type { Vote } from "./vote";

/** Who is asking. Loaded from the database on every request, so role changes apply at once. */
export type ActorFacts = { id: string; roles: readonly Role[] };

/**
 * Who is asking to vote, sign off, waive or approve: those steps also ask whether it is a person.
 * The server's Actor always carries `kind` (read from the database); pages showing a person's own
 * options may leave it out.
 */
export type ApproverFacts = ActorFacts & { kind?: AccountKind };

/** The standard-change template a change was filed from, at the version it used. */
export type TemplateFacts = {
  id: string;
  version: number;
  title: string;
  status: "proposed" | "approved" | "retired";
  riskCeiling: RiskLevel;
  /** The CIs the template was approved for. */
  ciIds: readonly string[];
  /** Checklist item keys the template's approval already covers. */
  checklistKeys: readonly string[];
};

/** The state of one checklist item on this change; an applicable item with no entry counts as pending. */
export type ChecklistEntry = {
  key: string;
  status: "pending" | "signed" | "waived";
  /** Who signed or waived it. */
  byId: string | null;
  /** A waiver's expiry, when it has one; an expired waiver no longer counts. */
  waiverExpiresAt?: Date | null;
};

export type PostImplementationReview = {
  worksAsIntended: boolean;
  securityControlsInPlace: boolean;
  monitoringCovers: boolean;
  documentationUpdated: boolean;
  /** Emergency retrospective: log review and access-rights audit, in words. */
  securityValidation: string | null;
};

/** Everything the lifecycle rules look at, assembled by the server from the change and its relations. */
export type ChangeFacts = {
  id: string;
  type: ChangeType;
  state: ChangeState;
  requesterId: string;
  implementerId: string | null;
  title: string;
  description: string;
  justification: string;
  implementationPlan: string;
  backoutPlan: string;
  testPlan: string;
  emergencyJustification: string | null;
  affectedCiIds: readonly string[];
  plannedStart: Date | null;
  plannedEnd: Date | null;
  /** null until assessed; `summary` names the main drivers, e.g. "internet-facing CI with criticality 4". */
  risk: { score: number; level: RiskLevel; summary: string } | null;
  flags: ChangeFlags;
  template: TemplateFacts | null;
  approvalRound: number;
  /** Votes of the current round only; a new round starts empty. */
  votes: readonly Vote[];
  checklist: readonly ChecklistEntry[];
  /** The planned window overlaps a freeze that applies to this change. */
  insideFreeze: boolean;
  /** The change manager and a security reviewer granted a freeze exception. */
  freezeExceptionGranted: boolean;
  outcome: ImplementationOutcome | null;
  review: PostImplementationReview | null;
  rootCause: string | null;
  /** The release artifacts the change ships: the approval covers exactly their digests. */
  artifacts: readonly ScanPolicyArtifact[];
  /** The scan policy evaluated over the artifacts and the change's CIs (scan-policy.ts). */
  scanPolicy: ScanPolicyResult;
};
