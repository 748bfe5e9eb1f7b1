import "server-only";
import { checkDeployment } from "../../deployments/check-deployment";
import { recordDeployment } from "../../deployments/record-deployment";
import { pageResponse } from "../api-pages";
import { deploymentReportBodySchema, deploymentSchema, gateAnswerSchema, gateCheckBodySchema } from "../../deployments/deployment-schemas";
import { deploymentListQuerySchema, deploymentListSchema } from "../deployment-list-schemas";
import { listDeployments } from "../read-deployments";
import { endpoint } from "../endpoint";
import { ok } from "@/lib/domain/result";

/** The deployment gate: allow or deny, with every reason. */
export const checkDeploymentGate = endpoint({
  method: "POST",
  path: "/deployments/check",
  tag: "Deployments",
  summary: "Ask the deployment gate",
  description:
    "May these digests go to these configuration items in this environment now? Answers `allow` or `deny` (also in the `Gate-Decision` header) with every reason (code and sentence), the change it matched, its window with the grace, and `validUntil`: a rerun of the same `pipelineRunUrl` and `pipelineStep` gets the same answer until then. Anything the gate cannot decide is a deny (`gate_error`). Every answer is an audit event naming the token and the run. Implementers (a pipeline's service account) and change managers.",
  scope: "deployments:write",
  input: gateCheckBodySchema,
  output: gateAnswerSchema,
  run: (actor, body) => checkDeployment(actor, body),
  respond: (answer) => Response.json(answer, { headers: { "Cache-Control": "no-store", "Gate-Decision": answer.decision } }),
});

/** A pipeline reports a deployment, reconciled with the changes by the gate's rules. */
export const reportDeployment = endpoint({
  method: "POST",
  path: "/deployments",
  tag: "Deployments",
  summary: "Report a deployment",
  description:
    "Records a deployment once per `pipelineRunUrl` and `pipelineStep`, reconciled by the gate's rules at `startedAt` (or now): `authorized`, or not with `unauthorizedReason` (no_change, digest_not_approved, outside_window, in_freeze, ...) and every reason; an unauthorized one is told to change managers and security reviewers at once. A later report of the same step moves its status on (started → succeeded, failed or rolled_back; a finished one → rolled_back); the same status again changes nothing; other digests, CI or environment under the same step are a 409. Where the change allows it, an authorized deployment reported by the change's assigned implementer starts the change and records its outcome.",
  scope: "deployments:write",
  input: deploymentReportBodySchema,
  output: deploymentSchema,
  problems: [409],
  run: async (actor, body) => {
    const recorded = await recordDeployment(actor, body);
    return recorded.ok ? ok(recorded.value.deployment) : recorded;
  },
});

/** Reported deployments, newest first. */
export const listDeploymentRecords = endpoint({
  method: "GET",
  path: "/deployments",
  tag: "Deployments",
  summary: "List reported deployments",
  description:
    "Newest first, by `environment`, `ci` (name), `status` and `authorized`; follow `next` for the next page. For the roles that see every change.",
  scope: "deployments:read",
  input: deploymentListQuerySchema,
  output: deploymentListSchema,
  run: listDeployments,
  respond: pageResponse,
});
