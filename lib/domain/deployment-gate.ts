import { can } from "./capabilities";
import type { ChangeState } from "./change-states";
import type { ChangeType } from "./change-types";
import { changeReference } from "./change-visibility";
import { evaluateScanPolicy, type ScanPolicy, type ScanPolicyArtifact } from "./scan-policy";
import { exceptionCovers, freezeVerdict, type FreezeExceptionFacts } from "./schedule-conflicts";
import { describeFreeze, freezeCovers, type FreezeWindowFacts } from "./schedule-windows";
import { formatUtc } from "./utc-time";

// The deployment gate and the reconciliation of reported deployments ask this one function: may
// these digests go to these CIs in this environment now, under which change, and why not.

export const GATE_REASON_CODES = [
  "no_change",
  "change_not_found",
  "change_not_open",
  "no_window",
  "outside_window",
  "in_freeze",
  "digest_not_approved",
  "scan_policy",
  "unknown_ci",
  "ci_not_in_change",
  "environment_mismatch",
  "gate_error",
] as const;
export type GateReasonCode = (typeof GATE_REASON_CODES)[number];
export type GateReason = { code: GateReasonCode; message: string };

/** A configuration item the request named and the CMDB knows. */
export type GateCi = { id: string; name: string; environment: string; criticality: number; tags: readonly string[] };

/** A change that could carry the deployment, with what its approval covers. */
export type GateChange = {
  id: string;
  number: number;
  title: string;
  type: ChangeType;
  state: ChangeState;
  plannedStart: Date | null;
  plannedEnd: Date | null;
  ciIds: readonly string[];
  artifacts: readonly ScanPolicyArtifact[];
  freezeException: FreezeExceptionFacts | null;
  /** A security reviewer waived the scan policy's checklist item on this change, and the waiver has not lapsed. */
  scanPolicyWaived: boolean;
};

export type GateRequest = {
  environment: string;
  /** CI names as the pipeline sent them. */
  cis: readonly string[];
  digests: readonly string[];
  /** The change number the pipeline named, if any: then only that change may match. */
  changeNumber: number | null;
  at: Date;
};

export type GateSettings = { graceMinutes: number; holdSeconds: number };

export type GateFacts = {
  request: GateRequest;
  /** The requested CIs the CMDB knows (by name). */
  cis: readonly GateCi[];
  /** The changes that could match: the named one, or those approving any digest or naming any CI. */
  candidates: readonly GateChange[];
  /** Freezes in force at `at` or starting before the answer would stop holding. */
  freezes: readonly FreezeWindowFacts[];
  /** The same policy the change's checklist item is judged by (lib/domain/scan-policy.ts). */
  scanPolicy: ScanPolicy;
  settings: GateSettings;
};

export type GateDecision = {
  allowed: boolean;
  reasons: GateReason[];
  change: { id: string; number: number; reference: string; title: string; state: ChangeState; type: ChangeType } | null;
  /** The change's approved window and how far the grace stretches it. */
  window: { start: Date; end: Date; opensAt: Date; closesAt: Date } | null;
  /** Until when a rerun of the same pipeline step gets this answer; a deny holds only for its moment. */
  validUntil: Date;
};

const OPEN_STATES: readonly ChangeState[] = ["scheduled", "implementing"];
const MINUTE = 60_000;

/** Decides the deployment against every candidate: the first that allows it, else the one that comes closest, with every reason. */
export function decideDeployment(facts: GateFacts): GateDecision {
  const { request } = facts;
  const unknown = unknownCiReasons(facts);
  if (facts.candidates.length === 0) return deny(request.at, [noChangeReason(request), ...unknown]);
  const judged = facts.candidates.map((change) => judge(facts, change, unknown));
  // Several changes approve it: the one already being implemented, else the earliest window.
  const [best] = judged.filter((j) => j.reasons.length === 0).sort((a, b) => rank(a.change) - rank(b.change));
  if (best) return { allowed: true, reasons: [], change: summary(best.change), window: best.window, validUntil: holdsUntil(facts, best) };
  const [closest] = judged.sort((a, b) => a.reasons.length - b.reasons.length || rank(a.change) - rank(b.change));
  if (!closest) return deny(request.at, [noChangeReason(request), ...unknown]);
  return { allowed: false, reasons: closest.reasons, change: summary(closest.change), window: closest.window, validUntil: request.at };
}

type Judged = { change: GateChange; reasons: GateReason[]; window: GateDecision["window"] };

function judge(facts: GateFacts, change: GateChange, unknown: GateReason[]): Judged {
  const { request, settings } = facts;
  const ref = changeReference(change.number);
  const window = windowOf(change, settings.graceMinutes);
  const requested = facts.cis;
  const reasons: GateReason[] = [...unknown];
  if (!OPEN_STATES.includes(change.state))
    reasons.push({
      code: "change_not_open",
      message: `${ref} is ${change.state.replaceAll("_", " ")}; deployments run only while a change is scheduled or implementing.`,
    });
  if (!window) reasons.push({ code: "no_window", message: `${ref} has no approved window.` });
  else if (request.at < window.opensAt || request.at > window.closesAt)
    reasons.push({
      code: "outside_window",
      message: `${ref} is approved for ${formatUtc(window.start)} to ${formatUtc(window.end)} (with ${settings.graceMinutes} minutes' grace); it is now ${formatUtc(request.at)}.`,
    });
  reasons.push(...freezeReasons(facts, change, requested, request.at));
  const approved = new Map(change.artifacts.map((a) => [a.digest, a]));
  const missing = request.digests.filter((d) => !approved.has(d));
  if (missing.length > 0)
    reasons.push({
      code: "digest_not_approved",
      message: `${ref} does not approve ${missing.length === 1 ? "the digest" : "the digests"} ${missing.join(", ")}; it approves ${change.artifacts.length ? change.artifacts.map((a) => `${a.name} ${a.version} (${a.digest})`).join(", ") : "no artifacts"}.`,
    });
  if (!change.scanPolicyWaived) {
    const shipped = request.digests.flatMap((d) => approved.get(d) ?? []);
    const targets = requested.map((ci) => ({ name: ci.name, environment: request.environment, criticality: ci.criticality }));
    for (const v of evaluateScanPolicy(shipped, facts.scanPolicy, targets).violations)
      reasons.push({ code: "scan_policy", message: v.message });
  }
  for (const ci of requested) {
    if (!change.ciIds.includes(ci.id))
      reasons.push({ code: "ci_not_in_change", message: `${ref} does not name ${ci.name} among its configuration items.` });
    if (ci.environment !== request.environment)
      reasons.push({
        code: "environment_mismatch",
        message: `${ci.name} is in the ${ci.environment} environment, not ${request.environment}.`,
      });
  }
  return { change, reasons, window };
}

