import { getChangeForApi } from "@/lib/server/api/read-changes";
import { beforeAll, describe, expect, it } from "vitest";
import * as oneRoute from "@/app/api/v1/changes/[id]/route";
import * as changesRoute from "@/app/api/v1/changes/route";
import { changeDetailSchema } from "@/lib/server/api/change-schemas";
import { issueOwnToken } from "@/lib/server/api-tokens/issue-token";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { castVote } from "@/lib/server/changes/cast-vote";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft, updateChangeDraft } from "@/lib/server/changes/save-change-draft";
import { signOffItem, waiveItem } from "@/lib/server/changes/sign-off-item";
import { SCAN_POLICY_SETTING } from "@/lib/server/settings/scan-policy";
import { callApi } from "../support/api-client";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";

// Release artifacts on a change (issue 32): entered through the use case and the API, validated,
// frozen once authorized (a change sends the change back for a new round), and judged by the scan
// policy, which blocks authorization until a security reviewer waives it with an expiry.

type U = Awaited<ReturnType<typeof createTestUser>>;
let requester: U, manager: U, security: U;

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const artifact = (c: string, scan: Record<string, unknown> | null = { scanner: "trivy", critical: 0, high: 1, knownExploited: 0 }) => ({
  name: `svc-${c}`,
  version: "1.0.0",
  digest: digest(c),
  sourceRepository: "https://git.example.com/svc",
  sourceCommit: "9f2c1e7",
  sbomRef: "https://sbom.example.com/svc.spdx.json",
  provenanceRef: "https://rekor.example.com/bundle",
  scan,
});

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
  manager = await createTestUser({ roles: ["change_manager"] });
  security = await createTestUser({ roles: ["security_reviewer"] });
});

async function newDraft(overrides: Record<string, unknown> = {}, environment = "production") {
  const ci = await createTestCi({ environment });
  const result = await createChangeDraft(
    requester.actor,
    completeDraft([ci.id], { releaseArtifact: true, artifacts: [artifact("a")], ...overrides }),
  );
  if (!result.ok) throw new Error(`${result.message} ${JSON.stringify(result)}`);
  return { id: result.value.id, ciId: ci.id };
}

/** Submitted, assessed, every open item before authorization signed except the scan item (judged, not signed). */
async function assessed(id: string) {
  await performChangeAction(requester.actor, { changeId: id, action: "submit" });
  await performChangeAction(manager.actor, { changeId: id, action: "start_assessment" });
  for (const item of await testDb().checklistItem.findMany({ where: { changeId: id, status: "pending", preImplementation: false } })) {
    if (item.key === "vulnerability_scan") continue;
    const signed = await signOffItem(item.signerRole === "security_reviewer" ? security.actor : manager.actor, {
      changeId: id,
      key: item.key,
      evidence: "Checked the report.",
    });
    expect(signed, item.key).toMatchObject({ ok: true });
  }
}

async function scheduled(id: string) {
  await assessed(id);
  expect(await performChangeAction(manager.actor, { changeId: id, action: "request_authorization" })).toMatchObject({ ok: true });
  const change = await testDb().changeRequest.findUniqueOrThrow({ where: { id } });
  // The approvals the change's risk asks for.
  const cab = await Promise.all([1, 2, 3].map(() => createTestUser({ roles: ["cab_member"] })));
  await castVote(manager.actor, { changeId: id, role: "change_manager", decision: "approve" });
  for (const member of cab) await castVote(member.actor, { changeId: id, role: "cab_member", decision: "approve" });
  if (change.riskLevel === "high" || change.riskLevel === "critical")
    await castVote(security.actor, { changeId: id, role: "security_reviewer", decision: "approve" });
  expect(await performChangeAction(manager.actor, { changeId: id, action: "schedule" })).toMatchObject({ ok: true });
}

const row = (id: string) =>
  testDb().changeRequest.findUniqueOrThrow({
    where: { id },
    include: { artifacts: { orderBy: { digest: "asc" } }, checklist: true, rounds: true },
  });

