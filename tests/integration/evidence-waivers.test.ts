import { beforeAll, describe, expect, it } from "vitest";
import { loadEvidence } from "@/lib/server/history/load-evidence";
import { createTestUser, readerWith, testDb } from "../support/fixtures";

// The evidence view says what was true while the change relied on a waiver, and that it lapsed later.
const AUDITOR = readerWith(["auditor"]);
const DAY = 24 * 60 * 60 * 1000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

let requester: Awaited<ReturnType<typeof createTestUser>>;
let security: Awaited<ReturnType<typeof createTestUser>>;

/** A change with one waived security item, done `doneDaysAgo` days ago (null: still scheduled), its waiver expiring `expiresDaysAgo` days ago. */
async function changeWithWaiver(doneDaysAgo: number | null, expiresDaysAgo: number) {
  const change = await testDb().changeRequest.create({
    data: {
      type: "normal",
      title: `Waiver ${doneDaysAgo}/${expiresDaysAgo}`,
      requesterId: requester.id,
      state: doneDaysAgo === null ? "scheduled" : "closed",
      riskScore: 40,
      riskLevel: "medium",
      riskAssessedAt: ago(40),
      ...(doneDaysAgo === null ? {} : { outcome: "successful", implementedAt: ago(doneDaysAgo), closedAt: ago(doneDaysAgo - 1) }),
    },
  });
  await testDb().checklistItem.create({
    data: {
      changeId: change.id,
      key: "secure_baseline",
      title: "Secure baseline applied",
      signerRole: "security_reviewer",
      evidenceWanted: "the baseline report",
      status: "waived",
      signedById: security.id,
      signedAt: ago(30),
      compensatingControl: "Nightly configuration drift scan with alerting",
      residualRisk: "Low: drift is found within 24 hours.",
      waiverExpiresAt: ago(expiresDaysAgo),
    },
  });
  return change.id;
}

const securityReview = (evidence: NonNullable<Awaited<ReturnType<typeof loadEvidence>>>) =>
  evidence.controls.find((c) => c.control === "CM-4")!.requirements.find((q) => q.what === "Security impact reviewed")!.evidence;

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
  security = await createTestUser({ roles: ["security_reviewer"] });
});

describe("a waiver in the evidence view", () => {
  it("that lapsed after the change was done shows as waived, with the day it lapsed, and still evidences the review", async () => {
    const evidence = (await loadEvidence(AUDITOR, await changeWithWaiver(10, 3)))!;
    expect(evidence.checklist.map((i) => [i.key, i.standing, i.lapsedOn])).toEqual([["secure_baseline", "waived", expect.any(Date)]]);
    expect(evidence.checklist[0]!.lapsedOn!.getTime()).toBe(evidence.checklist[0]!.waiverExpiresAt!.getTime());
    expect(securityReview(evidence)).toMatch(/^Secure baseline applied: waived by /);
  });

  it("that lapsed before the change was done, or while it is under way, shows as lapsed and evidences nothing", async () => {
    for (const id of [await changeWithWaiver(10, 12), await changeWithWaiver(null, 3)]) {
      const evidence = (await loadEvidence(AUDITOR, id))!;
      expect(evidence.checklist.map((i) => i.standing)).toEqual(["lapsed"]);
      expect(securityReview(evidence)).toBeNull();
    }
  });
});
