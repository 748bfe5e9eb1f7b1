import { expect, test } from "./support/test";
import { createUser } from "./support/database";
import { SCREENSHOTS, signInAndWait } from "./support/session";

// Issue 33: a CAB member on leave names a delegate; the delegate finds the delegator's changes in
// the CAB queue, votes on their behalf, and the change page shows the vote as cast "on behalf of".
test("a CAB member delegates, the delegate votes on their behalf, the change page shows it", async ({ page, browser }) => {
  const away = await createUser(["cab_member"]);
  const deputy = await createUser(["security_reviewer"]);

  await signInAndWait(page, away.email, away.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Delegation" }).click();
  await expect(page.getByRole("heading", { name: "Delegation", level: 1, exact: true })).toBeVisible();
  await page.getByLabel("Delegate", { exact: true }).selectOption({ label: `${deputy.name} (${deputy.email})` });
  await page.getByLabel("Reason (optional)").fill("Annual leave");
  await page.getByRole("button", { name: "Name delegate" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${deputy.name} votes for you` })).toBeVisible();
  await expect(page.getByTestId("delegation-row")).toContainText("active");
  await page.screenshot({ path: `${SCREENSHOTS}/account-delegation.png`, fullPage: true });

  const deputyPage = await (await browser.newContext()).newPage();
  await signInAndWait(deputyPage, deputy.email, deputy.password);
  await deputyPage.goto("/cab");
  const section = deputyPage.getByRole("region", { name: `On behalf of ${away.name}` });
  await expect(section).toBeVisible();
  await deputyPage.screenshot({ path: `${SCREENSHOTS}/cab-on-behalf.png`, fullPage: true });
  const first = section.getByRole("listitem").first().getByRole("link").first();
  await first.click();
  await expect(deputyPage).toHaveURL(/\/changes\/[0-9a-f-]{36}/);
  await expect(deputyPage.getByRole("heading", { name: `Vote on behalf of ${away.name}` })).toBeVisible();
  await deputyPage
    .getByRole("group", { name: `Decision for ${away.name}` })
    .getByLabel("Approve")
    .check();
  await deputyPage.getByRole("button", { name: `Cast vote for ${away.name}` }).click();
  await expect(deputyPage.getByRole("status").filter({ hasText: `Your vote on behalf of ${away.name} is recorded.` })).toBeVisible();
  const vote = deputyPage
    .getByRole("listitem")
    .filter({ hasText: `on behalf of ${away.name}` })
    .first();
  await expect(vote).toContainText(deputy.name);
  await expect(vote).toContainText("approve");
  // One vote per person per round: neither the form for them nor one of the deputy's own remains.
  await expect(deputyPage.getByRole("heading", { name: `Vote on behalf of ${away.name}` })).toHaveCount(0);
  await deputyPage.screenshot({ path: `${SCREENSHOTS}/change-vote-on-behalf.png`, fullPage: true });
  await deputyPage.context().close();

  // The admin's views: every delegation, and the reminder settings.
  const adminPage = await (await browser.newContext()).newPage();
  await signInAndWait(adminPage, "admin@demo.local");
  await adminPage.goto("/admin/delegations");
  await expect(adminPage.getByRole("region", { name: "Current and upcoming delegations" })).toContainText(deputy.name);
  await adminPage.screenshot({ path: `${SCREENSHOTS}/admin-delegations.png`, fullPage: true });
  await adminPage.goto("/admin/reminders");
  await adminPage.getByLabel("Time zone (IANA)").fill("Mars/Olympus");
  await adminPage.getByRole("button", { name: "Save settings" }).click();
  await expect(adminPage.getByRole("alert").filter({ hasText: "Unknown time zone" })).toBeVisible();
  await expect(adminPage.getByLabel("Time zone (IANA)")).toHaveValue("Mars/Olympus");
  await adminPage.screenshot({ path: `${SCREENSHOTS}/admin-reminders.png`, fullPage: true });
  await adminPage.context().close();
});
