import { beforeAll, describe, expect, it } from "vitest";
import { assessChangeRisk, recentFailuresOn } from "@/lib/server/changes/assess-risk";
import { inTransaction } from "@/lib/server/db/transaction";
import { createTestCi, createTestUser, testDb } from "../support/fixtures";

// The risk score's history factor: failed or rolled-back changes on the change's CIs in the 90 days
// before "now". A "now" of its own, years ahead, keeps the other tests' changes out of the window.
const NOW = new Date("2031-06-01T00:00:00Z");
const daysBefore = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
let a: string, b: string, other: string, subject: string;

beforeAll(async () => {
  const requester = await createTestUser();
  [a, b, other] = (await Promise.all([createTestCi(), createTestCi(), createTestCi()])).map((ci) => ci.id) as [string, string, string];
  const change = async (title: string, data: Record<string, unknown>, cis: string[]) =>
    (
      await testDb().changeRequest.create({
        data: {
          title,
          requesterId: requester.id,
          type: "normal",
          state: "closed",
          ...data,
          cis: { create: cis.map((ciId) => ({ ciId })) },
        } as never,
      })
    ).id;
  await change("failed on a, 10 days ago", { outcome: "failed", implementedAt: daysBefore(10) }, [a]);
  await change("rolled back on b and another CI, 89 days ago", { outcome: "rolled_back", implementedAt: daysBefore(89) }, [b, other]);
  await change("failed on a and b, 3 days ago: counted once", { outcome: "failed", implementedAt: daysBefore(3) }, [a, b]);
  await change("failed on a, 91 days ago: too old", { outcome: "failed", implementedAt: daysBefore(91) }, [a]);
  await change("successful on a, 5 days ago", { outcome: "successful", implementedAt: daysBefore(5) }, [a]);
  await change("failed on another CI, 5 days ago", { outcome: "failed", implementedAt: daysBefore(5) }, [other]);
  await change("failed on a, never implemented", { outcome: "failed", implementedAt: null }, [a]);
  subject = await change(
    "the change being assessed, itself failed on a yesterday",
    { state: "draft", outcome: "failed", implementedAt: daysBefore(1) },
    [a],
  );
});

describe("recent failures on a change's CIs (the risk score's history factor)", () => {
  it("counts each failed or rolled-back change of the last 90 days that touched one of the CIs, once, and not the change itself", async () => {
    expect(await recentFailuresOn(testDb(), subject, [a, b], NOW)).toBe(3);
    expect(await recentFailuresOn(testDb(), subject, [a], NOW)).toBe(2);
    expect(await recentFailuresOn(testDb(), subject, [b], NOW)).toBe(2);
    expect(await recentFailuresOn(testDb(), subject, [], NOW)).toBe(0);
  });

  it("is the count the change's risk assessment shows and scores", async () => {
    const assessment = await inTransaction((tx) => assessChangeRisk(tx, subject, NOW));
    const history = assessment.factors.find((f) => f.factor === "history");
    expect(history?.phrase).toBe("2 failed changes or incidents on these CIs in 90 days");
    expect(history?.points).toBeGreaterThan(0);
  });
});
