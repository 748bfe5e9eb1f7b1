import { beforeAll, describe, expect, it } from "vitest";
import { doraByTarget, doraFigures, doraTrend } from "@/lib/domain/dora-metrics";
import { doraMetrics } from "@/lib/server/metrics/dora-metrics";
import { createDeployment } from "../support/deployments";
import { FIXTURE, PERIOD } from "../support/dora-fixture";
import { createTestUser, FORBIDDEN, readerWith } from "../support/fixtures";

const AUDITOR = readerWith(["auditor"]);

// The unit test's hand-worked fixture, stored as deployments: the SQL read (period, context rows,
// each deployment's time) must hand the domain the same rows, so the figures come out the same.
beforeAll(async () => {
  const bot = await createTestUser({ roles: ["requester"] });
  for (const x of FIXTURE)
    await createDeployment({
      reportedById: bot.id,
      environment: x.environment,
      ciName: x.ciName,
      status: x.status,
      // A running deployment has only its start; finished ones their end.
      startedAt: x.status === "started" ? x.at : new Date(x.at.getTime() - 600_000),
      finishedAt: x.status === "started" ? null : x.at,
      committedAt: x.committedAt,
      unauthorized: x.authorized ? undefined : "no_change",
    });
});

describe("DORA metrics from PostgreSQL", () => {
  it("reads the period and its context so the figures match the hand-worked ones", async () => {
    const m = await doraMetrics(AUDITOR, PERIOD);
    expect(m.figures).toEqual(doraFigures(FIXTURE, PERIOD));
    expect(m.figures).toMatchObject({ deployments: 9, succeeded: 5, failure: { failed: 4 }, recoveryHours: { count: 2, median: 9 } });
    expect(m.byTarget).toEqual(doraByTarget(FIXTURE, PERIOD));
    expect(m.trend).toEqual(doraTrend(FIXTURE, PERIOD));
    expect(m.truncated).toBe(false);
    expect(m.environments).toEqual(["production", "staging"]);
    expect(m.cis).toEqual(["api", "web"]);
  });

  it("narrows to one environment and CI", async () => {
    const m = await doraMetrics(AUDITOR, PERIOD, { environment: "production", ciName: "web" });
    expect(m.byTarget.map((g) => g.ciName)).toEqual(["web"]);
    expect(m.figures).toMatchObject({ deployments: 2, unauthorized: 1, recoveryHours: { unrecovered: 1 } });
  });

  it("reads for those who may see every change: a requester gets the 403", async () => {
    const requester = await createTestUser({ roles: ["requester"] });
    await expect(doraMetrics(requester.actor, PERIOD)).rejects.toMatchObject(FORBIDDEN);
  });
});
