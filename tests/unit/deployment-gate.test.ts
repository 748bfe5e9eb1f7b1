import { describe, expect, it } from "vitest";
import { decideDeployment, gateFailure, primaryReason, type GateChange, type GateFacts } from "@/lib/domain/deployment-gate";
import { DEFAULT_SCAN_POLICY, type ArtifactScan, type ScanPolicyArtifact } from "@/lib/domain/scan-policy";
import type { FreezeWindowFacts } from "@/lib/domain/schedule-windows";

const at = (iso: string) => new Date(`${iso}Z`);
const D1 = `sha256:${"a".repeat(64)}`;
const D2 = `sha256:${"b".repeat(64)}`;
const api = { id: "ci-api", name: "shop-api", environment: "production", criticality: 3, tags: ["pci"] };
const staging = { id: "ci-stg", name: "shop-api-staging", environment: "staging", criticality: 3, tags: [] };

const artifact = (digest = D1, scan: Partial<ArtifactScan> | null = {}): ScanPolicyArtifact => ({
  name: "shop-api",
  version: "1.4.2",
  digest,
  scan:
    scan === null
      ? { scanner: null, scannedAt: null, critical: null, high: null, medium: null, low: null, knownExploited: null }
      : { scanner: "trivy", scannedAt: at("2026-03-04T10:00"), critical: 0, high: 3, medium: 7, low: 12, knownExploited: 0, ...scan },
});

const change = (extra: Partial<GateChange> = {}): GateChange => ({
  id: "c1",
  number: 42,
  title: "Ship 1.4.2",
  type: "normal",
  state: "scheduled",
  plannedStart: at("2026-03-05T20:00"),
  plannedEnd: at("2026-03-05T21:00"),
  ciIds: [api.id],
  artifacts: [artifact()],
  freezeException: null,
  scanPolicyWaived: false,
  ...extra,
});

const freeze = (extra: Partial<FreezeWindowFacts> = {}): FreezeWindowFacts => ({
  id: "f1",
  reason: "Quarter-end close",
  scope: "all",
  environments: [],
  tags: [],
  start: at("2026-03-05T00:00"),
  end: at("2026-03-06T00:00"),
  ...extra,
});

const facts = (extra: Partial<GateFacts> = {}, request: Partial<GateFacts["request"]> = {}): GateFacts => ({
  request: { environment: "production", cis: ["shop-api"], digests: [D1], changeNumber: null, at: at("2026-03-05T20:30"), ...request },
  cis: [api],
  candidates: [change()],
  freezes: [],
  scanPolicy: DEFAULT_SCAN_POLICY,
  settings: { graceMinutes: 15, holdSeconds: 900 },
  ...extra,
});

const codes = (f: GateFacts) => decideDeployment(f).reasons.map((r) => r.code);

