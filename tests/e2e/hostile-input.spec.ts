import fc from "fast-check";
import pg from "pg";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/test";
import { ROLES } from "../../lib/domain/roles";
import { createUser } from "./support/database";
import { signInAndWait } from "./support/session";

// Hostile query strings, as an attacker would send them, against every page and route that reads
// one: any 5xx (or a download cut short) fails. A refusal (400/404/431) or the page with its
// default filters are both fine. FUZZ_RUNS raises the number of fast-check strings per parameter.
const RUNS = Number(process.env.FUZZ_RUNS || 2);

const UUID = "0b0e7b7e-3f4c-4c6a-9c1a-5a1f0f6d2b11";
const TEXT = ["a\u0000b", "\u0000", "x\u0001\u001f\u007f\u0085y", "é\u200b😀\uFEFF\u202e", "x".repeat(5000), "%_\\'\";--"];
const DAYS = [
  "0000-01-01",
  "0001-01-01",
  "1969-12-31",
  "9999-12-31",
  "10000-01-01",
  "2026-02-30",
  "2026-13-01",
  "-001-01-01",
  "2026-1-1",
  "abc",
];
const CURSORS = [
  `9999-99-99T99:99:99Z_${UUID}`,
  `0000-01-01T00:00:00.000Z_${UUID}`,
  `2026-01-01T00:00:00.000Z_${"-".repeat(36)}`,
  `+275760-09-13T00:00:00.000Z_${UUID}`,
  `2026-01-01T00:00:00.000Z_${"f".repeat(36)}`,
  `99999999_${UUID}`,
  `1e400_${UUID}`,
  "-".repeat(36),
  "99999999999999999999999",
  "-1",
  "a\u0000b",
  "x".repeat(3000),
];
const WRONG = ["", "[]", "-1", "1e309"];

type Target = { path: string; text?: string[]; days?: string[]; cursors?: string[]; other?: string[] };

function hostileQueries(target: Target): string[] {
  const params = [...(target.text ?? []), ...(target.days ?? []), ...(target.cursors ?? []), ...(target.other ?? [])];
  const q = (pairs: [string, string][]) => new URLSearchParams(pairs).toString();
  const out: string[] = [];
  for (const name of params) {
    const values = target.cursors?.includes(name)
      ? CURSORS
      : target.days?.includes(name)
        ? [...DAYS, ...TEXT.slice(0, 2)]
        : target.text?.includes(name)
          ? [...TEXT, ...fc.sample(fc.string({ unit: "binary", maxLength: 300 }), { numRuns: RUNS, seed: 28 })]
          : TEXT.slice(0, 2);
    for (const v of [...values, ...WRONG]) out.push(q([[name, v]]));
    out.push(
      q([
        [name, "a"],
        [name, "b"],
      ]),
      `${name}=%E0%A4%A`,
      `${name}=%ED%A0%80`,
    );
  }
  // Every parameter at once, each hostile.
  out.push(
    q(params.map((n) => [n, "\u0000"])),
    q(
      params.flatMap((n) => [
        [n, "1"],
        [n, "0000-01-01"],
      ]),
    ),
  );
  return out;
}

async function seededIds() {
  const client = new pg.Client({ connectionString: process.env.E2E_APP_URL });
  await client.connect();
  try {
    const one = async (sql: string) => ((await client.query(sql)).rows[0]?.id as string | undefined) ?? UUID;
    return {
      change: await one("SELECT id FROM change_requests ORDER BY created_at LIMIT 1"),
      user: await one("SELECT id FROM users ORDER BY created_at LIMIT 1"),
      ci: await one("SELECT id FROM configuration_items ORDER BY name LIMIT 1"),
      template: await one("SELECT id FROM change_templates ORDER BY created_at LIMIT 1"),
      freeze: await one("SELECT id FROM freeze_windows ORDER BY starts_at LIMIT 1"),
    };
  } finally {
    await client.end();
  }
}

const HISTORY: Omit<Target, "path"> = {
  text: ["q", "action", "tag", "type", "state"],
  days: ["from", "to"],
  cursors: ["after"],
  other: ["view", "ci", "actor"],
};

