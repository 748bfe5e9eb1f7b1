import { expect, type Page } from "@playwright/test";
import { test } from "./support/test";
import { SCREENSHOTS, signInAndWait } from "./support/session";

async function createCi(
  page: Page,
  ci: { name: string; type: string; environment: string; owner: string; criticality: string; exposure: string; tags: string },
) {
  await page.goto("/admin/cis/new");
  await page.getByLabel("Name", { exact: true }).fill(ci.name);
  await page.getByLabel("Type").fill(ci.type);
  await page.getByLabel("Environment").fill(ci.environment);
  await page.getByLabel("Owner").fill(ci.owner);
  await page.getByLabel("Criticality").selectOption(ci.criticality);
  await page.getByLabel("Exposure").selectOption(ci.exposure);
  await page.getByLabel("Tags").fill(ci.tags);
  await page.getByRole("button", { name: "Create configuration item" }).click();
  await expect(page.getByRole("heading", { name: ci.name, level: 1 })).toBeVisible();
  return page.url();
}

async function pickCi(page: Page, name: string) {
  await page.getByRole("searchbox", { name: "Search configuration items" }).fill(name);
  await page.getByRole("button", { name: `Add ${name}` }).click();
  await expect(page.getByRole("button", { name: `Remove ${name}` })).toBeVisible();
}

test("an admin manages configuration items: create, edit, dependencies; loops and stale edits are refused", async ({ page, browser }) => {
  const stamp = Date.now();
  const web = `web-${stamp}`;
  const db = `db-${stamp}`;
  await signInAndWait(page, "admin@demo.local");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Configuration items" }).click();
  await expect(page.getByRole("heading", { name: "Configuration items", level: 1 })).toBeVisible();

  // A wrong form says what to fix beside each field and keeps what was typed.
  await page.getByRole("link", { name: "New configuration item" }).click();
  await page.getByLabel("Owner").fill("Web team");
  await page.getByLabel("Tags").fill("pci");
  await page.getByRole("button", { name: "Create configuration item" }).click();
  await expect(page.getByText("Enter the name.")).toBeVisible();
  await expect(page.getByText("Choose a criticality from 1 to 4.")).toBeVisible();
  await expect(page.getByLabel("Owner")).toHaveValue("Web team");
  await expect(page.getByLabel("Tags")).toHaveValue("pci");

  const dbUrl = await createCi(page, {
    name: db,
    type: "database",
    environment: "production",
    owner: "Data team",
    criticality: "4",
    exposure: "internal",
    tags: "pci",
  });
  const webUrl = await createCi(page, {
    name: web,
    type: "application",
    environment: "production",
    owner: "Web team",
    criticality: "3",
    exposure: "internet_facing",
    tags: "pci, checkout",
  });
  await expect(page.getByRole("main").getByRole("status")).toContainText("Configuration item created");

  // web depends on db.
  await pickCi(page, db);
  await page.getByRole("button", { name: "Save dependencies" }).click();
  await expect(page.getByRole("main").getByText(`${web} now depends on 1 configuration item.`)).toBeVisible();

  // db depending on web would close a loop: refused, with the loop named.
  await page.goto(dbUrl);
  await expect(page.getByRole("link", { name: web })).toBeVisible(); // under "Depended on by"
  await pickCi(page, web);
  await page.getByRole("button", { name: "Save dependencies" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(
    `That would make a dependency loop: ${db} → ${web} → ${db}. A configuration item cannot depend, even indirectly, on itself.`,
  );

  // Two admins edit web at once: the second, from a stale page, is refused and keeps the typing.
  const other = await browser.newPage();
  await signInAndWait(other, "admin@demo.local");
  await other.goto(webUrl);
  await page.goto(webUrl);
  await page.getByLabel("Owner").fill("Checkout team");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("main").getByText(`${web} was saved.`)).toBeVisible();
  await other.getByLabel("Owner").fill("Storefront team");
  await other.getByRole("button", { name: "Save changes" }).click();
  await expect(other.getByRole("main").getByRole("alert")).toHaveText("This item was changed by someone else; reload to see their change.");
  await expect(other.getByLabel("Owner")).toHaveValue("Storefront team");
  await other.close();

  await page.goto(`/admin/cis?q=${stamp}`);
  await expect(page.getByRole("link", { name: web })).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(web) })).toContainText("Checkout team");
  await page.goto("/admin/cis");
  await page.screenshot({ path: `${SCREENSHOTS}/admin-cis.png`, fullPage: true });
  await page.goto(webUrl);
  await page.screenshot({ path: `${SCREENSHOTS}/admin-ci.png`, fullPage: true });
});

