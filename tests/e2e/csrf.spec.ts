import type { APIResponse, Page } from "@playwright/test";
import { signInAndWait } from "./support/session";
import { expect, test } from "./support/test";

// What a forged request can carry: another site's origin, an opaque one (sandboxed frame, data:
// URL, some redirects), or none at all. The browser sends the victim's cookie along with each.
const BAD_ORIGINS = { foreign: "https://evil.example", opaque: "null", missing: undefined } as const;

const withOrigin = (origin: string | undefined, headers: Record<string, string> = {}) =>
  origin === undefined ? headers : { ...headers, origin };

async function expectRefused(response: APIResponse, what: string) {
  expect(response.status(), what).toBe(403);
  expect((await response.json()).error, what).toMatch(/^Cross-site request refused/);
}

/** Opens a change the requester may comment on. */
async function openAChange(page: Page) {
  await page.goto("/changes/mine");
  const hrefs = await page
    .getByRole("main")
    .locator("a")
    .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  await page.goto(hrefs.find((href) => /^\/changes\/[0-9a-f-]{36}$/.test(href))!);
  await expect(page.getByRole("button", { name: "Add comment" })).toBeVisible();
}

test("a server action replayed with a foreign, null or missing Origin is refused and changes nothing", async ({ page }) => {
  await signInAndWait(page, "requester@demo.local");
  await openAChange(page);
  const body = `CSRF probe ${Date.now()}`;
  await page.getByLabel("Comment", { exact: true }).fill(body);
  // The real post from the page gives the action's id and its encoded arguments.
  const [post] = await Promise.all([
    page.waitForRequest((r) => r.method() === "POST" && r.headers()["next-action"] !== undefined),
    page.getByRole("button", { name: "Add comment" }).click(),
  ]);
  await expect(page.getByText(body, { exact: true })).toHaveCount(1);
  const replay = (origin: string | undefined) =>
    page.request.post(post.url(), {
      headers: withOrigin(origin, {
        "content-type": post.headers()["content-type"]!,
        "next-action": post.headers()["next-action"]!,
        accept: "text/x-component",
      }),
      data: post.postDataBuffer()!,
      maxRedirects: 0,
    });

  for (const [what, origin] of Object.entries(BAD_ORIGINS)) await expectRefused(await replay(origin), `server action, ${what} Origin`);
  // The same bytes from the portal's own origin go through: the refusals above were about the origin.
  expect((await replay(new URL(page.url()).origin)).status()).toBe(200);
  await page.reload();
  await expect(page.getByText(body, { exact: true })).toHaveCount(2);
});

test("POST /api/audit/verify refuses a foreign, null or missing Origin and runs from the portal's origin", async ({ page, baseURL }) => {
  await signInAndWait(page, "auditor@demo.local");
  for (const [what, origin] of Object.entries(BAD_ORIGINS))
    await expectRefused(await page.request.post("/api/audit/verify", { headers: withOrigin(origin) }), `verify, ${what} Origin`);
  const response = await page.request.post("/api/audit/verify", { headers: { origin: baseURL! } });
  expect(response.status()).toBe(200);
  expect(await response.text()).toContain('"type":"result"');
});

test("the sign-in and sign-out posts refuse a foreign, null or missing Origin", async ({ page }) => {
  await page.goto("/signin");
  for (const path of ["/api/auth/callback/credentials", "/api/auth/signout"]) {
    for (const [what, origin] of Object.entries(BAD_ORIGINS)) {
      await expectRefused(
        await page.request.post(path, {
          headers: withOrigin(origin),
          form: { email: "auditor@demo.local", password: "x" },
          maxRedirects: 0,
        }),
        `${path}, ${what} Origin`,
      );
    }
  }
});

test("an export refuses a cross-site download but not the portal's own link or a script without a browser", async ({ page, baseURL }) => {
  await signInAndWait(page, "auditor@demo.local");
  const exportPath = "/api/exports/events?format=jsonl&to=2000-01-01";
  const forged: Record<string, string>[] = [
    { "sec-fetch-site": "cross-site" },
    { "sec-fetch-site": "same-site" },
    { origin: "https://evil.example" },
    { origin: "null" },
  ];
  for (const headers of forged) {
    await expectRefused(await page.request.get(exportPath, { headers }), `export with ${JSON.stringify(headers)}`);
  }
  const honest: Record<string, string>[] = [{ "sec-fetch-site": "same-origin" }, { "sec-fetch-site": "none" }, { origin: baseURL! }, {}];
  for (const headers of honest) {
    expect((await page.request.get(exportPath, { headers })).status(), `export with ${JSON.stringify(headers)}`).toBe(200);
  }
});
