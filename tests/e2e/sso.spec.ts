import { expect, test } from "./support/test";
import { query } from "./support/database";
import { SCREENSHOTS, signInAndWait } from "./support/session";

// Issue 34: sign in through the company's identity provider (the demo's oidc-provider) in Chromium.

test("a user signs in through the identity provider's login page and lands with the roles their groups give", async ({ page, browser }) => {
  await page.goto("/signin?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
  // A hostile error code gets the generic message, never itself.
  // (Next.js's route announcer is an alert too, so the message is found by its text.)
  await expect(page.getByRole("alert").filter({ hasText: "Sign-in did not complete. Start again." })).toBeVisible();
  await expect(page.getByText("<script>")).toHaveCount(0);
  await page.goto("/signin");
  await expect(page.getByRole("button", { name: "Sign in with SSO" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/sign-in-sso.png`, fullPage: true });

  await page.getByRole("button", { name: "Sign in with SSO" }).click();
  await expect(page.getByRole("heading", { name: "Company identity provider" })).toBeVisible();
  await page.getByLabel("E-mail").fill("sasha.sso@demo.local");
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Unknown e-mail address or wrong password.");
  await page.getByLabel("E-mail").fill("sasha.sso@demo.local");
  await page.getByLabel("Password").fill("demo-sso-2026");
  await page.getByRole("button", { name: "Sign in" }).click();

  // Back in the portal, signed in as the user made just in time, with change manager's and CAB member's pages.
  await expect(page.getByTestId("signed-in-user")).toContainText("Sasha Sso");
  const nav = page.getByRole("navigation", { name: /main/i });
  await expect(nav.getByRole("link", { name: "CAB queue" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "All changes" })).toBeVisible();
  const [row] = await query<{ oidc_subject: string; roles: string }>(
    `SELECT u.oidc_subject, string_agg(r.role::text, ',' ORDER BY r.role::text) AS roles
       FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.email = 'sasha.sso@demo.local' GROUP BY u.oidc_subject`,
  );
  expect(row).toEqual({ oidc_subject: "demo-sso-1", roles: "cab_member,change_manager" });

  // An admin sees the mapping and where Sasha came from.
  const admin = await browser.newPage();
  await signInAndWait(admin, "admin@demo.local");
  await admin.goto("/admin/sso");
  await expect(admin.getByRole("heading", { level: 1, name: "Single sign-on" })).toBeVisible();
  const mapping = admin.getByRole("region", { name: "Groups and roles" });
  await expect(mapping.getByRole("row", { name: /change-managers/ })).toContainText("Change manager");
  const users = admin.getByRole("region", { name: "Users from SSO" });
  await expect(users.getByRole("row", { name: /Sasha Sso/ })).toContainText("demo-sso-1");
  await expect(admin.getByText("/api/auth/callback/oidc")).toBeVisible();
  await admin.screenshot({ path: `${SCREENSHOTS}/admin-sso.png`, fullPage: true });
  await admin.close();

  // Signing out of the portal ends the IdP's session too (RP-initiated logout): its page asks, then sends the browser back.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("Sign out of the company identity provider too?")).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/sso-sign-out.png`, fullPage: true });
  await page.getByRole("button", { name: "Yes, sign me out" }).click();
  await expect(page).toHaveURL(/\/signin(\?|$)/);
  // The IdP asks for the password again: its session is gone.
  await page.getByRole("button", { name: "Sign in with SSO" }).click();
  await expect(page.getByLabel("Password")).toBeVisible();
});
