import type { ChangeType } from "./change-types";
import type { Exposure } from "./exposure";
import type { RiskLevel } from "./risk-levels";

/** The one place the risk model's weights live; the caps add up to 100. Each has a unit test. */
export const RISK_WEIGHTS = {
  criticality: { byLevel: { 1: 0, 2: 7, 3: 14, 4: 20 }, cap: 20 },
  exposure: { byExposure: { internet_facing: 15, internal: 6, isolated: 0 }, cap: 15 },
  blastRadius: { perDependent: 2, cap: 15 },
  vulnerability: { perCvssPoint: 1, knownExploited: 5, cap: 15 },
  window: { perStartedHalfHour: 1, cap: 10 },
  backout: { untested: 10, cap: 10 },
  changeType: { byType: { standard: 0, normal: 2, emergency: 4, major: 5 }, cap: 5 },
  history: { perEvent: 3, cap: 10 },
} as const;

/** The lowest score of each level above low. */
export const RISK_LEVEL_THRESHOLDS = { medium: 25, high: 50, critical: 75 } as const;

export type RiskInput = {
  type: ChangeType;
  /** The affected configuration items; an optional name makes explanations concrete. */
  cis: readonly { name?: string; criticality: number; exposure: Exposure }[];
  /** Count of CIs that depend on the affected ones, transitively (see blastRadius). */
  dependentCount: number;
  /** CVEs the change addresses or touches. */
  cves: readonly { cvssBaseScore: number; knownExploited: boolean }[];
  /** Length of the outage or exposure window. */
  windowMinutes: number;
  /** Whether someone other than the requester recorded a backout test (backoutTestCounts), not the requester's own box. */
  backoutTested: boolean;
  /** Failed changes and incidents on these CIs in the last 90 days. */
  recentFailures: number;
};

export type RiskFactorKey = keyof typeof RISK_WEIGHTS;

export type RiskFactor = { factor: RiskFactorKey; points: number; max: number; explanation: string; phrase: string };

export type RiskAssessment = { score: number; level: RiskLevel; factors: RiskFactor[]; summary: string };

export function riskLevelOf(score: number): RiskLevel {
  if (score >= RISK_LEVEL_THRESHOLDS.critical) return "critical";
  if (score >= RISK_LEVEL_THRESHOLDS.high) return "high";
  if (score >= RISK_LEVEL_THRESHOLDS.medium) return "medium";
  return "low";
}

/** Deterministic and explainable: the score is the sum of the factors' capped points, each shown. */
export function assessRisk(input: RiskInput): RiskAssessment {
  const factors = [
    criticalityFactor(input),
    exposureFactor(input),
    countFactor(
      "blastRadius",
      input.dependentCount,
      RISK_WEIGHTS.blastRadius.perDependent,
      `${input.dependentCount} dependent CI${s(input.dependentCount)}`,
    ),
    vulnerabilityFactor(input),
    windowFactor(input.windowMinutes),
    factor(
      "backout",
      input.backoutTested ? 0 : RISK_WEIGHTS.backout.untested,
      input.backoutTested
        ? "Backout test recorded by someone other than the requester."
        : "No backout test recorded by someone other than the requester (the requester's own word does not count).",
      "backout test not recorded",
    ),
    factor("changeType", RISK_WEIGHTS.changeType.byType[input.type], `A ${input.type} change.`, `${input.type} change`),
    countFactor(
      "history",
      input.recentFailures,
      RISK_WEIGHTS.history.perEvent,
      `${input.recentFailures} failed change${s(input.recentFailures)} or incident${s(input.recentFailures)} on these CIs in 90 days`,
    ),
  ];
  const score = Math.min(
    100,
    factors.reduce((sum, f) => sum + f.points, 0),
  );
  return { score, level: riskLevelOf(score), factors, summary: summarize(factors) };
}

