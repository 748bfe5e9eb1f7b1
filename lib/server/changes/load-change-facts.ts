import "server-only";
import type { ChangeFacts } from "@/lib/domain/change-facts";
import type { ApproverRole } from "@/lib/domain/vote";
import {
  Prisma,
  type ChangeRequest,
  type ChangeTemplate,
  type ChecklistItem,
  type PostImplementationReview,
  type Vote,
} from "../db/generated/client";
import type { ChangePageDetail } from "./get-change";
import { inTransaction, type Tx } from "../db/transaction";
import { freezeStatus } from "@/lib/domain/schedule-conflicts";
import type { FreezeWindowFacts, ScheduleCi } from "@/lib/domain/schedule-windows";
import { loadFreezeStatus, toExceptionFacts, toScheduledChange } from "../schedule/load-schedule";
import { db } from "../db/db";
import { assessChangeRisk } from "./assess-risk";
import { fromStoredArtifact, toScanPolicyArtifact, type StoredArtifact } from "@/lib/domain/release-artifacts";
import { evaluateScanPolicy, parseStoredScanPolicy, type ScanPolicy, type ScanPolicyCi } from "@/lib/domain/scan-policy";
import { waiverLapsed } from "@/lib/domain/waiver-expiry";
import { loadScanPolicy, SCAN_POLICY_SETTING } from "../settings/scan-policy";

/** The facts of a locked change, with what a write needs besides: the version read and the current round's id. */
export type LockedChange = ChangeFacts & { version: number; currentRoundId: string | null };

/**
 * Locks the change row for the rest of the transaction and gathers what the lifecycle rules
 * look at. The lock makes actions on one change take turns (two votes, approve racing reject,
 * a double submit), so each decision sees the result of the one before. One statement: the
 * lock, the row, each relation as JSON and the current round with its votes (a vote's hot path).
 */
export async function lockChangeFacts(tx: Tx, changeId: string): Promise<LockedChange | null> {
  const read = () => tx.$queryRaw<LockedRow[]>(factsSql(changeId));
  let [row] = await read();
  // After waiting for the lock, `locked` holds the row's latest version but the rest was read in
  // the statement's older snapshot. Every step bumps the version, so a difference means one
  // committed meanwhile: read again, now holding the lock (a new statement sees its writes).
  if (row && row.snapshotVersion !== row.version) [row] = await read();
  if (!row) return null;
  const locked = fromLockedRow(row);
  const scan = {
    artifacts: parseRows<StoredArtifact>(row.artifacts),
    cis: parseRows<ScanPolicyCi>(row.scanCis),
    policy: parseStoredScanPolicy(row.scanPolicy),
  };
  // The freeze guard's facts, from the same statement: the freezes over the planned window, the CIs' scopes.
  const freeze = freezeStatus({
    change: toScheduledChange(locked),
    cis: locked.freezeCis,
    freezes: locked.freezes,
    exception: toExceptionFacts(locked.freezeException),
  });
  return { ...toChangeFacts(locked, row.votes, freeze, scan), currentRoundId: row.currentRoundId };
}

function factsSql(changeId: string): Prisma.Sql {
  return Prisma.sql`
    WITH locked AS MATERIALIZED (SELECT id, version FROM change_requests WHERE id = ${changeId}::uuid FOR UPDATE)
    SELECT locked.version, c.version AS "snapshotVersion", ${FACTS_COLUMNS}
    FROM locked JOIN change_requests c ON c.id = locked.id
    LEFT JOIN approval_rounds r ON r.change_id = c.id AND r.number = c.approval_round AND c.approval_round > 0`;
}

