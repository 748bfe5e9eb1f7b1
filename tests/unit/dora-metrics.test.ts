import { describe, expect, it } from "vitest";
import { doraByTarget, doraFigures, doraTrend, failureEpisodes, percentile, weekStart } from "@/lib/domain/dora-metrics";
import { parseDoraParams } from "@/lib/domain/dora-params";
import { d, FIXTURE, PERIOD, t } from "../support/dora-fixture";

describe("DORA metrics", () => {
  it("interpolates percentiles as percentile_cont does", () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([48, 2, 12, 8], 0.5)).toBe(10);
    expect(percentile([2, 8, 12, 48], 0.9)).toBeCloseTo(37.2, 10);
  });

  it("computes the four figures of the period from the hand-worked fixture", () => {
    const f = doraFigures(FIXTURE, PERIOD);
    expect(f.deployments).toBe(9);
    expect(f.succeeded).toBe(5);
    expect(f.perDay).toBeCloseTo(5 / 14, 10);
    expect(f.leadTimeHours).toEqual({ count: 4, median: 10, p90: expect.closeTo(37.2, 10) });
    expect(f.failure).toEqual({ failed: 4, finished: 9, rate: 4 / 9 });
    expect(f.recoveryHours).toEqual({ count: 2, median: 9, p90: expect.closeTo(11.4, 10), unrecovered: 1 });
    expect(f.unauthorized).toBe(1);
  });

  it("finds failure episodes per CI and environment: consecutive failures are one episode, ended by the next success", () => {
    expect(failureEpisodes(FIXTURE)).toEqual([
      { environment: "production", ciName: "api", start: t("01T10:00"), end: t("02T10:00") },
      { environment: "production", ciName: "api", start: t("03T10:00"), end: t("03T16:00") },
      { environment: "production", ciName: "web", start: t("09T09:00"), end: null },
      { environment: "production", ciName: "api", start: t("15T20:00"), end: t("16T08:00") },
    ]);
    // A staging success does not end a production failure.
    expect(failureEpisodes([d("03T10:00", "failed"), d("03T11:00", "succeeded", { environment: "staging" })])).toEqual([
      { environment: "production", ciName: "api", start: t("03T10:00"), end: null },
    ]);
  });

  it("gives each environment and CI its own figures", () => {
    const groups = doraByTarget(FIXTURE, PERIOD);
    expect(groups.map((g) => [g.environment, g.ciName])).toEqual([
      ["production", "api"],
      ["production", "web"],
      ["staging", "api"],
    ]);
    const [api, web, staging] = groups.map((g) => g.figures);
    expect(api).toMatchObject({ deployments: 6, succeeded: 3, failure: { failed: 3, finished: 6, rate: 0.5 } });
    expect(api!.leadTimeHours).toMatchObject({ count: 2, median: 10 });
    expect(api!.recoveryHours).toMatchObject({ count: 2, median: 9, unrecovered: 0 });
    expect(web).toMatchObject({ deployments: 2, succeeded: 1, unauthorized: 1, failure: { rate: 0.5 } });
    expect(web!.leadTimeHours).toMatchObject({ count: 1, median: 48 });
    expect(web!.recoveryHours).toMatchObject({ count: 0, median: null, unrecovered: 1 });
    expect(staging).toMatchObject({ deployments: 1, succeeded: 1, leadTimeHours: { median: 2 }, failure: { rate: 0 } });
  });

  it("trends week by week, Monday to Monday UTC", () => {
    expect(weekStart(t("08T23:59"))).toEqual(t("02T00:00"));
    expect(weekStart(t("09T00:00"))).toEqual(t("09T00:00"));
    const [one, two, ...rest] = doraTrend(FIXTURE, PERIOD);
    expect(rest).toEqual([]);
    expect(one!.weekStart).toEqual(t("02T00:00"));
    expect(one!.figures).toMatchObject({ deployments: 6, succeeded: 4, perDay: 4 / 7, failure: { failed: 2 } });
    expect(one!.figures.leadTimeHours.median).toBe(10);
    expect(one!.figures.recoveryHours).toMatchObject({ count: 1, median: 6, unrecovered: 0 });
    expect(two!.figures).toMatchObject({ deployments: 3, succeeded: 1, failure: { failed: 2, rate: 2 / 3 } });
    expect(two!.figures.leadTimeHours).toEqual({ count: 0, median: null, p90: null });
    expect(two!.figures.recoveryHours).toMatchObject({ count: 1, median: 12, unrecovered: 1 });
  });

  it("has no rate and no spread without deployments, rather than zero", () => {
    const f = doraFigures([], PERIOD);
    expect(f.failure.rate).toBeNull();
    expect(f.leadTimeHours.median).toBeNull();
    expect(f.perDay).toBe(0);
  });
});

describe("the DORA filters", () => {
  it("default to production, take all or one environment and a CI, and clean what they keep", () => {
    expect(parseDoraParams({})).toEqual({ env: "production", environment: "production", ciName: undefined });
    expect(parseDoraParams({ env: "all", ci: "api" })).toEqual({ env: "all", environment: undefined, ciName: "api" });
    expect(parseDoraParams({ env: "stag\u0000ing", ci: ["web", "api"] })).toEqual({
      env: "stag ing",
      environment: "stag ing",
      ciName: "web",
    });
    expect(parseDoraParams({ env: "", ci: "" })).toEqual({ env: "production", environment: "production", ciName: undefined });
  });
});