function freezeReasons(facts: GateFacts, change: GateChange, cis: readonly GateCi[], at: Date): GateReason[] {
  const planned = change.plannedStart && change.plannedEnd ? { start: change.plannedStart, end: change.plannedEnd } : null;
  const verdict = freezeVerdict(change.type, exceptionCovers(change.freezeException, planned));
  if (verdict.severity !== "block") return [];
  return facts.freezes
    .filter((f) => f.start <= at && at < f.end && freezeCovers(f, cis))
    .map((f) => ({ code: "in_freeze", message: `Now is inside the freeze ${describeFreeze(f)}. ${verdict.proceed}` }));
}

function unknownCiReasons({ request, cis }: GateFacts): GateReason[] {
  const known = new Set(cis.map((ci) => ci.name));
  return request.cis
    .filter((name) => !known.has(name))
    .map((name) => ({ code: "unknown_ci", message: `No configuration item is named "${name}"; use its name in the CMDB.` }));
}

function noChangeReason(request: GateRequest): GateReason {
  if (request.changeNumber !== null)
    return {
      code: "change_not_found",
      message: `There is no change ${changeReference(request.changeNumber)} you may see. Check the number, or leave it out to match by digest.`,
    };
  return {
    code: "no_change",
    message: `No change approves ${request.digests.length === 1 ? "this digest" : "these digests"} for ${request.cis.join(", ")} in ${request.environment}. File a change listing these artifacts and deploy once it is scheduled, or an emergency change if it cannot wait.`,
  };
}

function windowOf(change: GateChange, graceMinutes: number): GateDecision["window"] {
  if (!change.plannedStart || !change.plannedEnd) return null;
  const grace = graceMinutes * MINUTE;
  return {
    start: change.plannedStart,
    end: change.plannedEnd,
    opensAt: new Date(change.plannedStart.getTime() - grace),
    closesAt: new Date(change.plannedEnd.getTime() + grace),
  };
}

/** An allow holds for the hold time, never past the window's grace nor into a freeze that would stop it. */
function holdsUntil(facts: GateFacts, { change, window }: Judged): Date {
  const { at } = facts.request;
  let until = Math.min(at.getTime() + facts.settings.holdSeconds * 1000, window ? window.closesAt.getTime() : at.getTime());
  const planned = change.plannedStart && change.plannedEnd ? { start: change.plannedStart, end: change.plannedEnd } : null;
  if (freezeVerdict(change.type, exceptionCovers(change.freezeException, planned)).severity === "block")
    for (const f of facts.freezes) if (f.start > at && freezeCovers(f, facts.cis)) until = Math.min(until, f.start.getTime());
  return new Date(until);
}

function rank(change: GateChange): number {
  const implementing = change.state === "implementing" ? 0 : 1;
  return implementing * 1e15 + (change.plannedStart?.getTime() ?? 1e15);
}

function summary(change: GateChange): GateDecision["change"] {
  const { id, number, title, state, type } = change;
  return { id, number, reference: changeReference(number), title, state, type };
}

function deny(at: Date, reasons: GateReason[]): GateDecision {
  return { allowed: false, reasons, change: null, window: null, validUntil: at };
}

/** The answer when the gate could not decide: it never fails open. */
export function gateFailure(at: Date, ref: string): GateDecision {
  return deny(at, [
    {
      code: "gate_error",
      message: `The gate could not decide (ref ${ref}), so the deployment is denied. Try again in a moment; if it persists, tell the portal's operators the reference.`,
    },
  ]);
}

/** The first reason's code: what a deployment record keeps as its unauthorized reason. */
export function primaryReason(decision: Pick<GateDecision, "allowed" | "reasons">): GateReasonCode | null {
  return decision.allowed ? null : (decision.reasons[0]?.code ?? "gate_error");
}

/** Who may ask the gate or report deployments: those who carry changes out (a pipeline's service account is an implementer), and change managers. */
export function deploymentCallerRefusal(roles: Parameters<typeof can>[0]): string | null {
  return can(roles, "change.implement") || can(roles, "change.manage")
    ? null
    : "Only an implementer (a person, or a pipeline's service account) or a change manager may ask the deployment gate or report deployments.";
}

/** Every reason in one line, for a pipeline's log. */
export function gateSummary(decision: GateDecision): string {
  if (decision.allowed && decision.change)
    return `Allowed: ${decision.change.reference} "${decision.change.title}" approves this deployment until ${formatUtc(decision.validUntil)}.`;
  return `Denied: ${decision.reasons.map((r) => r.message).join(" ")}`;
}