describe("artifacts through the use case", () => {
  it("stores the list with its scan summary, and refuses bad digests, negative counts, duplicates and huge lists by field", async () => {
    const { id, ciId } = await newDraft({ artifacts: [artifact("a"), artifact("b", null)] });
    const stored = await row(id);
    expect(stored.artifacts.map((a) => [a.name, a.digest, a.scanScanner, a.scanCritical])).toEqual([
      ["svc-a", digest("a"), "trivy", 0],
      ["svc-b", digest("b"), null, null],
    ]);
    const refused = async (artifacts: unknown) => {
      const r = await updateChangeDraft(requester.actor, { ...completeDraft([ciId], { releaseArtifact: true, artifacts }), changeId: id });
      expect(r.ok).toBe(false);
      return (r as { fieldErrors?: Record<string, string> }).fieldErrors;
    };
    expect(await refused([{ ...artifact("a"), digest: "sha256:ABC" }])).toEqual({
      "artifacts.0.digest": 'Write the digest as "sha256:" and 64 lowercase hex digits.',
    });
    expect(await refused([{ ...artifact("a"), digest: digest("A") }])).toHaveProperty(["artifacts.0.digest"]);
    expect(await refused([artifact("a", { critical: -1 })])).toEqual({
      "artifacts.0.scan.critical": "Give the number of critical findings as a whole number, 0 or more.",
    });
    expect(await refused([artifact("a", { high: 1.5 })])).toHaveProperty(["artifacts.0.scan.high"]);
    expect(await refused([artifact("a"), artifact("a")])).toEqual({ "artifacts.1.digest": "Each digest once per change." });
    expect(
      await refused([...Array(51).keys()].map((i) => ({ ...artifact("c"), digest: `sha256:${i.toString(16).padStart(64, "0")}` }))),
    ).toEqual({ artifacts: "At most 50 artifacts per change." });
    expect(await refused([{ ...artifact("a"), sbomRef: "x".repeat(2001) }])).toHaveProperty(["artifacts.0.sbomRef"]);
    expect(await refused([{ ...artifact("a"), extra: 1 }])).toBeDefined();
    expect((await row(id)).artifacts).toHaveLength(2);
  });
});