// Column aliases match the Prisma model's field names, so toChangeFacts maps both reads alike.
const FACTS_COLUMNS = Prisma.sql`
    c.id, c.number, c.type::text AS type, c.state::text AS state, c.requester_id::text AS "requesterId", c.implementer_id::text AS "implementerId",
    c.title, c.description, c.justification, c.implementation_plan AS "implementationPlan", c.backout_plan AS "backoutPlan", c.test_plan AS "testPlan",
    c.emergency_justification AS "emergencyJustification", c.planned_start AS "plannedStart", c.planned_end AS "plannedEnd",
    c.risk_score AS "riskScore", c.risk_level::text AS "riskLevel", c.risk_factors AS "riskFactors",
    c.new_external_interface AS "newExternalInterface", c.touches_auth AS "touchesAuth", c.regulated_data AS "regulatedData",
    c.framework_tags AS "frameworkTags", c.infra_provisioning AS "infraProvisioning", c.release_artifact AS "releaseArtifact",
    c.temporary_access AS "temporaryAccess", c.approval_round AS "approvalRound", c.outcome::text AS outcome, c.root_cause AS "rootCause",
    coalesce((SELECT json_agg(json_build_object('ciId', x.ci_id) ORDER BY x.ci_id) FROM change_cis x WHERE x.change_id = c.id), '[]') AS cis,
    (SELECT json_build_object('id', t.id, 'version', t.version, 'title', t.title, 'status', t.status, 'riskCeiling', t.risk_ceiling,
        'cis', coalesce((SELECT json_agg(json_build_object('ciId', tc.ci_id) ORDER BY tc.ci_id) FROM template_cis tc WHERE tc.template_id = t.id), '[]'))
      FROM change_templates t WHERE t.id = c.template_id) AS template,
    coalesce((SELECT json_agg(json_build_object('key', i.key, 'status', i.status, 'signedById', i.signed_by_id, 'waiverExpiresAt', i.waiver_expires_at) ORDER BY i.key) FROM checklist_items i WHERE i.change_id = c.id), '[]') AS checklist,
    coalesce((SELECT json_agg(json_build_object('name', a.name, 'version', a.version, 'digest', a.digest, 'sourceRepository', a.source_repository,
        'sourceCommit', a.source_commit, 'sbomRef', a.sbom_ref, 'provenanceRef', a.provenance_ref, 'scanScanner', a.scan_scanner, 'scannedAt', a.scanned_at,
        'scanCritical', a.scan_critical, 'scanHigh', a.scan_high, 'scanMedium', a.scan_medium, 'scanLow', a.scan_low, 'scanKnownExploited', a.scan_known_exploited)
        ORDER BY a.name, a.digest) FROM release_artifacts a WHERE a.change_id = c.id), '[]') AS artifacts,
    coalesce((SELECT json_agg(json_build_object('name', ci.name, 'environment', ci.environment, 'criticality', ci.criticality)) FROM change_cis x
      JOIN configuration_items ci ON ci.id = x.ci_id WHERE x.change_id = c.id), '[]') AS "scanCis",
    (SELECT s.value FROM app_settings s WHERE s.key = ${SCAN_POLICY_SETTING}) AS "scanPolicy",
    (SELECT json_build_object('worksAsIntended', p.works_as_intended, 'securityControlsInPlace', p.security_controls_in_place, 'monitoringCovers', p.monitoring_covers,
        'documentationUpdated', p.documentation_updated, 'securityValidation', p.security_validation)
      FROM post_implementation_reviews p WHERE p.change_id = c.id) AS review,
    (SELECT json_build_object('windowStart', fe.window_start, 'windowEnd', fe.window_end, 'managerApproverId', fe.manager_approver_id,
        'securityApproverId', fe.security_approver_id) FROM freeze_exceptions fe WHERE fe.change_id = c.id) AS "freezeException",
    r.id::text AS "currentRoundId",
    coalesce((SELECT json_agg(json_build_object('id', ci.id, 'environment', ci.environment, 'tags', ci.tags)) FROM change_cis x JOIN configuration_items ci ON ci.id = x.ci_id
      WHERE x.change_id = c.id), '[]') AS "freezeCis",
    coalesce((SELECT json_agg(json_build_object('id', f.id, 'start', f.starts_at, 'end', f.ends_at, 'reason', f.reason, 'scope', f.scope, 'environments', f.environments, 'tags', f.tags))
      FROM freeze_windows f WHERE f.starts_at < c.planned_end AND f.ends_at > c.planned_start), '[]') AS freezes,
    coalesce((SELECT json_agg(json_build_object('voterId', v.voter_id, 'role', v.role, 'decision', v.decision, 'comment', v.comment, 'onBehalfOfId', v.on_behalf_of_id) ORDER BY v.cast_at, v.id)
      FROM votes v WHERE v.round_id = r.id), '[]') AS votes`;

