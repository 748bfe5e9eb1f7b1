import "server-only";
import type { ChangePageDetail } from "./get-change";
import { ARTIFACT_FIELDS } from "./change-form-values";

/** The stored artifacts as the form's repeated fields: one column per field, a row per artifact. */
function artifactColumns(change: ChangePageDetail): Record<keyof typeof ARTIFACT_FIELDS, string[]> {
  const text = (v: string | number | Date | null) => (v === null ? "" : v instanceof Date ? v.toISOString() : String(v));
  const a = change.artifacts;
  return {
    artifactName: a.map((x) => x.name),
    artifactVersion: a.map((x) => x.version),
    artifactDigest: a.map((x) => x.digest),
    artifactSourceRepository: a.map((x) => text(x.sourceRepository)),
    artifactSourceCommit: a.map((x) => text(x.sourceCommit)),
    artifactSbomRef: a.map((x) => text(x.sbomRef)),
    artifactProvenanceRef: a.map((x) => text(x.provenanceRef)),
    artifactScanner: a.map((x) => text(x.scanScanner)),
    artifactScannedAt: a.map((x) => text(x.scannedAt)),
    artifactCritical: a.map((x) => text(x.scanCritical)),
    artifactHigh: a.map((x) => text(x.scanHigh)),
    artifactMedium: a.map((x) => text(x.scanMedium)),
    artifactLow: a.map((x) => text(x.scanLow)),
    artifactKnownExploited: a.map((x) => text(x.scanKnownExploited)),
  };
}

/** A stored change as the form's initial values (the same shape the form posts). */
export function changeFormInitial(change: ChangePageDetail) {
  const iso = (d: Date | null) => d?.toISOString() ?? "";
  const on = (b: boolean) => (b ? "on" : "");
  return {
    changeId: change.id,
    version: change.version,
    cis: change.cis.map(({ ci }) => ({ id: ci.id, name: ci.name, environment: ci.environment, criticality: ci.criticality })),
    values: {
      type: change.type,
      title: change.title,
      description: change.description,
      justification: change.justification,
      implementationPlan: change.implementationPlan,
      backoutPlan: change.backoutPlan,
      testPlan: change.testPlan,
      backoutTested: on(change.backoutTested),
      backoutTestRecorded: on(change.backoutTestedById !== null),
      rollbackCriteria: change.rollbackCriteria,
      replacesVersion: change.replacesVersion,
      emergencyJustification: change.emergencyJustification ?? "",
      plannedStart: iso(change.plannedStart),
      plannedEnd: iso(change.plannedEnd),
      templateId: change.templateId ?? "",
      newExternalInterface: on(change.newExternalInterface),
      touchesAuth: on(change.touchesAuth),
      regulatedData: on(change.regulatedData),
      frameworkTags: change.frameworkTags,
      infraProvisioning: on(change.infraProvisioning),
      releaseArtifact: on(change.releaseArtifact),
      ...artifactColumns(change),
      temporaryAccess: on(change.temporaryAccess),
      accessExpiresAt: iso(change.accessExpiresAt),
      pipelineMovesChange: on(change.pipelineMovesChange),
      cves: change.cves.map((c) => `${c.cveId} ${Number(c.cvssBaseScore).toFixed(1)}${c.knownExploited ? " exploited" : ""}`).join("\n"),
      ciIds: change.cis.map(({ ci }) => ci.id),
    },
  };
}