function targets(ids: Awaited<ReturnType<typeof seededIds>>): Target[] {
  return [
    { path: "/changes", text: ["q", "type", "state", "risk"], cursors: ["after"] },
    { path: "/changes/mine", text: ["q", "type", "state", "risk"], cursors: ["after"] },
    { path: `/changes/${ids.change}`, cursors: ["eventsBefore", "commentsBefore"], other: ["done", "created", "saved", "at"] },
    { path: "/cab", text: ["ci", "type", "risk"], cursors: ["after"], other: ["sort"] },
    { path: "/cab?sort=start", cursors: ["after"] },
    { path: "/calendar", text: ["env", "ci", "type", "risk"], days: ["date"], cursors: ["after"], other: ["view"] },
    { path: "/calendar?view=list", text: ["env", "ci"], cursors: ["after"] },
    { path: "/admin/users", text: ["q"], cursors: ["after"] },
    { path: `/admin/users/${ids.user}`, other: ["created"] },
    { path: "/admin/cis", text: ["q"], cursors: ["after"] },
    { path: `/admin/cis/${ids.ci}`, other: ["created"] },
    { path: "/admin/templates", text: ["q", "status"], cursors: ["after"] },
    { path: `/admin/templates/${ids.template}`, other: ["proposed"] },
    { path: "/admin/freezes", cursors: ["after"], other: ["past", "created", "saved", "deleted"] },
    { path: `/admin/freezes/${ids.freeze}`, other: ["saved"] },
    { path: "/admin/mailbox", cursors: ["after"] },
    { path: "/metrics", days: ["from", "to"], text: ["env", "ci"] },
    { path: "/audit", ...HISTORY },
    { path: "/audit?view=events", ...HISTORY },
    { path: "/audit/reports/waivers", cursors: ["after"] },
    { path: "/audit/reports/failed-sign-in-bursts", cursors: ["after"] },
    { path: "/audit/reports/unauthorized-deployments", text: ["environment", "ci", "reason"], days: ["from", "to"], cursors: ["after"] },
    { path: "/audit/verify", cursors: ["after"] },
    { path: "/notifications", cursors: ["after"] },
    { path: "/work", cursors: ["after"] },
    { path: "/security", cursors: ["after", "approvalsAfter"] },
    { path: "/signin", other: ["callbackUrl", "error"] },
  ];
}

// Export routes start an audited export for each request that passes: fewer, targeted strings.
const EXPORTS = ["/api/exports/changes?format=csv", "/api/exports/events?format=jsonl", "/api/audit/export?x=1"];
function exportQueries(): string[] {
  const out: string[] = [];
  for (const name of ["from", "to"]) for (const v of DAYS) out.push(`${name}=${encodeURIComponent(v)}`);
  out.push("to=9999-12-31", "from=9999-12-31&to=9999-12-31", "from=1970-01-01&to=9999-12-31");
  for (const name of ["q", "action", "ci", "actor", "tag", "type", "state", "format"]) {
    out.push(`${name}=%00`, `${name}=a&${name}=b`, `${name}=${"x".repeat(5000)}`, `${name}=%ED%A0%80`);
  }
  return out;
}

const PATHS_WITH_IDS = [
  "/changes/%00",
  "/changes/not-a-uuid",
  `/changes/${"-".repeat(36)}`,
  "/admin/users/%00",
  "/admin/cis/%00",
  "/admin/templates/%00",
  "/admin/freezes/%00",
  "/audit/reports/%00",
  "/audit/changes/%00",
  `/audit/changes/${"f".repeat(36)}`,
  "/api/exports/%00/manifest",
  `/api/exports/${"-".repeat(36)}/manifest`,
  "/api/audit/checkpoints/%00",
  "/api/audit/checkpoints/99999999999999999999",
  "/api/audit/checkpoints/-1",
  "/api/audit/reports/%00",
];

