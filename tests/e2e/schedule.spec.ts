import { expect, test } from "./support/test";
import { DEMO_FREEZE_DAY, DEMO_FREEZE_REASON } from "../../prisma/seed/demo-schedule";
import { query } from "./support/database";
import { SCREENSHOTS, signInAndWait } from "./support/session";

const FREEZE = DEMO_FREEZE_REASON;
const freezeDay = () => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + DEMO_FREEZE_DAY));
};
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

test("the calendar shades the demo freeze and shows scheduled changes; a click opens the change", async ({ page }) => {
  await signInAndWait(page, "manager@demo.local");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Change calendar" }).click();
  await expect(page.getByRole("heading", { name: "Change calendar", level: 1 })).toBeVisible();
  await page.goto(`/calendar?view=month&date=${isoDay(freezeDay())}`);
  const frozen = page.getByRole("cell", { name: isoDay(freezeDay()) });
  await expect(frozen).toHaveAttribute("data-frozen", "true");
  await expect(frozen.getByText(`Freeze: ${FREEZE}`)).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/calendar-month.png`, fullPage: true });

  await page.goto("/calendar?view=week");
  await expect(page.getByRole("table", { name: "Change calendar" })).toBeVisible();
  await page.goto("/calendar?view=list");
  await expect(page.getByRole("main").getByText(`Freeze: ${FREEZE}`)).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/calendar-forward-schedule.png`, fullPage: true });
  await page.getByRole("main").getByRole("link", { name: "Patch OpenSSL on the web tier" }).click();
  await expect(page.getByRole("heading", { name: "Patch OpenSSL on the web tier", level: 1 })).toBeVisible();
});

test("a normal change planned inside the freeze cannot be scheduled, and the page says why and how to proceed", async ({ page }) => {
  await signInAndWait(page, "manager@demo.local");
  await page.goto("/changes?q=payments-db+minor");
  await page.getByRole("main").getByRole("link", { name: "Upgrade the payments-db minor version" }).click();
  const schedule = page.getByRole("region", { name: "Schedule and conflicts" });
  await expect(schedule.getByText("Blocks scheduling")).toBeVisible();
  await expect(schedule.getByText(new RegExp(`inside the freeze "${FREEZE}"`))).toBeVisible();
  await expect(schedule.getByText(/or ask for a freeze exception/)).toBeVisible();
  await expect(page.getByRole("region", { name: "What you can do" }).getByText(/falls inside a change freeze/)).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/change-freeze-conflict.png`, fullPage: true });
});

test("rescheduling a scheduled normal change into the freeze is refused with the reason", async ({ page }) => {
  await signInAndWait(page, "manager@demo.local");
  await page.goto("/changes?q=Patch+OpenSSL");
  await page.getByRole("main").getByRole("link", { name: "Patch OpenSSL on the web tier" }).click();
  const schedule = page.getByRole("region", { name: "Schedule and conflicts" });
  await schedule.getByText("Move the planned window…").click();
  const day = isoDay(freezeDay());
  await schedule.getByLabel("Planned start").fill(`${day}T10:00`);
  await schedule.getByLabel("Planned end").fill(`${day}T11:00`);
  await schedule.getByRole("button", { name: "Reschedule" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText(`inside the freeze "${FREEZE}"`);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Move the planned window outside the freeze");
});

test("an admin sees the freeze windows; the dashboard draws its charts; the inbox lists notifications", async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  await signInAndWait(admin, "admin@demo.local");
  await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Freeze windows" }).click();
  await expect(admin.getByRole("main").getByRole("link", { name: FREEZE })).toBeVisible();
  await admin.getByRole("main").getByRole("button", { name: "Create freeze window" }).click();
  await expect(admin.getByRole("main").getByText("Say why changes are frozen", { exact: false })).toBeVisible();
  await admin.screenshot({ path: `${SCREENSHOTS}/admin-freezes.png`, fullPage: true });
  // Ended freezes from long ago, listed first with the ended ones: enough for a second page.
  await query(
    `INSERT INTO freeze_windows (starts_at, ends_at, reason, created_by_id)
     SELECT timestamptz '1990-01-01' + n * interval '1 day', timestamptz '1990-01-01' + n * interval '1 day' + interval '1 hour',
            'E2E paging freeze ' || n, (SELECT id FROM users WHERE email = 'admin@demo.local')
     FROM generate_series(1, 25) AS n`,
  );
  await admin.goto("/admin/freezes?past=1");
  await admin.getByRole("link", { name: "Next page" }).click();
  await expect(admin).toHaveURL(/past=1&after=/);
  await expect(admin.getByRole("link", { name: "First page" })).toBeVisible();
  await admin.screenshot({ path: `${SCREENSHOTS}/admin-freezes-page-2.png`, fullPage: true });
  await expect(admin.getByRole("main").getByRole("link", { name: FREEZE })).toBeVisible();

  const manager = await (await browser.newContext()).newPage();
  await signInAndWait(manager, "manager@demo.local");
  await manager.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Metrics" }).click();
  await expect(manager.getByRole("heading", { name: "Metrics", level: 1 })).toBeVisible();
  // Four change metrics and four DORA metrics.
  await expect(manager.getByTestId("metric-chart")).toHaveCount(8);
  await expect(manager.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await manager.screenshot({ path: `${SCREENSHOTS}/metrics.png`, fullPage: true });

  const cab = await (await browser.newContext()).newPage();
  await signInAndWait(cab, "cab@demo.local");
  await cab.getByRole("link", { name: /^Notifications/ }).click();
  await expect(cab.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
  await expect(
    cab
      .getByRole("main")
      .getByText(/awaits your vote/)
      .first(),
  ).toBeVisible();
  await cab.screenshot({ path: `${SCREENSHOTS}/notifications.png`, fullPage: true });
});
