import { describe, expect, it } from "vitest";
import { changeDraftSchema, blankDraftInput } from "@/lib/domain/change-input";
import { decideEdit } from "@/lib/domain/decide-edit";
import { decideSignOff } from "@/lib/domain/decide-sign-off";
import { decideWaiver } from "@/lib/domain/decide-waiver";
import { isItemDone } from "@/lib/domain/checklist";
import { artifactListSchema, fromStoredArtifact, toStoredArtifact } from "@/lib/domain/release-artifacts";
import { evaluateScanPolicy, DEFAULT_SCAN_POLICY } from "@/lib/domain/scan-policy";
import { checklistStanding, waiverLapsed } from "@/lib/domain/waiver-expiry";
import { draftChange, NOW, people } from "./change-fixtures";

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const one = { name: "api", version: "1.0.0", digest: digest("a") };
const errors = (list: unknown) => {
  const r = artifactListSchema.safeParse(list);
  return r.success ? [] : r.error.issues.map((i) => [i.path.join("."), i.message]);
};

describe("the artifact list (hostile input)", () => {
  it("takes a minimal artifact and fills the rest with null", () => {
    expect(artifactListSchema.parse([one])).toEqual([
      { ...one, sourceRepository: null, sourceCommit: null, sbomRef: null, provenanceRef: null, scan: null },
    ]);
  });

  it.each([
    ["upper-case hex", digest("A")],
    ["63 digits", `sha256:${"a".repeat(63)}`],
    ["65 digits", `sha256:${"a".repeat(65)}`],
    ["another algorithm", `sha512:${"a".repeat(64)}`],
    ["no prefix", "a".repeat(64)],
    ["a trailing newline smuggled in", `${digest("a")}\nx`],
    ["empty", ""],
  ])("refuses a digest with %s", (_what, bad) => {
    expect(errors([{ ...one, digest: bad }])).toEqual([["0.digest", 'Write the digest as "sha256:" and 64 lowercase hex digits.']]);
  });

  it("refuses negative, fractional, huge and textual counts, each by its path", () => {
    expect(errors([{ ...one, scan: { critical: -1 } }])[0]![0]).toBe("0.scan.critical");
    expect(errors([{ ...one, scan: { high: 0.5 } }])[0]![0]).toBe("0.scan.high");
    expect(errors([{ ...one, scan: { low: 1e12 } }])[0]![0]).toBe("0.scan.low");
    expect(errors([{ ...one, scan: { knownExploited: "3" } }])[0]![0]).toBe("0.scan.knownExploited");
    expect(errors([{ ...one, scan: { scannedAt: "yesterday" } }])).toEqual([
      ["0.scan.scannedAt", "Give the scan time as a date and time."],
    ]);
  });

  it("bounds the list, its references and unknown fields", () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ ...one, digest: `sha256:${i.toString(16).padStart(64, "0")}` }));
    expect(errors(many)).toEqual([["", "At most 50 artifacts per change."]]);
    expect(errors([{ ...one, provenanceRef: "x".repeat(2001) }])[0]![0]).toBe("0.provenanceRef");
    expect(errors([{ ...one, name: "n".repeat(201) }])[0]![0]).toBe("0.name");
    expect(errors([{ ...one, owner: "me" }])).toHaveLength(1);
    expect(errors([one, one])).toEqual([["1.digest", "Each digest once per change."]]);
  });

  it("round-trips through the stored columns", () => {
    const [parsed] = artifactListSchema.parse([
      { ...one, scan: { scanner: "trivy", scannedAt: "2026-12-01T10:00:00Z", critical: 0, high: 2 } },
    ]);
    expect(fromStoredArtifact(toStoredArtifact(parsed!))).toEqual(parsed);
  });

  it("asks a change that lists artifacts to be marked as deploying one", () => {
    const draft = {
      ...blankDraftInput(),
      type: "normal",
      title: "t",
      description: "",
      justification: "",
      implementationPlan: "",
      backoutPlan: "",
      testPlan: "",
      backoutTested: false,
      plannedStart: "",
      plannedEnd: "",
      ciIds: [],
    };
    const r = changeDraftSchema.safeParse({ ...draft, artifacts: [one] });
    expect(r.success ? null : r.error.issues.map((i) => i.path.join("."))).toEqual(["releaseArtifact"]);
    expect(changeDraftSchema.safeParse({ ...draft, releaseArtifact: true, artifacts: [one] }).success).toBe(true);
  });
});