test("templates: an admin proposes, cannot approve their own, a change manager approves; a new version awaits approval again; retire", async ({
  page,
  browser,
}) => {
  const stamp = Date.now();
  const ci = `lb-${stamp}`;
  const title = `Rotate TLS certificate ${stamp}`;
  await signInAndWait(page, "admin@demo.local");
  await createCi(page, {
    name: ci,
    type: "network",
    environment: "production",
    owner: "Network team",
    criticality: "3",
    exposure: "internet_facing",
    tags: "",
  });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Templates" }).click();
  await expect(page.getByRole("heading", { name: "Templates", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "Propose template" }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Propose template" }).click();
  await expect(page.getByText("Enter the implementation plan.")).toBeVisible();
  await expect(page.getByText("Choose at least one configuration item the template may touch.")).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue(title);

  await page.getByLabel("Description").fill("Replace an expiring certificate on one load balancer.");
  await page.getByLabel("Implementation plan").fill("Upload the new certificate, switch the listener, verify.");
  await page.getByLabel("Backout plan").fill("Switch the listener back to the old certificate.");
  await page.getByLabel("Test plan").fill("curl -v shows the new expiry date.");
  await pickCi(page, ci);
  await page.getByRole("button", { name: "Propose template" }).click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await expect(page.getByRole("main").getByText("Awaiting approval").first()).toBeVisible();
  // Segregation of duties: the proposer is told why they cannot approve.
  await expect(page.getByText("You proposed this version, so someone else must approve it (segregation of duties).")).toBeVisible();
  await expect(page.getByRole("button", { name: /Approve/ })).toHaveCount(0);
  const v1Url = page.url().split("?")[0]!;

  const manager = await browser.newPage();
  await signInAndWait(manager, "manager@demo.local");
  await manager.goto(v1Url);
  await manager.getByRole("button", { name: "Approve version 1" }).click();
  await expect(manager.getByRole("main").getByRole("status")).toContainText("is approved and can be used for standard changes.");
  await manager.close();

  // Editing an approved template proposes version 2; version 1 stays in use until it is approved.
  await page.goto(v1Url);
  await expect(page.getByText("Approved by")).toBeVisible();
  await page.getByRole("link", { name: "Edit as new version" }).click();
  await expect(page.getByLabel("Title")).toHaveValue(title);
  await page.getByLabel("Test plan").fill("curl -v shows the new expiry date and the full chain.");
  await page.getByRole("button", { name: "Propose new version" }).click();
  await expect(page.getByRole("main").getByText("Version 2 · risk ceiling low")).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Version 1" })).toContainText("Approved");

  await page.goto("/admin/templates");
  await page.screenshot({ path: `${SCREENSHOTS}/admin-templates.png`, fullPage: true });
  await page.getByRole("link", { name: title }).first().click();
  await page.screenshot({ path: `${SCREENSHOTS}/admin-template.png`, fullPage: true });

  // Retire version 1: it asks first, then no new change can use it.
  await page.goto(v1Url);
  await page.getByRole("button", { name: "Retire template" }).click();
  const dialog = page.getByRole("dialog", { name: `Retire version 1 of “${title}”?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Retire" }).click();
  await expect(page.getByRole("main").getByText("New changes cannot use it.")).toBeVisible();
  await expect(page.getByText("Retired versions cannot be used or changed.")).toBeVisible();
});

test("a requester cannot open the configuration pages", async ({ page }) => {
  await signInAndWait(page, "requester@demo.local");
  for (const path of ["/admin/cis", "/admin/cis/new", "/admin/templates", "/admin/templates/new"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(403);
  }
});