function factor(key: RiskFactorKey, raw: number, explanation: string, phrase: string): RiskFactor {
  const max = RISK_WEIGHTS[key].cap;
  return { factor: key, points: Math.max(0, Math.min(max, raw)), max, explanation, phrase };
}

function countFactor(key: "blastRadius" | "history", count: number, per: number, phrase: string): RiskFactor {
  const n = Math.max(0, Math.floor(count));
  const capped = n * per > RISK_WEIGHTS[key].cap ? ` (capped at ${RISK_WEIGHTS[key].cap})` : "";
  return factor(key, n * per, `${phrase[0]!.toUpperCase()}${phrase.slice(1)}: ${per} each${capped}.`, phrase);
}

function criticalityFactor(input: RiskInput): RiskFactor {
  const top = Math.max(1, Math.min(4, Math.round(Math.max(1, ...input.cis.map((ci) => ci.criticality))))) as 1 | 2 | 3 | 4;
  const what = input.cis.length === 0 ? "No configuration items named yet." : `The most critical affected CI has criticality ${top} of 4.`;
  return factor("criticality", RISK_WEIGHTS.criticality.byLevel[top], what, `criticality ${top} CI`);
}

const EXPOSURE_PHRASES = { internet_facing: "internet-facing CI", internal: "internal CI", isolated: "isolated CI" } as const;

function exposureFactor(input: RiskInput): RiskFactor {
  // The most exposed CI decides: an attacker needs only one way in.
  const order = ["internet_facing", "internal", "isolated"] as const;
  const top = order.find((e) => input.cis.some((ci) => ci.exposure === e)) ?? "isolated";
  return factor(
    "exposure",
    RISK_WEIGHTS.exposure.byExposure[top],
    `The most exposed affected CI is ${top.replace("_", "-")}.`,
    EXPOSURE_PHRASES[top],
  );
}

function vulnerabilityFactor(input: RiskInput): RiskFactor {
  if (input.cves.length === 0) return factor("vulnerability", 0, "No CVEs are referenced.", "no CVEs");
  const cvss = Math.max(...input.cves.map((c) => c.cvssBaseScore));
  const exploited = input.cves.some((c) => c.knownExploited);
  const w = RISK_WEIGHTS.vulnerability;
  const points = Math.round(cvss * w.perCvssPoint) + (exploited ? w.knownExploited : 0);
  const phrase = `CVE with CVSS ${cvss.toFixed(1)}${exploited ? ", known exploited" : ""}`;
  return factor(
    "vulnerability",
    points,
    `Highest CVSS base score ${cvss.toFixed(1)}${exploited ? "; a referenced CVE is known to be exploited" : ""}.`,
    phrase,
  );
}

function windowFactor(minutes: number): RiskFactor {
  const m = Math.max(0, Math.round(minutes));
  const halfHours = Math.ceil(m / 30);
  return factor(
    "window",
    halfHours * RISK_WEIGHTS.window.perStartedHalfHour,
    `An outage or exposure window of ${m} minutes: 1 per started half hour.`,
    `${m}-minute window`,
  );
}

// Names the two biggest drivers, e.g. "internet-facing CI with criticality 4, backout test not recorded".
function summarize(factors: readonly RiskFactor[]): string {
  const byKey = new Map(factors.map((f) => [f.factor, f]));
  const crit = byKey.get("criticality")!;
  const exp = byKey.get("exposure")!;
  const merged: { points: number; phrase: string }[] = factors.filter((f) => f.factor !== "criticality" && f.factor !== "exposure");
  if (crit.points > 0 && exp.points > 0)
    merged.push({ points: crit.points + exp.points, phrase: `${exp.phrase} with criticality ${crit.phrase.split(" ")[1]}` });
  else merged.push(crit, exp);
  const top = merged
    .filter((f) => f.points > 0)
    .sort((a, b) => b.points - a.points)
    .slice(0, 2);
  return top.length === 0 ? "no notable risk factors" : top.map((f) => f.phrase).join(", ");
}

function s(n: number): string {
  return n === 1 ? "" : "s";
}