describe("the frozen artifact set", () => {
  const scheduled = draftChange("normal", { state: "scheduled", approvalRound: 1 });
  it("sends an authorized change back for assessment, or an emergency back to its ECAB", () => {
    expect(decideEdit(scheduled, people.requester, ["artifacts"])).toMatchObject({
      allowed: true,
      to: "assessment",
      audit: { action: "change.artifacts_changed", from: "scheduled" },
    });
    expect(decideEdit({ ...scheduled, state: "implementing" }, people.manager, ["artifacts"])).toMatchObject({
      allowed: true,
      to: "assessment",
    });
    expect(decideEdit({ ...scheduled, type: "emergency", state: "implementing" }, people.requester, ["artifacts"])).toMatchObject({
      allowed: true,
      to: "authorization",
    });
  });
  it("refuses anything else with it, a standard change, and someone neither requester nor change manager", () => {
    expect(decideEdit(scheduled, people.requester, ["artifacts", "title"])).toMatchObject({ allowed: false });
    expect(decideEdit(scheduled, people.requester, ["title"])).toMatchObject({ allowed: false });
    expect(decideEdit({ ...scheduled, type: "standard" }, people.requester, ["artifacts"])).toMatchObject({ allowed: false });
    expect(decideEdit(scheduled, people.cab1, ["artifacts"])).toMatchObject({ allowed: false });
    expect(decideEdit({ ...scheduled, state: "review" }, people.requester, ["artifacts"])).toMatchObject({ allowed: false });
  });
});

describe("the scan item: judged, not signed; waived only with an expiry", () => {
  const flags = { ...draftChange().flags, releaseArtifact: true };
  const artifacts = [{ ...one, scan: { scanner: "trivy", scannedAt: NOW, critical: 2, high: 0, medium: 0, low: 0, knownExploited: 0 } }];
  const cis = [{ name: "db", environment: "production", criticality: 3 }];
  const failing = draftChange("normal", {
    state: "assessment",
    flags,
    artifacts,
    scanPolicy: evaluateScanPolicy(artifacts, DEFAULT_SCAN_POLICY, cis),
    checklist: [{ key: "vulnerability_scan", status: "pending", byId: null }],
  });
  const waiver = { compensatingControl: "WAF", residualRisk: "Low", now: NOW };

  it("is open while the policy fails, and cannot be signed", () => {
    expect(isItemDone(failing, "vulnerability_scan")).toBe(false);
    expect(decideSignOff(failing, people.security, "vulnerability_scan", "fine")).toMatchObject({
      allowed: false,
      reasons: [expect.stringContaining("api 1.0.0 has 2 critical findings")],
    });
  });

  it("takes a security reviewer's waiver only with a future expiry", () => {
    expect(decideWaiver(failing, people.security, "vulnerability_scan", waiver)).toMatchObject({
      allowed: false,
      reasons: [expect.stringContaining("needs an expiry")],
    });
    expect(
      decideWaiver(failing, people.security, "vulnerability_scan", { ...waiver, expiresAt: new Date(NOW.getTime() - 1) }),
    ).toMatchObject({
      allowed: false,
      reasons: ["The waiver's expiry must be in the future."],
    });
    expect(
      decideWaiver(failing, people.security, "vulnerability_scan", { ...waiver, expiresAt: new Date(NOW.getTime() + 1) }),
    ).toMatchObject({
      allowed: true,
      audit: { details: { expiresAt: new Date(NOW.getTime() + 1).toISOString() } },
    });
  });

  it("is met when the artifacts hold the policy, and not when there is no artifact", () => {
    const clean = { ...failing, scanPolicy: evaluateScanPolicy([], DEFAULT_SCAN_POLICY, cis) };
    expect(isItemDone({ ...clean, artifacts: [] }, "vulnerability_scan")).toBe(false);
    const passing = [{ ...artifacts[0]!, scan: { ...artifacts[0]!.scan, critical: 0 } }];
    expect(
      isItemDone(
        { ...failing, artifacts: passing, scanPolicy: evaluateScanPolicy(passing, DEFAULT_SCAN_POLICY, cis) },
        "vulnerability_scan",
      ),
    ).toBe(true);
  });

  it("lapses a waiver at its expiry", () => {
    expect(waiverLapsed({ status: "waived", waiverExpiresAt: NOW }, NOW)).toBe(true);
    expect(waiverLapsed({ status: "waived", waiverExpiresAt: new Date(NOW.getTime() + 1) }, NOW)).toBe(false);
    expect(waiverLapsed({ status: "waived", waiverExpiresAt: null }, NOW)).toBe(false);
    expect(waiverLapsed({ status: "signed", waiverExpiresAt: NOW }, NOW)).toBe(false);
  });

  it("shows a lapsed waiver as lapsed, by the same rule the gates count it as pending", () => {
    expect(checklistStanding({ status: "waived", waiverExpiresAt: NOW }, NOW)).toBe("lapsed");
    expect(checklistStanding({ status: "waived", waiverExpiresAt: new Date(NOW.getTime() + 1) }, NOW)).toBe("waived");
    expect(checklistStanding({ status: "waived", waiverExpiresAt: null }, NOW)).toBe("waived");
    expect(checklistStanding({ status: "signed", waiverExpiresAt: null }, NOW)).toBe("signed");
    expect(checklistStanding({ status: "pending", waiverExpiresAt: null }, NOW)).toBe("pending");
  });
});