async function expectNo5xx(request: APIRequestContext, urls: string[]) {
  const failures: string[] = [];
  for (const url of urls) {
    let status: number;
    try {
      const response = await request.get(url, { maxRedirects: 0, timeout: 30_000 });
      status = response.status();
      await response.body(); // a download cut short throws here
    } catch (error) {
      failures.push(`${url.slice(0, 160)} -> ${(error as Error).message.split("\n")[0]}`);
      continue;
    }
    if (status >= 500) failures.push(`${url.slice(0, 160)} -> ${status}`);
  }
  expect(failures, `${failures.length} of ${urls.length} hostile requests failed`).toEqual([]);
}

let ids: Awaited<ReturnType<typeof seededIds>>;
let credentials: { email: string; password: string };
test.beforeAll(async () => {
  ids = await seededIds();
  credentials = await createUser([...ROLES]);
});

// The query sweep is four parts; `npm test` runs one, the UTC day's, so four days cover them all.
// HOSTILE_PARTS=all (or e.g. "2,4") runs those parts.
const PARTS = [0, 1, 2, 3];
const chosenParts = (setting = process.env.HOSTILE_PARTS ?? ""): number[] =>
  setting === "all" ? PARTS : setting ? setting.split(",").map((n) => Number(n) - 1) : [Math.floor(Date.now() / 86_400_000) % PARTS.length];

for (const chunk of PARTS) {
  test(`pages answer hostile query strings without a 5xx (part ${chunk + 1} of 4)`, async ({ page }) => {
    test.skip(!chosenParts().includes(chunk), `today's run sweeps part ${chosenParts()[0]! + 1}; HOSTILE_PARTS=all runs every part`);
    test.setTimeout(600_000);
    await signInAndWait(page, credentials.email, credentials.password);
    const all = targets(ids).flatMap((t) => hostileQueries(t).map((q) => `${t.path}${t.path.includes("?") ? "&" : "?"}${q}`));
    const urls = all.filter((_, i) => i % 4 === chunk);
    await expectNo5xx(page.request, urls);
  });
}

test("exports and id routes answer hostile input without a 5xx or a cut download", async ({ page }) => {
  test.setTimeout(600_000);
  await signInAndWait(page, credentials.email, credentials.password);
  const urls = [
    ...EXPORTS.flatMap((path) => exportQueries().map((q) => `${path}&${q}`)),
    ...exportQueries()
      .slice(0, 12)
      .map((q) => `/api/audit/reports/waivers?${q}`),
    ...PATHS_WITH_IDS,
  ];
  await expectNo5xx(page.request, urls);
});

test("an export refuses a date it cannot represent before it sends anything", async ({ page }) => {
  await signInAndWait(page, credentials.email, credentials.password);
  for (const query of ["from=0000-01-01", "to=10000-01-01", "from=2026-02-30", "q=a&q=b", "action=a%00b", `q=${"x".repeat(300)}`]) {
    const response = await page.request.get(`/api/exports/events?format=jsonl&${query}`);
    expect(response.status(), query).toBe(400);
    expect((await response.json()).error, query).toMatch(/^The export was not started\. /);
  }
  // The far end of the range is a real day: the export runs to its end.
  const whole = await page.request.get("/api/exports/events?format=jsonl&to=9999-12-31");
  expect(whole.status()).toBe(200);
  const lines = (await whole.text()).trim().split("\n");
  expect(lines.length).toBeGreaterThan(1);
});

test("a query string too long for any filter gets a message", async ({ page }) => {
  await signInAndWait(page, credentials.email, credentials.password);
  const response = await page.request.get(`/changes?q=${"x".repeat(20_000)}`, { maxRedirects: 0 });
  expect([414, 431]).toContain(response.status());
  // Under Node's own header limit the proxy answers, with a message a person can act on.
  const long = await page.request.get(`/changes?q=${"x".repeat(10_000)}`, { maxRedirects: 0 });
  expect(long.status()).toBe(431);
  expect(await long.text()).toMatch(/^This address is too long/);
});

test("a request body larger than any form sends is refused with a message", async ({ page }) => {
  await signInAndWait(page, credentials.email, credentials.password);
  const response = await page.request.post("/changes/new", {
    data: "x".repeat(2 * 1024 * 1024),
    headers: { "content-type": "text/plain", origin: new URL(page.url()).origin },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(413);
  expect(await response.text()).toMatch(/^This request is too large/);
});
