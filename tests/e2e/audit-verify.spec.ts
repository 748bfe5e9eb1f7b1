import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { expect, test } from "./support/test";
import { SCREENSHOTS, signInAndWait } from "./support/session";

test("an auditor verifies the live audit log, takes a checkpoint and downloads the public key", async ({ page }) => {
  await signInAndWait(page, "auditor@demo.local");
  await page.goto("/audit/verify");
  await expect(page.getByRole("heading", { name: "Verify audit log" })).toBeVisible();
  await page.getByRole("button", { name: "Verify the audit log now" }).click();
  const main = page.getByRole("main");
  await expect(main.getByRole("status").filter({ hasText: "Verified." })).toBeVisible({ timeout: 30_000 });
  await expect(main.getByRole("status").filter({ hasText: "Verified." })).toContainText(/All [\d,]+ events chain correctly/);

  await page.getByRole("button", { name: "Take a checkpoint now" }).click();
  await expect(main.getByRole("status").filter({ hasText: "Checkpoint signed at event" })).toBeVisible();
  await expect(main.getByRole("table").getByText("On demand").first()).toBeVisible();
  await expect(main.getByText("Retention period", { exact: true })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/audit-verify.png`, fullPage: true });

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download public key (PEM)" }).click(),
  ]);
  expect(await readFile((await download.path())!, "utf8")).toContain("BEGIN PUBLIC KEY");
  const [checkpoint] = await Promise.all([
    page.waitForEvent("download"),
    main
      .getByRole("table")
      .getByRole("link", { name: /Download/ })
      .first()
      .click(),
  ]);
  expect(JSON.parse(await readFile((await checkpoint.path())!, "utf8"))).toMatchObject({
    seq: expect.any(Number),
    signature: expect.any(String),
  });
});

test("an auditor reads the exception reports and exports one as CSV", async ({ page }) => {
  await signInAndWait(page, "auditor@demo.local");
  await page.goto("/audit/reports");
  const main = page.getByRole("main");
  // One heading per report in EXCEPTION_REPORTS (lib/domain/exception-reports.ts).
  await expect(main.getByRole("heading", { level: 2 })).toHaveCount(7);
  await page.screenshot({ path: `${SCREENSHOTS}/audit-reports.png`, fullPage: true });

  await main.getByRole("link", { name: "Changes closed without a post-implementation review" }).click();
  await expect(main.getByRole("status")).toContainText("Count: 0.");
  await expect(main.getByText("The query behind this report")).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/audit-report-closed-without-review.png`, fullPage: true });

  await page.goto("/audit/reports/waivers");
  await expect(main.getByRole("table").getByRole("row")).not.toHaveCount(1); // the demo holds a waiver
  await page.screenshot({ path: `${SCREENSHOTS}/audit-report-waivers.png`, fullPage: true });
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^waivers-\d{8}T\d{6}Z\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  expect(csv.split("\r\n")[0]).toBe("change,title,change_state,item,waived_by,waived_at,compensating_control,residual_risk");
  // Like every export, the report has a manifest: its row count and SHA-256 match the file.
  const manifestUrl = await page.getByRole("link", { name: "Download manifest" }).getAttribute("href");
  const manifest = await (await page.request.get(manifestUrl!)).json();
  expect(manifest).toMatchObject({
    kind: "report",
    fileFormat: "csv",
    filters: { report: "waivers" },
    rowCount: (parse(csv) as string[][]).length - 1,
  });
  expect(manifest.sha256).toBe(createHash("sha256").update(csv).digest("hex"));
});

test("a requester gets 403 on the verify and report pages and their routes", async ({ page, baseURL }) => {
  await signInAndWait(page, "requester@demo.local");
  for (const path of ["/audit/verify", "/audit/reports", "/audit/reports/waivers"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  }
  for (const path of ["/api/audit/public-key", "/api/audit/checkpoints/1", "/api/audit/reports/waivers"]) {
    expect((await page.request.get(path)).status(), path).toBe(403);
  }
  // From the portal's own origin, so that the refusal is the role's, not the cross-site guard's.
  const verify = await page.request.post("/api/audit/verify", { headers: { origin: baseURL! } });
  expect(verify.status()).toBe(403);
  expect((await verify.json()).error).toBe("Only auditors and admins can read and export the audit history.");
});

test("an admin may verify the audit log too", async ({ page }) => {
  await signInAndWait(page, "admin@demo.local");
  await page.goto("/audit/verify");
  await page.getByRole("button", { name: "Verify the audit log now" }).click();
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: "Verified." })).toBeVisible({ timeout: 30_000 });
});
