import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/auth/current-actor";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { createTestUser } from "../support/fixtures";

// The route handlers as a request reaches them (the proxy is not in the way here); only the session lookup is replaced.
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async () => session.actor,
}));
const verifyRoute = await import("@/app/api/audit/verify/route");
const auditExportRoute = await import("@/app/api/audit/export/route");
const changesExportRoute = await import("@/app/api/exports/changes/route");
const eventsExportRoute = await import("@/app/api/exports/events/route");
const reportRoute = await import("@/app/api/audit/reports/[slug]/route");
const checkpointRoute = await import("@/app/api/audit/checkpoints/[id]/route");
const manifestRoute = await import("@/app/api/exports/[id]/manifest/route");
const publicKeyRoute = await import("@/app/api/audit/public-key/route");

// NEXTAUTH_URL is unset in the tests: the portal's origin is its default.
const PORTAL = "http://localhost:3000";
const request = (path: string, method: string, headers: Record<string, string>) => new Request(`${PORTAL}${path}`, { method, headers });

const GET_ROUTES: [string, (r: Request) => Promise<Response>][] = [
  ["/api/audit/export", (r) => auditExportRoute.GET(r)],
  ["/api/exports/changes?format=csv", (r) => changesExportRoute.GET(r)],
  ["/api/exports/events?format=jsonl", (r) => eventsExportRoute.GET(r)],
  ["/api/audit/reports/waivers", (r) => reportRoute.GET(r, { params: Promise.resolve({ slug: "waivers" }) })],
  ["/api/audit/checkpoints/1", (r) => checkpointRoute.GET(r, { params: Promise.resolve({ id: "1" }) })],
  [
    "/api/exports/00000000-0000-4000-8000-000000000000/manifest",
    (r) => manifestRoute.GET(r, { params: Promise.resolve({ id: "00000000-0000-4000-8000-000000000000" }) }),
  ],
  ["/api/audit/public-key", (r) => publicKeyRoute.GET(r)],
];

const eventCount = async () => (await readAuditEvents({ limit: 100_000 })).length;

async function expectRefused(response: Response, what: string) {
  expect(response.status, what).toBe(403);
  expect(((await response.json()) as { error: string }).error, what).toMatch(
    /^Cross-site request refused: .+ Only the portal's own pages at http:\/\/localhost:3000 may make this request/,
  );
}

beforeAll(async () => {
  session.actor = (await createTestUser({ roles: ["auditor"] })).actor;
});

describe("POST /api/audit/verify", () => {
  it("refuses a foreign, null or missing Origin before it verifies or records anything", async () => {
    const before = await eventCount();
    const forged: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "null" },
      {},
      { "sec-fetch-site": "same-origin" },
      { origin: PORTAL, "sec-fetch-site": "cross-site" },
    ];
    for (const headers of forged) {
      await expectRefused(await verifyRoute.POST(request("/api/audit/verify", "POST", headers)), JSON.stringify(headers));
    }
    expect(await eventCount()).toBe(before);
  });

  it("runs from the portal's origin", async () => {
    const response = await verifyRoute.POST(request("/api/audit/verify", "POST", { origin: PORTAL, "sec-fetch-site": "same-origin" }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('"type":"result"');
  });
});

describe("the export and download routes", () => {
  it.each(GET_ROUTES)("%s refuses a cross-site request before it exports or records anything", async (path, handler) => {
    const before = await eventCount();
    const forged: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "https://evil.example" },
      { origin: "null" },
    ];
    for (const headers of forged) {
      await expectRefused(await handler(request(path, "GET", headers)), `${path} ${JSON.stringify(headers)}`);
    }
    expect(await eventCount()).toBe(before);
  });

  it.each(GET_ROUTES)("%s still serves the portal's own links and a client that is no browser", async (path, handler) => {
    const honest: Record<string, string>[] = [{ "sec-fetch-site": "same-origin" }, { "sec-fetch-site": "none" }, {}];
    for (const headers of honest) {
      const response = await handler(request(path, "GET", headers));
      expect(response.status, `${path} ${JSON.stringify(headers)}`).not.toBe(403);
      await response.arrayBuffer(); // read to the end: the export finishes and releases its connection
    }
  });
});
