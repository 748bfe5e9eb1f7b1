import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCAN_POLICY,
  describeLimits,
  evaluateScanPolicy,
  parseStoredScanPolicy,
  type ArtifactScan,
  type ScanPolicy,
  type ScanPolicyArtifact,
} from "@/lib/domain/scan-policy";

const DIGEST = `sha256:${"a".repeat(64)}`;
const clean: ArtifactScan = {
  scanner: "trivy",
  scannedAt: new Date("2026-12-01T00:00:00Z"),
  critical: 0,
  high: 2,
  medium: 5,
  low: 9,
  knownExploited: 0,
};
const artifact = (scan: Partial<ArtifactScan> = {}, digest = DIGEST): ScanPolicyArtifact => ({
  name: "api",
  version: "1.2.3",
  digest,
  scan: { ...clean, ...scan },
});
const noScan: ArtifactScan = { scanner: null, scannedAt: null, critical: null, high: null, medium: null, low: null, knownExploited: null };
const prod = { name: "payments-db", environment: "production", criticality: 2 };
const staging = { name: "payments-staging", environment: "staging", criticality: 4 };

describe("evaluateScanPolicy (default policy)", () => {
  it("passes a clean artifact bound for production", () => {
    const r = evaluateScanPolicy([artifact()], DEFAULT_SCAN_POLICY, [prod]);
    expect(r).toMatchObject({ applies: true, passes: true, environments: ["production"], violations: [] });
  });

  it("refuses a critical finding in production, naming the artifact and digest", () => {
    const r = evaluateScanPolicy([artifact({ critical: 1 })], DEFAULT_SCAN_POLICY, [prod]);
    expect(r.passes).toBe(false);
    expect(r.violations).toEqual([
      {
        code: "scan_critical",
        digest: DIGEST,
        artifact: "api 1.2.3",
        message: "api 1.2.3 has 1 critical finding (at most 0 allowed in production).",
      },
    ]);
  });

  it("refuses a known-exploited finding even with no critical one", () => {
    const r = evaluateScanPolicy([artifact({ knownExploited: 2 })], DEFAULT_SCAN_POLICY, [prod]);
    expect(r.violations.map((v) => v.code)).toEqual(["scan_known_exploited"]);
  });

  it("refuses an artifact with no scan summary, and one whose scanner left the critical count out", () => {
    expect(evaluateScanPolicy([artifact(noScan)], DEFAULT_SCAN_POLICY, [prod]).violations.map((v) => v.code)).toEqual(["scan_missing"]);
    expect(evaluateScanPolicy([artifact({ critical: null })], DEFAULT_SCAN_POLICY, [prod]).violations.map((v) => v.code)).toEqual([
      "scan_critical",
    ]);
  });

  it("does not apply to a change that touches no production CI", () => {
    const r = evaluateScanPolicy([artifact({ critical: 7 })], DEFAULT_SCAN_POLICY, [staging]);
    expect(r).toMatchObject({ applies: false, passes: true, limits: null });
  });

  it("matches environments case-insensitively and checks every artifact", () => {
    const other = `sha256:${"b".repeat(64)}`;
    const r = evaluateScanPolicy([artifact(), artifact({ critical: 3 }, other)], DEFAULT_SCAN_POLICY, [
      { ...prod, environment: "Production" },
    ]);
    expect(r.violations.map((v) => v.digest)).toEqual([other]);
  });
});

describe("evaluateScanPolicy (configured rules)", () => {
  const policy: ScanPolicy = {
    rules: [
      {
        environment: "*",
        minCriticality: 1,
        maxCritical: 2,
        maxHigh: null,
        maxMedium: null,
        maxLow: null,
        maxKnownExploited: null,
        requireScan: false,
      },
      {
        environment: "staging",
        minCriticality: 4,
        maxCritical: 0,
        maxHigh: 3,
        maxMedium: null,
        maxLow: null,
        maxKnownExploited: 0,
        requireScan: true,
      },
    ],
  };

  it("takes the strictest limit of every rule that matches any of the CIs", () => {
    const r = evaluateScanPolicy([artifact({ critical: 1, high: 4 })], policy, [staging]);
    expect(r.limits).toMatchObject({ maxCritical: 0, maxHigh: 3, maxKnownExploited: 0, requireScan: true });
    expect(r.violations.map((v) => v.code)).toEqual(["scan_critical", "scan_high"]);
  });

  it("leaves out a rule whose criticality threshold the CI is below", () => {
    const r = evaluateScanPolicy([artifact({ critical: 1, high: 4 })], policy, [{ ...staging, criticality: 3 }]);
    expect(r).toMatchObject({ passes: true, limits: { maxCritical: 2, maxHigh: null, requireScan: false } });
  });

  it("lets an unscanned artifact through where no rule requires a scan", () => {
    expect(evaluateScanPolicy([artifact(noScan)], policy, [prod]).passes).toBe(true);
  });
});

describe("stored scan policy", () => {
  it("falls back to the default for nothing stored or a value that does not parse", () => {
    expect(parseStoredScanPolicy(null)).toBe(DEFAULT_SCAN_POLICY);
    expect(parseStoredScanPolicy({ rules: [{ environment: "production", minCriticality: 9 }] })).toBe(DEFAULT_SCAN_POLICY);
    expect(parseStoredScanPolicy({ rules: [{ ...DEFAULT_SCAN_POLICY.rules[0], maxCritical: -1 }] })).toBe(DEFAULT_SCAN_POLICY);
  });

  it("describes limits in words", () => {
    expect(describeLimits(DEFAULT_SCAN_POLICY.rules[0]!)).toBe("no critical, no known-exploited, scan required");
  });
});