describe("decideDeployment", () => {
  it("allows an approved digest to the change's CI inside its window, naming the change and how long it holds", () => {
    const decision = decideDeployment(facts());
    expect(decision).toMatchObject({ allowed: true, reasons: [], change: { reference: "CHG-000042", state: "scheduled" } });
    expect(decision.window).toMatchObject({ opensAt: at("2026-03-05T19:45"), closesAt: at("2026-03-05T21:15") });
    expect(decision.validUntil).toEqual(at("2026-03-05T20:45"));
  });

  it("never holds an allow past the window's grace", () => {
    expect(decideDeployment(facts({}, { at: at("2026-03-05T21:10") })).validUntil).toEqual(at("2026-03-05T21:15"));
  });

  it("denies with what to do when no change matches", () => {
    const decision = decideDeployment(facts({ candidates: [] }));
    expect(decision.allowed).toBe(false);
    expect(decision.reasons).toEqual([{ code: "no_change", message: expect.stringContaining("File a change") }]);
    expect(decision.reasons[0]?.message).toContain("emergency change");
    expect(primaryReason(decision)).toBe("no_change");
  });

  it("says a named change does not exist rather than matching another", () => {
    expect(codes(facts({ candidates: [] }, { changeNumber: 7 }))).toEqual(["change_not_found"]);
  });

  it.each(["draft", "submitted", "assessment", "authorization", "review", "closed", "cancelled"] as const)(
    "denies a change that is %s (only scheduled or implementing)",
    (state) => expect(codes(facts({ candidates: [change({ state })] }))).toEqual(["change_not_open"]),
  );

  it("allows a change being implemented", () => {
    expect(decideDeployment(facts({ candidates: [change({ state: "implementing" })] })).allowed).toBe(true);
  });

  it("denies outside the window, and allows within the grace", () => {
    expect(codes(facts({}, { at: at("2026-03-05T19:44") }))).toEqual(["outside_window"]);
    expect(codes(facts({}, { at: at("2026-03-05T21:16") }))).toEqual(["outside_window"]);
    expect(codes(facts({}, { at: at("2026-03-05T19:46") }))).toEqual([]);
    expect(codes(facts({ settings: { graceMinutes: 0, holdSeconds: 900 } }, { at: at("2026-03-05T19:46") }))).toEqual(["outside_window"]);
  });

  it("denies a change with no window", () => {
    expect(codes(facts({ candidates: [change({ plannedStart: null, plannedEnd: null })] }))).toEqual(["no_window"]);
  });

  it("denies inside a freeze that covers the CI, unless emergency or excepted; a major change never", () => {
    const window = { start: at("2026-03-05T20:00"), end: at("2026-03-05T21:00") };
    const granted = { window, managerApproved: true, securityApproved: true };
    expect(codes(facts({ freezes: [freeze()] }))).toEqual(["in_freeze"]);
    expect(codes(facts({ freezes: [freeze({ scope: "environments", environments: ["staging"] })] }))).toEqual([]);
    expect(codes(facts({ freezes: [freeze({ scope: "tags", tags: ["pci"] })] }))).toEqual(["in_freeze"]);
    expect(codes(facts({ freezes: [freeze()], candidates: [change({ type: "emergency" })] }))).toEqual([]);
    expect(codes(facts({ freezes: [freeze()], candidates: [change({ freezeException: granted })] }))).toEqual([]);
    const half = { ...granted, securityApproved: false };
    expect(codes(facts({ freezes: [freeze()], candidates: [change({ freezeException: half })] }))).toEqual(["in_freeze"]);
    expect(codes(facts({ freezes: [freeze()], candidates: [change({ type: "major", freezeException: granted })] }))).toEqual(["in_freeze"]);
  });

  it("stops holding an allow when a freeze that would stop it begins", () => {
    const coming = freeze({ start: at("2026-03-05T20:40"), end: at("2026-03-06T00:00") });
    expect(decideDeployment(facts({ freezes: [coming] })).validUntil).toEqual(at("2026-03-05T20:40"));
  });

  it("denies a digest the change does not approve, naming it and what is approved", () => {
    const decision = decideDeployment(facts({}, { digests: [D1, D2] }));
    expect(decision.reasons.map((r) => r.code)).toEqual(["digest_not_approved"]);
    expect(decision.reasons[0]?.message).toContain(D2);
    expect(decision.reasons[0]?.message).toContain("shop-api 1.4.2");
  });

  it("denies an artifact that breaks production's scan policy, unless waived; other environments have none", () => {
    const bad = change({ artifacts: [artifact(D1, { critical: 2 })] });
    expect(codes(facts({ candidates: [bad] }))).toEqual(["scan_policy"]);
    expect(codes(facts({ candidates: [{ ...bad, scanPolicyWaived: true }] }))).toEqual([]);
    const unscanned = change({ artifacts: [artifact(D1, null)] });
    expect(codes(facts({ candidates: [unscanned] }))).toEqual(["scan_policy"]);
    const stagingChange = change({ ciIds: [staging.id], artifacts: [artifact(D1, { critical: 2 })] });
    expect(codes(facts({ cis: [staging], candidates: [stagingChange] }, { environment: "staging", cis: [staging.name] }))).toEqual([]);
  });

  it("denies CIs the change does not name, unknown CIs, and another environment", () => {
    expect(codes(facts({ cis: [api, staging] }, { cis: ["shop-api", "shop-api-staging"] }))).toEqual([
      "ci_not_in_change",
      "environment_mismatch",
    ]);
    expect(codes(facts({}, { cis: ["shop-api", "nope"] }))).toEqual(["unknown_ci"]);
    expect(codes(facts({}, { environment: "staging" }))).toEqual(["environment_mismatch"]);
  });

  it("gives every reason at once", () => {
    const decision = decideDeployment(
      facts({ freezes: [freeze()], candidates: [change({ state: "authorization" })] }, { digests: [D2], at: at("2026-03-05T23:00") }),
    );
    expect(decision.reasons.map((r) => r.code)).toEqual(["change_not_open", "outside_window", "in_freeze", "digest_not_approved"]);
    expect(decision.validUntil).toEqual(at("2026-03-05T23:00"));
  });

  it("prefers an allowing change among several, else the closest", () => {
    const other = change({ id: "c2", number: 43, state: "authorization" });
    expect(decideDeployment(facts({ candidates: [other, change()] })).change?.number).toBe(42);
    const twoReasons = change({ id: "c3", number: 44, state: "authorization", artifacts: [] });
    expect(decideDeployment(facts({ candidates: [twoReasons, other] })).change?.number).toBe(43);
  });

  it("fails closed", () => {
    const decision = gateFailure(at("2026-03-05T20:30"), "abc123");
    expect(decision).toMatchObject({ allowed: false, change: null });
    expect(primaryReason(decision)).toBe("gate_error");
    expect(decision.reasons[0]?.message).toContain("abc123");
  });
});

describe("the gate's scan rule", () => {
  it("is the change's scan policy: known-exploited findings deny, a configured limit applies", () => {
    const exploited = change({ artifacts: [artifact(D1, { knownExploited: 1 })] });
    const decision = decideDeployment(facts({ candidates: [exploited] }));
    expect(decision.reasons.map((r) => r.code)).toEqual(["scan_policy"]);
    expect(decision.reasons[0]?.message).toContain("known-exploited");
    const strict = { rules: [{ ...DEFAULT_SCAN_POLICY.rules[0]!, maxHigh: 0 }] };
    expect(codes(facts({ scanPolicy: strict }))).toEqual(["scan_policy"]);
    expect(codes(facts({ scanPolicy: { rules: [] } }))).toEqual([]);
  });
});
