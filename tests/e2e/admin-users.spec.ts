import { expect, test } from "./support/test";
import { SCREENSHOTS, signIn, signInAndWait } from "./support/session";

test("the sign-in page lists the demo accounts while demo data is loaded", async ({ page }) => {
  await page.goto("/signin");
  await expect(page.getByRole("heading", { name: "Demo accounts" })).toBeVisible();
  await expect(page.getByText("admin@demo.local")).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/sign-in.png`, fullPage: true });
});

test("an admin creates a user, who must choose a password at first sign-in; roles and deactivation follow", async ({ page, browser }) => {
  await signInAndWait(page, "admin@demo.local");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Riley Requester" })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/admin-users.png`, fullPage: true });

  // A wrong form keeps what was typed and says what to fix beside each field.
  await page.getByRole("link", { name: "New user" }).click();
  const email = `new-${Date.now()}@example.test`;
  await page.getByLabel("Full name").fill("Nora New");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Temporary password").fill("short");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText("Use at least 12 characters.")).toBeVisible();
  await expect(page.getByText("Choose at least one role.")).toBeVisible();
  await expect(page.getByLabel("Full name")).toHaveValue("Nora New");
  await expect(page.getByLabel("Email address")).toHaveValue(email);
  await page.screenshot({ path: `${SCREENSHOTS}/admin-new-user-errors.png`, fullPage: true });

  await page.getByLabel("Temporary password").fill("temporary-pass-123");
  await page.getByRole("checkbox", { name: "Requester" }).check();
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("heading", { name: "Nora New" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("User created");

  // A privileged role is requested by one admin, with a reason, and approved by a second.
  await expect(page.getByRole("button", { name: "Grant CAB member" })).toHaveCount(0);
  await page.getByLabel("Role", { exact: true }).selectOption({ label: "CAB member" });
  await page.getByRole("button", { name: "Request role" }).click();
  await expect(page.getByText("Say why they need this role.")).toBeVisible();
  await expect(page.getByLabel("Role", { exact: true })).toHaveValue("cab_member");
  await page.getByLabel("Reason", { exact: true }).fill("Joins the CAB for the payments platform.");
  await page.getByRole("button", { name: "Request role" }).click();
  await expect(page.getByText("Requested: awaiting a second admin")).toBeVisible();
  // Ada asked, so she may withdraw it but not approve it.
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Withdraw" })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/admin-user.png`, fullPage: true });

  const blair = await browser.newPage();
  await signInAndWait(blair, "admin2@demo.local");
  await blair.goto("/admin/users");
  await blair.getByRole("link", { name: "Role requests" }).click();
  await expect(blair.getByRole("heading", { name: "Role requests", level: 1 })).toBeVisible();
  const request = blair
    .getByRole("region", { name: "Awaiting a second admin" })
    .getByRole("listitem")
    .filter({ hasText: "CAB member for Nora New" });
  await expect(request).toContainText("Joins the CAB for the payments platform.");
  await blair.screenshot({ path: `${SCREENSHOTS}/admin-role-requests.png`, fullPage: true });
  await request.getByRole("button", { name: "Approve" }).click();
  const confirm = blair.getByRole("dialog", { name: "Approve CAB member for Nora New?" });
  await expect(confirm).toBeVisible();
  await blair.screenshot({ path: `${SCREENSHOTS}/admin-role-approve-confirm.png` });
  await confirm.getByRole("button", { name: "Approve" }).click();
  await expect(
    blair.getByRole("region", { name: "Recently decided" }).getByRole("listitem").filter({ hasText: "CAB member for Nora New" }),
  ).toContainText("approved by Blair Admin");
  await blair.close();
  await page.reload();
  await expect(page.getByRole("button", { name: "Remove CAB member" })).toBeVisible();

  // The new user must replace the temporary password before anything else.
  const nora = await browser.newPage();
  await signIn(nora, email, "temporary-pass-123");
  await expect(nora.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await nora.goto("/cab");
  await expect(nora).toHaveURL(/\/account\/password/);
  await nora.getByLabel("Current password").fill("temporary-pass-123");
  await nora.getByLabel("New password", { exact: true }).fill("nora's own passphrase");
  await nora.getByLabel("Repeat the new password").fill("nora's own passphrase");
  await nora.getByRole("button", { name: "Change password" }).click();
  await expect(nora.getByTestId("signed-in-user")).toHaveText("Nora New");
  await expect(nora.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "CAB queue" })).toBeVisible();

  // Deactivation asks first, then takes effect at Nora's next request.
  await page.getByRole("button", { name: "Deactivate account" }).click();
  const dialog = page.getByRole("dialog", { name: "Deactivate Nora New?" });
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/admin-deactivate-confirm.png` });
  await dialog.getByRole("button", { name: "Deactivate" }).click();
  await expect(page.getByRole("main").getByText("is deactivated and loses access at their next request")).toBeVisible();
  await expect(page.getByRole("button", { name: "Reactivate account" })).toBeVisible();

  await nora.reload();
  await expect(nora).toHaveURL(/\/signin/);
  await nora.close();
});

test("an admin cannot deactivate their own account", async ({ page }) => {
  await signInAndWait(page, "admin@demo.local");
  await page.goto("/admin/users?q=admin%40demo.local");
  await page.getByRole("link", { name: "Ada Admin" }).click();
  await page.getByRole("button", { name: "Deactivate account" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Deactivate" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("You cannot deactivate your own account. Ask another admin.");
});
