import { Facts, Section } from "@/components/ui/section";
import { frameworkLabel } from "@/lib/domain/change-flags";
import { IMPLEMENTATION_OUTCOME_LABELS } from "@/lib/domain/implementation-outcomes";
import type { ChangePageDetail } from "@/lib/server/changes/get-change";

const when = (d: Date | null) => (d ? `${d.toISOString().replace("T", " ").slice(0, 16)} UTC` : "");
const yes = (b: boolean) => (b ? "Yes" : "No");

/** The change's own fields, grouped as the form groups them. */
export function ChangeFields({ change }: { change: ChangePageDetail }) {
  const review = change.review;
  return (
    <>
      {change.outcome || review ? (
        <Section title="Outcome and review">
          <Facts
            items={[
              ["Outcome", change.outcome ? IMPLEMENTATION_OUTCOME_LABELS[change.outcome] : ""],
              ["Implemented", when(change.implementedAt)],
              ["Outcome notes", change.outcomeNotes ?? ""],
              ...(review
                ? ([
                    ["Reviewed by", `${review.reviewedBy.name}, ${when(review.reviewedAt)}`],
                    ["Works as intended", yes(review.worksAsIntended)],
                    ["Security controls still in place", yes(review.securityControlsInPlace)],
                    ["Monitoring covers the change", yes(review.monitoringCovers)],
                    ["Documentation updated", yes(review.documentationUpdated)],
                    ["Security validation", review.securityValidation ?? ""],
                    ["Review notes", review.notes],
                  ] as [string, string][])
                : []),
              ["Root cause", change.rootCause ?? ""],
            ]}
          />
        </Section>
      ) : null}
      <Section title="What and why">
        <Facts
          items={[
            ["Description", change.description],
            ["Business justification", change.justification],
            ...(change.type === "emergency" ? [["Emergency justification", change.emergencyJustification ?? ""] as [string, string]] : []),
            ...(change.template ? [["Template", `${change.template.title} (version ${change.template.version})`] as [string, string]] : []),
          ]}
        />
      </Section>
      <Section title="Scope and window">
        <Facts
          items={[
            ["Planned window", change.plannedStart ? `${when(change.plannedStart)} → ${when(change.plannedEnd)}` : ""],
            ["Implementer", change.implementer?.name ?? ""],
            [
              "Configuration items",
              change.cis.length ? (
                <ul className="space-y-0.5">
                  {change.cis.map(({ ci }) => (
                    <li key={ci.id}>
                      {ci.name}{" "}
                      <span className="text-slate-500">
                        · {ci.environment} · criticality {ci.criticality} · {ci.exposure.replace("_", "-")}
                      </span>
                    </li>
                  ))}
                </ul>
              ) : (
                ""
              ),
            ],
          ]}
        />
      </Section>
      <Section title="Plans">
        <Facts
          items={[
            ["Implementation plan", change.implementationPlan],
            ["Backout plan", change.backoutPlan],
            [
              "Backout tested",
              change.backoutTestedBy && change.backoutTestedAt
                ? `Yes, recorded by ${change.backoutTestedBy.name}, ${when(change.backoutTestedAt)}`
                : `Not recorded by anyone but the requester${change.backoutTested ? " (the requester says it was)" : ""}`,
            ],
            ["Rollback criteria", change.rollbackCriteria],
            ["Version it replaces", change.replacesVersion],
            ["Test plan", change.testPlan],
          ]}
        />
      </Section>
      <Section title="Security facts">
        <Facts
          items={[
            ["New external interface", yes(change.newExternalInterface)],
            ["Touches authentication or access control", yes(change.touchesAuth)],
            ["Regulated data", change.regulatedData ? `Yes: ${change.frameworkTags.map(frameworkLabel).join(", ")}` : "No"],
            ["Provisions infrastructure", yes(change.infraProvisioning)],
            [
              "Release artifact",
              change.releaseArtifact
                ? `Yes: ${change.artifacts.length} artifact${change.artifacts.length === 1 ? "" : "s"} (see Release artifacts)`
                : "No",
            ],
            ["Temporary access", change.temporaryAccess ? `Yes, until ${when(change.accessExpiresAt)}` : "No"],
            [
              "CVE references",
              change.cves.length
                ? change.cves
                    .map((c) => `${c.cveId} (CVSS ${Number(c.cvssBaseScore).toFixed(1)}${c.knownExploited ? ", known exploited" : ""})`)
                    .join("\n")
                : "",
            ],
          ]}
        />
      </Section>
    </>
  );
}
