import "server-only";
import { z } from "zod";
import { changeFiltersSchema } from "@/lib/domain/change-list-params";
import { CHANGE_STATES } from "@/lib/domain/change-states";
import { CHANGE_TYPES } from "@/lib/domain/change-types";
import { RISK_LEVELS } from "@/lib/domain/risk-levels";
import { ROLES } from "@/lib/domain/roles";
import { encodeTimeCursor, idNumberParam, optionalParam } from "@/lib/domain/search-params";
import { VOTE_DECISIONS } from "@/lib/domain/vote";
import { decodeApiCursor } from "./api-cursor";
import { deploymentSchema } from "../deployments/deployment-schemas";

// What /api/v1/changes takes and answers, in zod: the handlers validate with the inputs, and the
// outputs are the contract the OpenAPI document is to be generated from.

export const API_PAGE_MAX = 100;
export const API_PAGE_DEFAULT = 25;

/** GET /api/v1/changes: the change list's filters (q, type, state, risk), an opaque cursor and a page size. */
export const changeListQuerySchema = changeFiltersSchema
  .omit({ after: true })
  .extend({
    cursor: optionalParam(
      z.string().transform((text, ctx) => {
        const at = decodeApiCursor(text);
        if (at) return encodeTimeCursor(at.at, at.id);
        ctx.addIssue({ code: "custom", message: "This cursor was not given out by this API; start again without one." });
        return z.NEVER;
      }),
    ),
    limit: optionalParam(
      z
        .string()
        .regex(/^\d{1,3}$/, `Give a whole number from 1 to ${API_PAGE_MAX}.`)
        .transform(Number)
        .pipe(z.number().int().min(1, `Give a whole number from 1 to ${API_PAGE_MAX}.`).max(API_PAGE_MAX, `At most ${API_PAGE_MAX}.`)),
    ).default(API_PAGE_DEFAULT),
  })
  .strict();
export type ChangeListQuery = z.infer<typeof changeListQuerySchema>;

/** GET /api/v1/changes/{id}: the id from the path, and the timeline page before an audit seq. */
export const changeGetQuerySchema = z.object({ id: z.string(), eventsBefore: idNumberParam }).strict();

const instant = z.iso.datetime();
const person = z.object({ id: z.string(), name: z.string() });

export const changeListItemSchema = z.object({
  id: z.uuid(),
  number: z.number().int(),
  reference: z.string().describe("CHG-… as the pages show it"),
  title: z.string(),
  type: z.enum(CHANGE_TYPES),
  state: z.enum(CHANGE_STATES),
  risk: z.object({ level: z.enum(RISK_LEVELS), score: z.number().int() }).nullable(),
  plannedStart: instant.nullable(),
  createdAt: instant,
  requester: z.object({ name: z.string() }),
});

export const changeListSchema = z.object({
  items: z.array(changeListItemSchema),
  /** The next page's cursor, or null on the last page. */
  nextCursor: z.string().nullable(),
  /** The next page's address (this query with the cursor), or null. */
  next: z.string().nullable(),
});

