import { describe, expect, it } from "vitest";
import { backoutTestCounts } from "@/lib/domain/backout-test";
import { assessRisk, RISK_LEVEL_THRESHOLDS, RISK_WEIGHTS, riskLevelOf, type RiskFactorKey, type RiskInput } from "@/lib/domain/risk";

// Every factor at zero: the baseline each weight test changes one thing of.
const quiet: RiskInput = {
  type: "standard",
  cis: [],
  dependentCount: 0,
  cves: [],
  windowMinutes: 0,
  backoutTested: true,
  recentFailures: 0,
};
const pointsOf = (key: RiskFactorKey, change: Partial<RiskInput>) =>
  assessRisk({ ...quiet, ...change }).factors.find((f) => f.factor === key)!.points;

describe("risk weights, one factor at a time", () => {
  it("scores a change with no risk factors 0, low", () => {
    expect(assessRisk(quiet)).toMatchObject({ score: 0, level: "low", summary: "no notable risk factors" });
  });

  it.each([
    [1, 0],
    [2, 7],
    [3, 14],
    [4, 20],
  ])("criticality %i of the most critical CI gives %i", (criticality, points) => {
    expect(
      pointsOf("criticality", {
        cis: [
          { criticality: 1, exposure: "isolated" },
          { criticality, exposure: "isolated" },
        ],
      }),
    ).toBe(points);
  });

  it.each([
    ["internet_facing", 15],
    ["internal", 6],
    ["isolated", 0],
  ] as const)("exposure %s of the most exposed CI gives %i", (exposure, points) => {
    expect(
      pointsOf("exposure", {
        cis: [
          { criticality: 1, exposure: "isolated" },
          { criticality: 1, exposure },
        ],
      }),
    ).toBe(points);
  });

  it.each([
    [0, 0],
    [1, 2],
    [7, 14],
    [8, 15],
    [500, 15],
  ])("blast radius of %i dependents gives %i (2 each, capped at 15)", (dependentCount, points) => {
    expect(pointsOf("blastRadius", { dependentCount })).toBe(points);
  });

  it.each([
    [[], 0],
    [[{ cvssBaseScore: 4.4, knownExploited: false }], 4],
    [[{ cvssBaseScore: 9.8, knownExploited: false }], 10],
    [[{ cvssBaseScore: 7.5, knownExploited: true }], 13],
    [[{ cvssBaseScore: 9.8, knownExploited: true }], 15],
    [
      [
        { cvssBaseScore: 3.1, knownExploited: true },
        { cvssBaseScore: 8.1, knownExploited: false },
      ],
      13,
    ],
  ])("CVEs %j give %i (rounded max CVSS, +5 if known exploited, capped at 15)", (cves, points) => {
    expect(pointsOf("vulnerability", { cves })).toBe(points);
  });

  it.each([
    [0, 0],
    [1, 1],
    [30, 1],
    [31, 2],
    [240, 8],
    [300, 10],
    [10_000, 10],
  ])("a window of %i minutes gives %i (1 per started half hour, capped at 10)", (windowMinutes, points) => {
    expect(pointsOf("window", { windowMinutes })).toBe(points);
  });

  it.each([
    [true, 0],
    [false, 10],
  ])("backout tested %s gives %i", (backoutTested, points) => {
    expect(pointsOf("backout", { backoutTested })).toBe(points);
  });

  it.each([
    ["nobody", null, 10],
    ["the requester", "req", 10],
    ["someone else", "mgr", 0],
  ])("a backout test recorded by %s gives %i", (_who, backoutTestedById, points) => {
    const backoutTested = backoutTestCounts({ requesterId: "req", backoutTestedById });
    expect(pointsOf("backout", { backoutTested })).toBe(points);
    const explanation = assessRisk({ ...quiet, backoutTested }).factors.find((f) => f.factor === "backout")!.explanation;
    expect(explanation).toMatch(points ? /^No backout test recorded by someone other than the requester/ : /^Backout test recorded by/);
  });

  it.each([
    ["standard", 0],
    ["normal", 2],
    ["emergency", 4],
    ["major", 5],
  ] as const)("a %s change gives %i", (type, points) => {
    expect(pointsOf("changeType", { type })).toBe(points);
  });

  it.each([
    [0, 0],
    [1, 3],
    [3, 9],
    [4, 10],
    [40, 10],
  ])("%i failed changes or incidents in 90 days give %i (3 each, capped at 10)", (recentFailures, points) => {
    expect(pointsOf("history", { recentFailures })).toBe(points);
  });

  it("keeps the weights in one constant whose caps add up to 100", () => {
    const caps = Object.values(RISK_WEIGHTS).map((w) => w.cap);
    expect(caps.reduce((a, b) => a + b, 0)).toBe(100);
    expect(Object.keys(RISK_WEIGHTS)).toEqual([
      "criticality",
      "exposure",
      "blastRadius",
      "vulnerability",
      "window",
      "backout",
      "changeType",
      "history",
    ]);
  });
});

describe("risk score and level", () => {
  it.each([
    [0, "low"],
    [RISK_LEVEL_THRESHOLDS.medium - 1, "low"],
    [RISK_LEVEL_THRESHOLDS.medium, "medium"],
    [RISK_LEVEL_THRESHOLDS.high - 1, "medium"],
    [RISK_LEVEL_THRESHOLDS.high, "high"],
    [RISK_LEVEL_THRESHOLDS.critical - 1, "high"],
    [RISK_LEVEL_THRESHOLDS.critical, "critical"],
    [100, "critical"],
  ] as const)("a score of %i is %s", (score, level) => {
    expect(riskLevelOf(score)).toBe(level);
  });

  it("sums the factors, shows each with its maximum, and tops out at 100", () => {
    const worst: RiskInput = {
      type: "major",
      cis: [{ criticality: 4, exposure: "internet_facing" }],
      dependentCount: 50,
      cves: [{ cvssBaseScore: 10, knownExploited: true }],
      windowMinutes: 600,
      backoutTested: false,
      recentFailures: 9,
    };
    const result = assessRisk(worst);
    expect(result).toMatchObject({ score: 100, level: "critical" });
    expect(result.factors.every((f) => f.points === f.max)).toBe(true);
    expect(result.factors.map((f) => f.explanation.length > 10)).not.toContain(false);
  });

  it("explains a typical high-risk change in words, naming its main drivers", () => {
    const result = assessRisk({
      ...quiet,
      type: "normal",
      cis: [{ name: "payments-api", criticality: 4, exposure: "internet_facing" }],
      dependentCount: 3,
      backoutTested: false,
      windowMinutes: 60,
    });
    expect(result.score).toBe(20 + 15 + 6 + 10 + 2 + 2);
    expect(result.level).toBe("high");
    expect(result.summary).toBe("internet-facing CI with criticality 4, backout test not recorded");
    expect(result.factors.find((f) => f.factor === "blastRadius")!.explanation).toBe("3 dependent CIs: 2 each.");
  });

  it("is deterministic", () => {
    const input: RiskInput = { ...quiet, type: "emergency", cves: [{ cvssBaseScore: 9.1, knownExploited: true }], recentFailures: 2 };
    expect(assessRisk(input)).toEqual(assessRisk(structuredClone(input)));
  });
});