// JSON from PostgreSQL: a string, or parsed by the driver; timestamps arrive as strings.
function parseRows<T>(v: unknown): T[] {
  const rows = (typeof v === "string" ? JSON.parse(v) : v) as Record<string, unknown>[];
  return rows.map((r) => ({ ...r, scannedAt: typeof r.scannedAt === "string" ? new Date(r.scannedAt) : (r.scannedAt ?? null) }) as T);
}

type StoredException = { windowStart: Date; windowEnd: Date; managerApproverId: string | null; securityApproverId: string | null };

type LockedRow = Omit<FactsRow, "review"> & {
  number: number;
  review: FactsRow["review"] | null;
  freezeException: unknown;
  freezeCis: unknown;
  freezes: unknown;
  currentRoundId: string | null;
  snapshotVersion: number;
  artifacts: unknown;
  scanCis: unknown;
  scanPolicy: unknown;
  votes: Pick<Vote, "voterId" | "role" | "decision" | "comment" | "onBehalfOfId">[];
};

// JSON from PostgreSQL (a string, or parsed by the driver) into the row shape toChangeFacts reads.
function fromLockedRow(
  row: LockedRow,
): FactsRow & { number: number; freezeException: StoredException | null; freezeCis: ScheduleCi[]; freezes: FreezeWindowFacts[] } {
  const parse = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;
  const exception = parse<{
    windowStart: string;
    windowEnd: string;
    managerApproverId: string | null;
    securityApproverId: string | null;
  } | null>(row.freezeException);
  const freezes = parse<(Omit<FreezeWindowFacts, "start" | "end"> & { start: string; end: string })[]>(row.freezes);
  return {
    ...row,
    cis: parse(row.cis),
    template: parse(row.template),
    checklist: parse(row.checklist),
    review: parse(row.review),
    freezeException: exception
      ? { ...exception, windowStart: new Date(exception.windowStart), windowEnd: new Date(exception.windowEnd) }
      : null,
    freezeCis: parse<Omit<ScheduleCi, "name" | "maintenanceWindows">[]>(row.freezeCis).map((ci) => ({
      ...ci,
      name: "",
      maintenanceWindows: [],
    })),
    freezes: freezes.map((f) => ({ ...f, start: new Date(f.start), end: new Date(f.end) })),
  };
}

type FactsRow = Pick<
  ChangeRequest,
  | "id"
  | "version"
  | "type"
  | "state"
  | "requesterId"
  | "implementerId"
  | "title"
  | "description"
  | "justification"
  | "implementationPlan"
  | "backoutPlan"
  | "testPlan"
  | "emergencyJustification"
  | "plannedStart"
  | "plannedEnd"
  | "riskScore"
  | "riskLevel"
  | "newExternalInterface"
  | "touchesAuth"
  | "regulatedData"
  | "frameworkTags"
  | "infraProvisioning"
  | "releaseArtifact"
  | "temporaryAccess"
  | "approvalRound"
  | "outcome"
  | "rootCause"
> & {
  riskFactors: unknown;
  cis: { ciId: string }[];
  template: (Pick<ChangeTemplate, "id" | "version" | "title" | "status" | "riskCeiling"> & { cis: { ciId: string }[] }) | null;
  checklist: (Pick<ChecklistItem, "key" | "status" | "signedById"> & { waiverExpiresAt: Date | string | null })[];
  review: Pick<
    PostImplementationReview,
    "worksAsIntended" | "securityControlsInPlace" | "monitoringCovers" | "documentationUpdated" | "securityValidation"
  > | null;
};

type FreezeFacts = Pick<ChangeFacts, "insideFreeze" | "freezeExceptionGranted">;

/** What the scan policy item is judged from: the artifacts, the CIs they go to, the configured policy. */
type ScanInputs = { artifacts: StoredArtifact[]; cis: ScanPolicyCi[]; policy: ScanPolicy };