describe("artifacts through the API", () => {
  it("files and edits them in the change bodies and answers them, with the scan policy's verdict", async () => {
    const issued = await issueOwnToken(requester.actor, { name: "t", scopes: ["changes:read", "changes:write"] });
    if (!issued.ok) throw new Error(issued.message);
    const token = issued.value.token;
    const ci = await createTestCi();
    const created = await callApi(changesRoute.POST, {
      method: "POST",
      path: "/changes",
      token,
      body: { type: "normal", title: "Ship svc", ciIds: [ci.id], releaseArtifact: true, artifacts: [artifact("d", { critical: 2 })] },
    });
    const text = await created.text();
    expect(created.status, text).toBe(201);
    const change = changeDetailSchema.parse(JSON.parse(text));
    expect(change.artifacts).toMatchObject([{ digest: digest("d"), scan: { critical: 2, scanner: null } }]);
    // The scanner reported no known-exploited count: an unknown count cannot be shown to hold.
    expect(change.scanPolicy).toMatchObject({ applies: true, passes: false });
    expect(change.scanPolicy.violations.map((v) => [v.code, v.digest])).toEqual([
      ["scan_critical", digest("d")],
      ["scan_known_exploited", digest("d")],
    ]);

    const bad = await callApi(oneRoute.PATCH, {
      method: "PATCH",
      path: `/changes/${change.id}`,
      token,
      params: { id: change.id },
      body: { artifacts: [{ ...artifact("d"), digest: "md5:1" }] },
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toEqual({ "artifacts.0.digest": 'Write the digest as "sha256:" and 64 lowercase hex digits.' });

    const fixed = await callApi(oneRoute.PATCH, {
      method: "PATCH",
      path: `/changes/${change.id}`,
      token,
      params: { id: change.id },
      body: { artifacts: [artifact("e")] },
    });
    expect(fixed.status).toBe(200);
    expect(changeDetailSchema.parse(await fixed.json())).toMatchObject({
      artifacts: [{ digest: digest("e") }],
      scanPolicy: { passes: true },
    });
  });
});

describe("the approved artifact set is frozen", () => {
  it("sends a scheduled change back for assessment and a new round when its artifacts change, audited with before and after", async () => {
    const { id, ciId } = await newDraft();
    await scheduled(id);
    const before = await row(id);
    expect(before).toMatchObject({ state: "scheduled", approvalRound: 1 });
    const fields = completeDraft([ciId], { releaseArtifact: true, artifacts: [artifact("a")] });

    // Anything else stays refused on an authorized change, artifacts or not.
    expect(await updateChangeDraft(requester.actor, { ...fields, title: "Renamed", changeId: id })).toMatchObject({ ok: false });
    expect(
      await updateChangeDraft(requester.actor, { ...fields, title: "Renamed", artifacts: [artifact("f")], changeId: id }),
    ).toMatchObject({ ok: false, message: expect.stringContaining("Also changed: title") });

    const changedSet = await updateChangeDraft(requester.actor, { ...fields, artifacts: [artifact("a"), artifact("f")], changeId: id });
    expect(changedSet).toMatchObject({ ok: true, value: { message: expect.stringContaining("new approval round") } });
    const after = await row(id);
    expect(after).toMatchObject({ state: "assessment", approvalRound: 2, authorizedAt: null });
    expect(after.artifacts.map((a) => a.digest)).toEqual([digest("a"), digest("f")]);
    expect(after.rounds.map((r) => [r.number, r.closedAt !== null])).toEqual(
      expect.arrayContaining([
        [1, true],
        [2, false],
      ]),
    );
    // The items about the artifacts are to be signed again.
    expect(after.checklist.find((i) => i.key === "signed_artifact")).toMatchObject({ status: "pending", signedById: null });
    const event = (await readAuditEvents({ changeId: id, limit: 500 })).find((e) => e.action === "change.artifacts_changed")!;
    expect(event).toMatchObject({ actorId: requester.id, before: { state: "scheduled" }, after: { state: "assessment" } });
    expect((event.before as { artifacts: unknown[] }).artifacts).toHaveLength(1);
    expect((event.after as { artifacts: unknown[] }).artifacts).toHaveLength(2);

    // The new round needs its own approval: authorization again, votes again.
    await performChangeAction(manager.actor, { changeId: id, action: "request_authorization" });
    expect(await performChangeAction(manager.actor, { changeId: id, action: "schedule" })).toMatchObject({ ok: false });
  });

  it("refuses the same edit from someone who is neither the requester nor a change manager", async () => {
    const { id, ciId } = await newDraft();
    await scheduled(id);
    const stranger = await createTestUser({ roles: ["requester"] });
    const result = await updateChangeDraft(stranger.actor, {
      ...completeDraft([ciId], { releaseArtifact: true, artifacts: [artifact("9")] }),
      changeId: id,
    });
    expect(result).toMatchObject({ ok: false });
    expect((await row(id)).state).toBe("scheduled");
  });
});

describe("the scan policy as a checklist item", () => {
  it("blocks authorization on a critical finding in production until a security reviewer waives it with an expiry", async () => {
    const { id } = await newDraft({ artifacts: [artifact("b", { scanner: "grype", critical: 1, knownExploited: 1 })] });
    await assessed(id);
    const blocked = await performChangeAction(manager.actor, { changeId: id, action: "request_authorization" });
    expect(blocked).toMatchObject({ ok: false, message: expect.stringContaining("Vulnerability scan within the scan policy") });
    expect(await signOffItem(security.actor, { changeId: id, key: "vulnerability_scan", evidence: "Looks fine." })).toMatchObject({
      ok: false,
      message: expect.stringContaining("1 critical finding"),
    });
    const waiver = { changeId: id, key: "vulnerability_scan", compensatingControl: "WAF rule blocks the path.", residualRisk: "Low." };
    expect(await waiveItem(requester.actor, { ...waiver, expiresAt: new Date(Date.now() + 86_400_000).toISOString() })).toMatchObject({
      ok: false,
    });
    expect(await waiveItem(security.actor, waiver)).toMatchObject({ ok: false, message: expect.stringContaining("needs an expiry") });
    expect(await waiveItem(security.actor, { ...waiver, expiresAt: new Date(Date.now() - 60_000).toISOString() })).toMatchObject({
      ok: false,
      message: expect.stringContaining("in the future"),
    });
    const expiresAt = new Date(Date.now() + 7 * 86_400_000);
    expect(await waiveItem(security.actor, { ...waiver, expiresAt: expiresAt.toISOString() })).toMatchObject({ ok: true });
    expect((await row(id)).checklist.find((i) => i.key === "vulnerability_scan")).toMatchObject({
      status: "waived",
      waiverExpiresAt: expiresAt,
    });
    expect(await performChangeAction(manager.actor, { changeId: id, action: "request_authorization" })).toMatchObject({ ok: true });
  });

  it("does not stand in after its expiry, and follows a configured policy", async () => {
    const { id } = await newDraft({ artifacts: [artifact("c", { scanner: "grype", critical: 0, high: 5 })] }, "staging");
    await assessed(id);
    // The default covers production only: staging passes untouched.
    expect((await row(id)).checklist.find((i) => i.key === "vulnerability_scan")).toBeDefined();
    await testDb().appSetting.create({
      data: {
        key: SCAN_POLICY_SETTING,
        value: {
          rules: [
            {
              environment: "staging",
              minCriticality: 1,
              maxCritical: 0,
              maxHigh: 2,
              maxMedium: null,
              maxLow: null,
              maxKnownExploited: 0,
              requireScan: true,
            },
          ],
        },
      },
    });
    try {
      expect(await performChangeAction(manager.actor, { changeId: id, action: "request_authorization" })).toMatchObject({
        ok: false,
        message: expect.stringContaining("Vulnerability scan within the scan policy"),
      });
      // A lapsed waiver: written as if granted earlier, its expiry now past.
      await testDb().checklistItem.update({
        where: { changeId_key: { changeId: id, key: "vulnerability_scan" } },
        data: {
          status: "waived",
          signedById: security.id,
          signedAt: new Date(),
          compensatingControl: "x",
          residualRisk: "y",
          waiverExpiresAt: new Date(Date.now() - 1000),
        },
      });
      expect(await performChangeAction(manager.actor, { changeId: id, action: "request_authorization" })).toMatchObject({ ok: false });
      // The API (and the panel, by the same checklistStanding) shows it lapsed, not waived.
      const read = await getChangeForApi(manager.actor, { id });
      expect(read.ok && read.value.checklist.find((i) => i.key === "vulnerability_scan")).toMatchObject({
        status: "lapsed",
        waiverExpiresAt: expect.any(String),
      });
    } finally {
      await testDb().appSetting.delete({ where: { key: SCAN_POLICY_SETTING } });
    }
  });
});

describe("release practices", () => {
  it("records the backout test only from someone other than the requester, with who and when", async () => {
    const { id, ciId } = await newDraft({ rollbackCriteria: "Error rate above 2% for 5 minutes.", replacesVersion: "0.9.3" });
    const fields = completeDraft([ciId], {
      releaseArtifact: true,
      artifacts: [artifact("a")],
      rollbackCriteria: "Error rate above 2% for 5 minutes.",
      replacesVersion: "0.9.3",
    });
    expect(await updateChangeDraft(requester.actor, { ...fields, backoutTestRecorded: true, changeId: id })).toMatchObject({ ok: true });
    expect(await row(id)).toMatchObject({
      backoutTestedById: null,
      backoutTestedAt: null,
      rollbackCriteria: "Error rate above 2% for 5 minutes.",
      replacesVersion: "0.9.3",
    });
    await performChangeAction(requester.actor, { changeId: id, action: "submit" });
    // The requester ticked their own box (completeDraft does): the risk still counts the backout as untested.
    const backoutPoints = async () =>
      ((await row(id)).riskFactors as { factors: { factor: string; points: number; explanation: string }[] }).factors.find(
        (f) => f.factor === "backout",
      )!;
    expect((await row(id)).backoutTested).toBe(true);
    expect(await backoutPoints()).toMatchObject({
      points: 10,
      explanation: expect.stringContaining("requester's own word does not count"),
    });
    await performChangeAction(manager.actor, { changeId: id, action: "start_assessment" });
    expect(await updateChangeDraft(manager.actor, { ...fields, backoutTestRecorded: true, changeId: id })).toMatchObject({ ok: true });
    const recorded = await row(id);
    expect(recorded.backoutTestedById).toBe(manager.id);
    expect(recorded.backoutTestedAt).toBeInstanceOf(Date);
    expect(await backoutPoints()).toMatchObject({ points: 0 });
    const event = (await readAuditEvents({ changeId: id, limit: 500 })).filter((e) => e.action === "change.edited").at(-1)!;
    expect(event).toMatchObject({ before: { backoutTestRecorded: false }, after: { backoutTestRecorded: true } });
  });
});