export const changeDetailSchema = z.object({
  id: z.uuid(),
  number: z.number().int(),
  reference: z.string(),
  version: z.number().int().describe("Bumped by every write to the change"),
  title: z.string(),
  type: z.enum(CHANGE_TYPES),
  state: z.enum(CHANGE_STATES),
  description: z.string(),
  justification: z.string(),
  implementationPlan: z.string(),
  backoutPlan: z.string(),
  testPlan: z.string(),
  backoutTested: z
    .object({ by: person, at: instant })
    .nullable()
    .describe("Who recorded that the backout was tested, and when; never the requester. null: not recorded"),
  rollbackCriteria: z.string(),
  replacesVersion: z.string().describe("The version this release replaces"),
  releaseArtifact: z.boolean(),
  artifacts: z
    .array(
      z.object({
        name: z.string(),
        version: z.string(),
        digest: z.string().describe('"sha256:" and 64 lowercase hex digits; the approval covers exactly these'),
        sourceRepository: z.string().nullable(),
        sourceCommit: z.string().nullable(),
        sbomRef: z.string().nullable(),
        provenanceRef: z.string().nullable(),
        scan: z
          .object({
            scanner: z.string().nullable(),
            scannedAt: instant.nullable(),
            critical: z.number().int().nullable(),
            high: z.number().int().nullable(),
            medium: z.number().int().nullable(),
            low: z.number().int().nullable(),
            knownExploited: z.number().int().nullable(),
          })
          .nullable(),
      }),
    )
    .describe("The release artifacts the change ships"),
  scanPolicy: z.object({
    applies: z.boolean(),
    passes: z.boolean(),
    environments: z.array(z.string()),
    violations: z.array(z.object({ code: z.string(), digest: z.string(), artifact: z.string(), message: z.string() })),
  }),
  pipelineMovesChange: z
    .boolean()
    .describe("Whether its pipeline's deployments start the change and record its outcome (when the pipeline is its implementer)"),
  deployments: z
    .array(
      deploymentSchema.pick({
        id: true,
        environment: true,
        ci: true,
        digests: true,
        status: true,
        authorized: true,
        unauthorizedReason: true,
        reasons: true,
        startedAt: true,
        finishedAt: true,
        pipelineRunUrl: true,
        pipelineStep: true,
        createdAt: true,
      }),
    )
    .describe("The newest deployments reconciled with this change (at most 20), newest first; GET /deployments lists them all"),
  emergencyJustification: z.string().nullable(),
  plannedStart: instant.nullable(),
  plannedEnd: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
  requester: person,
  implementer: person.nullable(),
  template: z.object({ id: z.string(), title: z.string(), version: z.number().int() }).nullable(),
  cis: z.array(z.object({ id: z.string(), name: z.string(), environment: z.string() })),
  cves: z.array(z.string()),
  risk: z
    .object({
      score: z.number().int(),
      level: z.enum(RISK_LEVELS),
      summary: z.string(),
      /** Whether the score is a draft's preview (scored for real on submission). */
      preview: z.boolean(),
      factors: z.array(z.object({ factor: z.string(), points: z.number(), max: z.number(), explanation: z.string() })),
    })
    .nullable(),
  approvals: z.object({
    preApproved: z.boolean(),
    summary: z.string(),
    rules: z.array(z.object({ role: z.enum(ROLES), count: z.number().int(), reason: z.string() })),
    round: z.number().int(),
    status: z.enum(["satisfied", "pending", "rejected"]),
    evaluation: z.string(),
    missing: z.array(z.object({ role: z.enum(ROLES), needed: z.number().int(), reason: z.string() })),
    notCounted: z.array(z.string()),
  }),
  votes: z.array(
    z.object({
      round: z.number().int(),
      voter: z.object({ name: z.string() }),
      /** A delegate's vote: whose vote it is, and counts as. */
      onBehalfOf: z.object({ name: z.string() }).nullable(),
      role: z.enum(ROLES),
      decision: z.enum(VOTE_DECISIONS),
      comment: z.string(),
      castAt: instant,
    }),
  ),
  checklist: z.array(
    z.object({
      key: z.string(),
      title: z.string(),
      signerRole: z.enum(ROLES),
      status: z
        .enum(["pending", "signed", "waived", "lapsed"])
        .describe("lapsed: waived, but the waiver's expiry has passed; it blocks as pending does until signed or waived anew"),
      signedBy: z.object({ name: z.string() }).nullable(),
      signedAt: instant.nullable(),
      evidence: z.string().nullable(),
      compensatingControl: z.string().nullable(),
      residualRisk: z.string().nullable(),
      waiverExpiresAt: instant.nullable(),
    }),
  ),
  conflicts: z.array(
    z.object({
      kind: z.enum(["freeze", "maintenance", "overlap", "implementer"]),
      severity: z.enum(["block", "warning", "info"]),
      message: z.string(),
      proceed: z.string(),
      other: z.object({ id: z.string(), number: z.number().int(), title: z.string() }).nullable(),
    }),
  ),
  timeline: z.object({
    events: z.array(
      z.object({
        seq: z.number().int(),
        occurredAt: instant,
        action: z.string(),
        actorEmail: z.string().nullable(),
        reason: z.string().nullable(),
      }),
    ),
    /** Pass as `eventsBefore` for the page of earlier events; null when there are none. */
    earlierBefore: z.number().int().nullable(),
  }),
});

export type ChangeListItem = z.infer<typeof changeListItemSchema>;
export type ChangeList = z.infer<typeof changeListSchema>;
export type ChangeDetailResource = z.infer<typeof changeDetailSchema>;

/**
 * W/"v<version>-e<seq>": the change's version, and its timeline's newest event shown, since a
 * comment or a refused attempt adds to the timeline without a new version.
 */
export function changeETag(change: Pick<ChangeDetailResource, "version" | "timeline">): string {
  return versionETag(change.version, change.timeline.events.at(-1)?.seq ?? 0);
}

/** The ETag of a change at `version` whose newest timeline event is `eventSeq`. */
export function versionETag(version: number, eventSeq: number): string {
  return `W/"v${version}-e${eventSeq}"`;
}
