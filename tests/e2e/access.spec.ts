import { expect, test } from "./support/test";
import { signInAndWait } from "./support/session";

test("a requester gets 403 on the admin pages", async ({ page }) => {
  await signInAndWait(page, "requester@demo.local");
  for (const path of ["/admin/users", "/admin/users/new", "/audit", "/cab"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  }
});

test("an anonymous visitor is sent to sign-in", async ({ page }) => {
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/signin/);
});

test("an unknown address shows the 404 page", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("the bench's floor page is not in the product's build", async ({ page }) => {
  await signInAndWait(page, "requester@demo.local");
  const response = await page.goto("/bench-floor");
  expect(response?.status()).toBe(404);
});

test("a wrong password and an unknown account get the same message", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email address").fill("auditor@demo.local");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const alert = page.getByRole("main").getByRole("alert");
  await expect(alert).toHaveText("The email address or password is incorrect.");
  await page.getByLabel("Email address").fill("nobody-here@demo.local");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(alert).toHaveText("The email address or password is incorrect.");
});

test("the session cookie is httpOnly and SameSite=Lax, and sign-out clears it", async ({ page, context }) => {
  await signInAndWait(page, "auditor@demo.local");
  const session = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  expect((await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"))).toBeUndefined();
});