/** The one mapping from a stored change (its current round's votes, its freeze status) to what the rules look at. */
export function toChangeFacts(
  c: FactsRow,
  votes: Pick<Vote, "voterId" | "role" | "decision" | "comment" | "onBehalfOfId">[],
  freeze: FreezeFacts,
  scan: ScanInputs,
  now = new Date(),
): ChangeFacts & { version: number } {
  const factors = c.riskFactors as { summary?: string } | null;
  const artifacts = scan.artifacts.map((a) => toScanPolicyArtifact(fromStoredArtifact(a)));
  return {
    id: c.id,
    version: c.version,
    type: c.type,
    state: c.state,
    requesterId: c.requesterId,
    implementerId: c.implementerId,
    title: c.title,
    description: c.description,
    justification: c.justification,
    implementationPlan: c.implementationPlan,
    backoutPlan: c.backoutPlan,
    testPlan: c.testPlan,
    emergencyJustification: c.emergencyJustification,
    affectedCiIds: c.cis.map((x) => x.ciId),
    plannedStart: c.plannedStart,
    plannedEnd: c.plannedEnd,
    risk: c.riskScore !== null && c.riskLevel ? { score: c.riskScore, level: c.riskLevel, summary: factors?.summary ?? "" } : null,
    flags: {
      newExternalInterface: c.newExternalInterface,
      touchesAuth: c.touchesAuth,
      regulatedData: c.regulatedData,
      frameworkTags: c.frameworkTags,
      infraProvisioning: c.infraProvisioning,
      releaseArtifact: c.releaseArtifact,
      temporaryAccess: c.temporaryAccess,
    },
    template: c.template
      ? {
          id: c.template.id,
          version: c.template.version,
          title: c.template.title,
          status: c.template.status,
          riskCeiling: c.template.riskCeiling,
          ciIds: c.template.cis.map((x) => x.ciId),
          checklistKeys: [],
        }
      : null,
    approvalRound: c.approvalRound,
    votes: votes.map((v) => ({
      voterId: v.voterId,
      role: v.role as ApproverRole,
      decision: v.decision,
      comment: v.comment,
      onBehalfOf: v.onBehalfOfId ?? null,
    })),
    checklist: c.checklist.map((i) => {
      const entry = {
        key: i.key,
        status: i.status,
        byId: i.signedById,
        waiverExpiresAt: i.waiverExpiresAt ? new Date(i.waiverExpiresAt) : null,
      };
      return waiverLapsed(entry, now) ? { ...entry, status: "pending" as const, byId: null } : entry;
    }),
    insideFreeze: freeze.insideFreeze,
    freezeExceptionGranted: freeze.freezeExceptionGranted,
    outcome: c.outcome,
    review: c.review
      ? {
          worksAsIntended: c.review.worksAsIntended,
          securityControlsInPlace: c.review.securityControlsInPlace,
          monitoringCovers: c.review.monitoringCovers,
          documentationUpdated: c.review.documentationUpdated,
          securityValidation: c.review.securityValidation,
        }
      : null,
    rootCause: c.rootCause,
    artifacts,
    scanPolicy: evaluateScanPolicy(artifacts, scan.policy, scan.cis),
  };
}

/**
 * For pages: the facts the change's panels decide with (what the viewer may do, why these
 * approvers), mapped from the change the page already loaded. A draft has no stored risk yet;
 * submitting scores it, so the preview scores it too.
 */
export async function pageChangeFacts(change: ChangePageDetail, known?: FreezeFacts): Promise<ChangeFacts & { version: number }> {
  const votes = change.votes.filter((v) => v.round.number === change.approvalRound);
  // The change page has them from its schedule panel's reads (pageConflicts.of).
  const freeze = known ?? (await loadFreezeStatus(db(), toScheduledChange(change), change.freezeException));
  const scan = {
    artifacts: change.artifacts,
    cis: change.cis.map(({ ci }) => ({ name: ci.name, environment: ci.environment, criticality: ci.criticality })),
    policy: await loadScanPolicy(),
  };
  const facts = toChangeFacts(change, votes, freeze, scan);
  if (facts.state !== "draft") return facts;
  const preview = await inTransaction((tx) => assessChangeRisk(tx, change.id, new Date()));
  return { ...facts, risk: { score: preview.score, level: preview.level, summary: preview.summary } };
}
