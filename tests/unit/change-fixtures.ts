import type { ActorFacts, ChangeFacts } from "@/lib/domain/change-facts";
import { NO_FLAGS } from "@/lib/domain/change-flags";
import type { ChangeType } from "@/lib/domain/change-types";
import type { Role } from "@/lib/domain/roles";
import type { Vote } from "@/lib/domain/vote";
import { SCAN_POLICY_NOT_APPLICABLE } from "@/lib/domain/scan-policy";

/** The clock every unit test decides against. */
export const NOW = new Date("2026-03-02T09:00:00Z");
/** A moment inside the fixtures' approved window (2026-03-05 20:00-21:00 UTC). */
export const IN_WINDOW = new Date("2026-03-05T20:10:00Z");

const actor = (id: string, ...roles: Role[]): ActorFacts => ({ id, roles });

export const people = {
  requester: actor("req", "requester"),
  manager: actor("cm", "change_manager"),
  manager2: actor("cm2", "change_manager"),
  cab1: actor("cab1", "cab_member"),
  cab2: actor("cab2", "cab_member"),
  cab3: actor("cab3", "cab_member"),
  security: actor("sec", "security_reviewer"),
  implementer: actor("impl", "implementer"),
  implementer2: actor("impl2", "implementer"),
  auditor: actor("aud", "auditor"),
  admin: actor("adm", "admin"),
} as const;

/** A complete draft: every submit guard passes for normal and major changes. */
export function draftChange(type: ChangeType = "normal", overrides: Partial<ChangeFacts> = {}): ChangeFacts {
  return {
    id: "chg-1",
    type,
    state: "draft",
    requesterId: people.requester.id,
    implementerId: null,
    title: "Rotate TLS certificates on the payments API",
    description: "Replace the expiring certificates.",
    justification: "The current certificates expire on Friday.",
    implementationPlan: "Deploy the new certificates with the playbook.",
    backoutPlan: "Redeploy the previous certificates.",
    testPlan: "Check the handshake from outside.",
    emergencyJustification: type === "emergency" ? "Actively exploited vulnerability." : null,
    affectedCiIds: ["ci-api"],
    plannedStart: new Date("2026-03-05T20:00:00Z"),
    plannedEnd: new Date("2026-03-05T21:00:00Z"),
    risk:
      type === "normal" ? null : { score: 30, level: type === "standard" ? "low" : "medium", summary: "internal CI with criticality 2" },
    flags: NO_FLAGS,
    template:
      type === "standard"
        ? {
            id: "tpl-1",
            version: 2,
            title: "Certificate rotation",
            status: "approved",
            riskCeiling: "medium",
            ciIds: ["ci-api", "ci-web"],
            checklistKeys: [],
          }
        : null,
    approvalRound: 0,
    votes: [],
    checklist: [],
    insideFreeze: false,
    freezeExceptionGranted: false,
    outcome: null,
    review: null,
    rootCause: null,
    artifacts: [],
    scanPolicy: SCAN_POLICY_NOT_APPLICABLE,
    ...overrides,
  };
}

export const approve = (voter: ActorFacts, role: Vote["role"], comment = ""): Vote => ({
  voterId: voter.id,
  role,
  decision: "approve",
  comment,
});
export const reject = (voter: ActorFacts, role: Vote["role"], comment: string): Vote => ({
  voterId: voter.id,
  role,
  decision: "reject",
  comment,
});

/** Every item of these keys signed by someone independent. */
export const signed = (...keys: string[]) => keys.map((key) => ({ key, status: "signed" as const, byId: "someone" }));

export const GOOD_REVIEW = {
  worksAsIntended: true,
  securityControlsInPlace: true,
  monitoringCovers: true,
  documentationUpdated: true,
  securityValidation: "Logs reviewed, access rights audited.",
};
