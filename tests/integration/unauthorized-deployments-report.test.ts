import { beforeAll, describe, expect, it, vi } from "vitest";
import { changeReference } from "@/lib/domain/change-visibility";
import { parseReportFilters, reportBySlug } from "@/lib/domain/exception-reports";
import type { Actor } from "@/lib/server/auth/current-actor";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { countReport, reportFilterChoices, runReport } from "@/lib/server/reports/run-report";
import { createDeployment } from "../support/deployments";
import { createTestUser, FORBIDDEN, readerWith, testDb } from "../support/fixtures";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async () => session.actor,
}));
const { GET } = await import("@/app/api/audit/reports/[slug]/route");

const SLUG = "unauthorized-deployments";
const AUDITOR = readerWith(["auditor"]);
const at = (day: string) => new Date(`${day}T12:00:00Z`);
const report = reportBySlug(SLUG)!;
type Row = { environment: string; ciName: string; reason: string; number: number | null; pipelineRunUrl: string };
const rows = async (query: Record<string, string> = {}) =>
  (await runReport(AUDITOR, SLUG, { limit: 1000, filters: parseReportFilters(report, query).applied }))!.rows as Row[];
let changeNumber = 0;

beforeAll(async () => {
  const bot = await createTestUser({ roles: ["requester"] });
  const change = await testDb().changeRequest.create({ data: { type: "normal", title: "Release 4.2", requesterId: bot.id } });
  changeNumber = change.number;
  const d = (url: string, spec: Partial<Parameters<typeof createDeployment>[0]>) =>
    createDeployment({ reportedById: bot.id, pipelineRunUrl: `https://ci.example.test/${url}`, ...spec });
  await d("authorized", { finishedAt: at("2026-11-03"), changeId: change.id });
  await d("no-change", { finishedAt: at("2026-11-01"), unauthorized: "no_change" });
  await d("digest", { finishedAt: at("2026-11-05"), unauthorized: "digest_not_approved", changeId: change.id });
  await d("staging-freeze", { finishedAt: at("2026-11-10"), environment: "staging", ciName: "ledger", unauthorized: "in_freeze" });
  await d("window", { finishedAt: null, startedAt: at("2026-11-20"), unauthorized: "outside_window", status: "started" });
});

describe("the unauthorized deployments report", () => {
  it("lists every unauthorized deployment, newest first, with its reason and the change it matched", async () => {
    const found = await rows();
    expect(found.map((r) => r.pipelineRunUrl.split("/").at(-1))).toEqual(["window", "staging-freeze", "digest", "no-change"]);
    expect(found[2]).toMatchObject({ reason: "digest_not_approved", number: changeNumber });
    expect(found[3]).toMatchObject({ reason: "no_change", number: null });
    expect(await countReport(AUDITOR, SLUG)).toBe(4);
  });

  it("filters by environment, CI, reason and UTC days (both ends included), and counts what it filters", async () => {
    expect((await rows({ environment: "staging" })).map((r) => r.ciName)).toEqual(["ledger"]);
    expect(await rows({ ci: "ledger", environment: "production" })).toEqual([]);
    expect((await rows({ reason: "digest_not_approved" })).map((r) => r.number)).toEqual([changeNumber]);
    const days = await rows({ from: "2026-11-05", to: "2026-11-10" });
    expect(days.map((r) => r.reason)).toEqual(["in_freeze", "digest_not_approved"]);
    expect(await countReport(AUDITOR, SLUG, parseReportFilters(report, { from: "2026-11-05", to: "2026-11-10" }).applied)).toBe(2);
  });

  it("drops hostile filter values instead of failing: an unknown reason, a bad day, control characters", async () => {
    const parsed = parseReportFilters(report, {
      reason: "drop table",
      from: "2026-02-30",
      ci: "led\u0000ger",
      environment: ["staging", "x"],
    });
    expect(parsed.values).toEqual({ ci: "led ger", environment: "staging" });
    expect(await rows({ reason: "drop table", from: "2026-02-30", ci: "led\u0000ger" })).toEqual([]);
    expect((await rows({ reason: "drop table", from: "nope" })).length).toBe(4);
  });

  it("offers the environments and CIs the unauthorized deployments name", async () => {
    expect(await reportFilterChoices(AUDITOR, SLUG)).toEqual({ environment: ["production", "staging"], ci: ["ledger", "payments-api"] });
  });

  it("reads for auditors only: a change manager gets the 403", async () => {
    const manager = await createTestUser({ roles: ["change_manager"] });
    await expect(runReport(manager.actor, SLUG)).rejects.toMatchObject(FORBIDDEN);
  });

  it("exports the filtered report as CSV, with the filters in the audit event and the manifest", async () => {
    session.actor = (await createTestUser({ roles: ["auditor"] })).actor;
    const response = await GET(
      new Request(`http://x/api/audit/reports/${SLUG}?environment=production&reason=digest_not_approved&bogus=1`),
      {
        params: Promise.resolve({ slug: SLUG }),
      },
    );
    expect(response.status).toBe(200);
    const records = (await response.text()).trimEnd().split("\r\n");
    expect(records[0]).toBe("deployed_at,environment,ci,status,reason,details,change,digests,pipeline_run,commit,triggered_by,reported_by");
    expect(records).toHaveLength(2);
    expect(records[1]).toContain("Digest not approved");
    expect(records[1]).toContain(changeReference(changeNumber));
    const events = await readAuditEvents({ limit: 100_000 });
    expect(events.findLast((e) => e.action === "audit.report_exported")).toMatchObject({
      actorId: session.actor.id,
      entityId: SLUG,
      after: expect.objectContaining({ filters: { environment: "production", reason: "digest_not_approved" } }),
    });
    const exported = await testDb().dataExport.findUniqueOrThrow({ where: { id: response.headers.get("x-export-id")! } });
    expect(exported.filters).toEqual({ report: SLUG, environment: "production", reason: "digest_not_approved" });
  });
});
