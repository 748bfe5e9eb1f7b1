import { beforeAll, describe, expect, it } from "vitest";
import { ciDeployments, CI_DEPLOYMENTS_SHOWN } from "@/lib/server/deployments/recent-deployments";
import { loadEvidence } from "@/lib/server/history/load-evidence";
import { createDeployment } from "../support/deployments";
import { createTestCi, createTestUser, FORBIDDEN, readerWith, testDb } from "../support/fixtures";

// What reads the deployment records besides the report and the metrics: the CI page's list and
// the evidence view of a change (its deployments and the controls they evidence).
const AUDITOR = readerWith(["auditor"]);
const ADMIN = readerWith(["admin"]);
const MINUTE = 60_000;
let ci: { id: string; name: string };
let other: { id: string; name: string };
let clean: { id: string };
let broken: { id: string; number: number };
let bot: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  bot = await createTestUser({ roles: ["requester"] });
  ci = await createTestCi();
  other = await createTestCi();
  const change = (title: string) =>
    testDb().changeRequest.create({ data: { type: "normal", title, requesterId: bot.id }, select: { id: true, number: true } });
  clean = await change("Deployed as approved");
  broken = await change("Deployed with an unapproved digest");
  const t0 = Date.now() - 3 * 24 * 60 * MINUTE;
  // 22 deployments of the CI, the newest reported last; two of them unauthorized.
  for (let i = 0; i < 22; i++)
    await createDeployment({
      reportedById: bot.id,
      ciId: ci.id,
      ciName: ci.name,
      finishedAt: new Date(t0 + i * MINUTE),
      createdAt: new Date(t0 + i * MINUTE + 1_000),
      pipelineRunUrl: `https://ci.example.test/run/${i}`,
      changeId: i === 21 ? broken.id : i === 20 ? clean.id : null,
      unauthorized: i === 21 ? "digest_not_approved" : i === 3 ? "no_change" : undefined,
    });
  await createDeployment({ reportedById: bot.id, ciId: other.id, ciName: other.name, changeId: clean.id, environment: "staging" });
});

describe("deployments on the CI page", () => {
  it("lists the CI's latest deployments, newest first, with whether each was authorized and its change", async () => {
    const { recent, total, unauthorized } = await ciDeployments(ADMIN, ci.id);
    expect(total).toBe(22);
    expect(unauthorized).toBe(2);
    expect(recent).toHaveLength(CI_DEPLOYMENTS_SHOWN);
    expect(recent[0]).toMatchObject({
      pipelineRunUrl: "https://ci.example.test/run/21",
      authorized: false,
      unauthorizedReason: "digest_not_approved",
      change: { id: broken.id, number: broken.number },
    });
    expect(recent[1]).toMatchObject({ authorized: true, change: { id: clean.id } });
    expect(recent.every((d) => d.ciName === ci.name)).toBe(true);
    expect(await ciDeployments(ADMIN, "not-a-uuid")).toEqual({ recent: [], total: 0, unauthorized: 0 });
  });

  it("is for those who manage the configuration: an auditor gets the 403", async () => {
    await expect(ciDeployments(AUDITOR, ci.id)).rejects.toMatchObject(FORBIDDEN);
  });
});

describe("deployments in the evidence view", () => {
  it("shows the deployments that carried a change; all authorized, they evidence CM-3, CM-5, CC8.1, 6.5.1 and 6.5.4", async () => {
    const evidence = (await loadEvidence(AUDITOR, clean.id))!;
    expect(evidence.deployments.map((d) => [d.ciName, d.environment, d.authorized])).toEqual([
      [ci.name, "production", true],
      [other.name, "staging", true],
    ]);
    const requirements = evidence.controls.flatMap((c) =>
      c.requirements.filter((q) => /deploy/i.test(q.what)).map((q) => ({ control: c.control, evidence: q.evidence })),
    );
    expect(requirements.map((q) => q.control)).toEqual(["CM-3", "CM-5", "CC8.1", "6.5.1", "6.5.4"]);
    expect(requirements.every((q) => q.evidence?.startsWith("2 deployments to "))).toBe(true);
  });

  it("an unauthorized deployment shows as such, and the deployment evidence is missing", async () => {
    const evidence = (await loadEvidence(AUDITOR, broken.id))!;
    expect(evidence.deployments).toEqual([expect.objectContaining({ authorized: false, unauthorizedReason: "digest_not_approved" })]);
    const cm3 = evidence.controls.find((c) => c.control === "CM-3")!;
    expect(cm3.requirements.find((q) => q.what === "Deployments matched to the approval")).toEqual({
      what: "Deployments matched to the approval",
      evidence: null,
    });
    expect(cm3.status).toBe("missing");
  });
});
