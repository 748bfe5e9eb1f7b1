import "server-only";
import { z } from "zod";
import { CHANGE_STATES } from "@/lib/domain/change-states";
import { CHANGE_TYPES } from "@/lib/domain/change-types";
import { GATE_REASON_CODES } from "@/lib/domain/deployment-gate";
import { DEPLOYMENT_STATUSES } from "@/lib/domain/deployment-status";

// What the deployment gate and deployment reports take and answer (/api/v1/deployments/check, /api/v1/deployments). Pipelines are outside
// input like any other: every list is bounded, every text has a length and no control characters.

export const MAX_GATE_DIGESTS = 50;
export const MAX_GATE_CIS = 20;
const NO_CONTROL = /^[^\p{Cc}]*$/u;
const DIGEST_MESSAGE = "Give a content digest as sha256: and 64 lower-case hex digits.";
const INSTANT_MESSAGE = "Give an ISO 8601 instant with its offset, like 2026-12-24T22:00:00Z.";

const text = (max: number, what: string) =>
  z
    .string({ message: `Give ${what}.` })
    .trim()
    .min(1, `Give ${what}.`)
    .max(max, `Use at most ${max} characters.`)
    .regex(NO_CONTROL, "Remove the control characters.");

const digest = z.string({ message: DIGEST_MESSAGE }).regex(/^sha256:[0-9a-f]{64}$/, DIGEST_MESSAGE);
const digests = z
  .array(digest, { message: "Give the artifacts' digests as a list." })
  .min(1, "Give at least one digest.")
  .max(MAX_GATE_DIGESTS, `Give at most ${MAX_GATE_DIGESTS} digests.`)
  .transform((list) => [...new Set(list)])
  .describe("The content digests of what is deployed (sha256:<64 hex>)");
const environment = text(60, "the environment, e.g. production")
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "Give the environment in lower case, e.g. production.")
  .describe("The environment deployed to, as the CMDB names it (production, staging, ...)");
const pipelineRunUrl = z
  .url({ protocol: /^https?$/, message: "Give the pipeline run's http(s) address." })
  .max(2000, "Use at most 2000 characters.")
  .describe("The pipeline run's address; with the step, it names this deployment");
const pipelineStep = z
  .string()
  .trim()
  .max(200, "Use at most 200 characters.")
  .regex(NO_CONTROL, "Remove the control characters.")
  .default("")
  .describe("The step or job within the run; a rerun of the same step gets the same answer while it holds");
const changeNumber = z
  .union([z.number().int().positive().max(2_147_483_647), z.string().regex(/^(CHG-)?\d{1,10}$/i)], {
    message: "Give the change's number, e.g. 42 or CHG-000042.",
  })
  .transform((v) => (typeof v === "number" ? v : Number(v.replace(/^CHG-/i, ""))))
  .pipe(z.number().int().positive("Give the change's number, e.g. 42 or CHG-000042.").max(2_147_483_647))
  .optional()
  .describe("The change that approves this deployment; without it the gate matches by digest and CI");
const instant = z
  .string({ message: INSTANT_MESSAGE })
  .pipe(z.iso.datetime({ offset: true, message: INSTANT_MESSAGE }))
  .transform((s) => new Date(s));

/** POST /api/v1/deployments/check */
export const gateCheckBodySchema = z
  .object({
    environment,
    cis: z
      .array(text(200, "the configuration item's name"), { message: "Give the configuration items' names as a list." })
      .min(1, "Name at least one configuration item.")
      .max(MAX_GATE_CIS, `Name at most ${MAX_GATE_CIS} configuration items.`)
      .transform((list) => [...new Set(list)])
      .describe("The configuration items deployed to, by their CMDB names"),
    digests,
    changeNumber,
    pipelineRunUrl,
    pipelineStep,
  })
  .strict();
export type GateCheckBody = z.output<typeof gateCheckBodySchema>;

const reasonSchema = z.object({ code: z.enum(GATE_REASON_CODES), message: z.string() });
const changeSummarySchema = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    reference: z.string(),
    title: z.string(),
    state: z.enum(CHANGE_STATES),
    type: z.enum(CHANGE_TYPES),
  })
  .nullable();

export const gateAnswerSchema = z.object({
  decision: z.enum(["allow", "deny"]),
  allowed: z.boolean(),
  /** Every reason in one line, for a pipeline's log. */
  summary: z.string(),
  reasons: z.array(reasonSchema),
  change: changeSummarySchema,
  window: z.object({ start: z.iso.datetime(), end: z.iso.datetime(), opensAt: z.iso.datetime(), closesAt: z.iso.datetime() }).nullable(),
  decidedAt: z.iso.datetime(),
  validUntil: z.iso.datetime(),
  decisionId: z.uuid().nullable(),
  replayed: z.boolean(),
});
export type GateAnswer = z.infer<typeof gateAnswerSchema>;

/** POST /api/v1/deployments */
export const deploymentReportBodySchema = z
  .object({
    environment,
    ci: text(200, "the configuration item's name").describe("The configuration item deployed to, by its CMDB name"),
    digests,
    status: z.enum(DEPLOYMENT_STATUSES, { message: "Give started, succeeded, failed or rolled_back." }),
    startedAt: instant.optional().describe("When the deployment started; the reconciliation judges it at this time"),
    finishedAt: instant.optional(),
    changeNumber,
    pipelineRunUrl,
    pipelineStep,
    commitSha: z
      .string()
      .regex(/^[0-9a-f]{7,64}$/, "Give the commit as 7 to 64 lower-case hex digits.")
      .optional(),
    committedAt: instant.optional(),
    triggeredBy: text(200, "who triggered the run").optional(),
  })
  .strict();
export type DeploymentReportBody = z.output<typeof deploymentReportBodySchema>;

export const deploymentSchema = z.object({
  id: z.uuid(),
  environment: z.string(),
  ci: z.object({ id: z.uuid().nullable(), name: z.string() }),
  digests: z.array(z.string()),
  status: z.enum(DEPLOYMENT_STATUSES),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  pipelineRunUrl: z.string(),
  pipelineStep: z.string(),
  commitSha: z.string().nullable(),
  committedAt: z.iso.datetime().nullable(),
  triggeredBy: z.string().nullable(),
  change: changeSummarySchema,
  authorized: z.boolean(),
  unauthorizedReason: z.string().nullable(),
  reasons: z.array(reasonSchema),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type DeploymentDto = z.infer<typeof deploymentSchema>;
