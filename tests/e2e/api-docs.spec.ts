import { createUser } from "./support/database";
import { SCREENSHOTS, signInAndWait } from "./support/session";
import { expect, test } from "./support/test";

// The API reference at /api/docs: Scalar from our own origin under the page CSP (the fixture fails
// the test on any violation), rendering the operations of the generated document, and nothing
// fetched from another origin.
test("the API reference renders the document's operations from our own origin", async ({ page, request, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const elsewhere: string[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) elsewhere.push(r.url());
  });

  // Reached from the account's token page.
  const user = await createUser(["requester"]);
  await signInAndWait(page, user.email, user.password);
  await page.goto("/account/tokens");
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === "/api/docs"),
    page.getByRole("link", { name: "the API reference" }).click(),
  ]);
  expect(response.status()).toBe(200);
  const policy = response.headers()["content-security-policy"]!;
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);

  for (const summary of ["Who the token acts as", "List the changes the caller may open", "One change as its page shows it"])
    await expect(page.getByText(summary).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("/changes/{id}").first()).toBeVisible();
  await expect(page.getByText("Open API Client")).toHaveCount(0);
  await page.screenshot({ path: `${SCREENSHOTS}/api-docs.png`, fullPage: false });
  expect(elsewhere).toEqual([]);

  // The bundle is cached a year at its versioned address; the document is public and revalidated.
  const script = await page.locator("script[src^='/api/docs/scalar.js']").getAttribute("src");
  const bundle = await request.get(script!);
  expect(bundle.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  expect(bundle.headers()["content-type"]).toMatch(/^text\/javascript/);
  // Public: neither the reference nor the document needs a session or a token.
  expect((await request.get("/api/docs")).status()).toBe(200);
  const document = await request.get("/api/v1/openapi.json");
  expect(document.status()).toBe(200);
  expect(document.headers()["cache-control"]).toMatch(/^public/);
  expect((await document.json()).openapi).toMatch(/^3\.1\./);
});
