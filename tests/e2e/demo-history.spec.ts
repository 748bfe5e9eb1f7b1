import { DEMO_HISTORY_FREEZES } from "../../prisma/seed/demo-schedule";
import { SCREENSHOTS, signInAndWait } from "./support/session";
import { expect, test } from "./support/test";

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const today = () => new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));

test("the demo's months of history show in the metrics, the calendar and the change list", async ({ page, browser }) => {
  await signInAndWait(page, "manager@demo.local");
  const main = page.getByRole("main");

  await page.goto("/metrics");
  const figure = (label: string) =>
    main
      .locator("div", { has: page.locator("dt", { hasText: label }) })
      .locator("dd")
      .first();
  // Hours or days, not minutes: changes waited for their CAB as they would in a real organisation.
  await expect(figure("CAB cycle time (median)")).toHaveText(/^[\d.,]+ (h|days)$/);
  await expect(figure("Lead time (median)")).toHaveText(/^[\d.,]+ (h|days)$/);
  await expect(figure("Mean time to restore")).not.toHaveText("—");
  await expect(figure("Reviews overdue")).not.toHaveText("0");
  await expect(figure("Rework rate")).not.toHaveText("0%");
  // The DORA figures, from the demo's deployments to production.
  await expect(figure("Deployment frequency")).toHaveText(/^[\d.,]+ a (day|week)$/);
  await expect(figure("Lead time for changes")).toHaveText(/^[\d.,]+ (h|days)$/);
  await expect(figure("Change failure rate")).not.toHaveText(/^(0%|—)$/);
  await expect(figure("Failed deployment recovery")).toHaveText(/^[\d.,]+ (min|h)$/);
  await expect(main.getByRole("region", { name: "Delivery figures by environment and CI" }).getByRole("row")).not.toHaveCount(1);
  await page.screenshot({ path: `${SCREENSHOTS}/demo-metrics.png`, fullPage: true });

  const freeze = DEMO_HISTORY_FREEZES.find((f) => f.day < 0 && f.day > -30)!;
  const freezeDay = new Date(today().getTime() + freeze.day * DAY);
  // The forward schedule holds the coming week's work; a past freeze is shaded where it was.
  await page.goto(`/calendar?view=month&date=${isoDay(new Date(today().getTime() + 7 * DAY))}`);
  await expect(main.getByTestId("calendar-change").first()).toBeVisible();
  expect(await main.getByTestId("calendar-change").count()).toBeGreaterThan(3);
  await page.screenshot({ path: `${SCREENSHOTS}/demo-calendar.png`, fullPage: true });
  await page.goto(`/calendar?view=month&date=${isoDay(freezeDay)}`);
  await expect(main.getByText(`Freeze: ${freeze.reason}`).first()).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/demo-calendar-past-freeze.png`, fullPage: true });

  // Searched for: other specs file changes into the same database, so the newest page may hold only theirs.
  await page.goto("/changes?q=Patch%20OpenSSL");
  await expect(main.getByRole("link", { name: "Patch OpenSSL on the web tier" })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/demo-changes.png`, fullPage: true });
  // The past is there too: rework, closed months ago.
  await page.goto("/changes?q=WebAuthn");
  await expect(main.getByRole("link", { name: "Enforce WebAuthn for admin sign-in" })).toBeVisible();

  // The auditors' report of deployments no change authorized, and narrowed to one reason.
  const auditor = await (await browser.newContext()).newPage();
  await signInAndWait(auditor, "auditor@demo.local");
  const auditorMain = auditor.getByRole("main");
  await auditor.goto("/audit/reports/unauthorized-deployments");
  await expect(auditorMain.getByRole("status")).toHaveText(/^\d+ rows as of now\.$/);
  await expect(auditorMain.getByRole("cell", { name: "No matching change" }).first()).toBeVisible();
  await auditor.screenshot({ path: `${SCREENSHOTS}/demo-unauthorized-deployments.png`, fullPage: true });
  await auditorMain.getByLabel("Reason").selectOption("in_freeze");
  await auditorMain.getByRole("button", { name: "Filter" }).click();
  await expect(auditor).toHaveURL(/reason=in_freeze/);
  await expect(auditorMain.getByRole("status")).toHaveText("1 row matches these filters as of now.");
  await expect(auditorMain.getByRole("cell", { name: "Inside a freeze" })).toBeVisible();
});
