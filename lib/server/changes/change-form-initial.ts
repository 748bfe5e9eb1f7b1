import "server-only";
import type { ChangePageDetail } from "./get-change";

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
      artifactDigest: change.artifactDigest ?? "",
      temporaryAccess: on(change.temporaryAccess),
      accessExpiresAt: iso(change.accessExpiresAt),
      pipelineMovesChange: on(change.pipelineMovesChange),
      cves: change.cves.map((c) => `${c.cveId} ${Number(c.cvssBaseScore).toFixed(1)}${c.knownExploited ? " exploited" : ""}`).join("\n"),
      ciIds: change.cis.map(({ ci }) => ci.id),
    },
  };
}
