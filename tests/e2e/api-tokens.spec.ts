import { expect, test } from "./support/test";
import { createUser } from "./support/database";
import { SCREENSHOTS, signInAndWait } from "./support/session";

// A person makes a token in the UI, sees it once, calls the API with it, and revokes it; an admin
// sees the demo's service account and its token.
test("a personal token is shown once, answers /api/v1/me, and is refused once revoked", async ({ page, baseURL }) => {
  const user = await createUser(["requester"]);
  await signInAndWait(page, user.email, user.password);
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();
  await expect(page.getByText("No tokens yet.")).toBeVisible();

  // A refused form keeps what was typed and says what to fix.
  await page.getByLabel("Token name").fill("Laptop script");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText("Choose at least one scope.")).toBeVisible();
  await expect(page.getByLabel("Token name")).toHaveValue("Laptop script");

  await page.getByRole("checkbox", { name: /changes:read/ }).check();
  await page.getByLabel("Expires after").selectOption("30");
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("new-token");
  await expect(shown).toHaveValue(/^ccp_[a-z2-7]{12}_[a-z2-7]{52}$/);
  const token = await shown.inputValue();
  await expect(page.getByText("Copy the token now: it is shown this once")).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/account-tokens-created.png`, fullPage: true });

  const me = await fetch(`${baseURL}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(me.status).toBe(200);
  expect(await me.json()).toMatchObject({ email: user.email, kind: "user", roles: ["requester"], scopes: ["changes:read"] });

  // The browser's own session never authenticates the API, even same-origin.
  const withCookie = await page.request.get("/api/v1/me");
  expect(withCookie.status()).toBe(401);
  expect(withCookie.headers()["content-type"]).toBe("application/problem+json");
  expect(await withCookie.json()).toMatchObject({ status: 401, code: "token_missing" });
  // Nor is /api/v1 Origin-checked as a server action is (no cookie rides it): a POST from another
  // site reaches the route, which has no POST.
  const foreign = await page.request.post("/api/v1/me", { headers: { origin: "https://evil.example" } });
  expect(foreign.status()).toBe(405);

  // Shown once: after a reload only the public part is on the page, and its last use is recorded.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  expect(await page.content()).not.toContain(token.slice(17));
  const row = page.getByRole("row", { name: /Laptop script/ });
  await expect(row).toContainText(`${token.slice(0, 16)}_…`);
  await expect(row).not.toContainText("Never");
  await expect(row).toContainText("Active");
  await page.screenshot({ path: `${SCREENSHOTS}/account-tokens.png`, fullPage: true });

  await row.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
  await expect(page.getByRole("row", { name: /Laptop script/ })).toContainText("Revoked");

  const refused = await fetch(`${baseURL}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(refused.status).toBe(401);
  expect(await refused.json()).toMatchObject({ code: "token_revoked" });
});

test("an admin sees the demo's service account with its token, and a refused form keeps what was typed", async ({ page }) => {
  await signInAndWait(page, "admin@demo.local");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Service accounts" }).click();
  await expect(page.getByRole("heading", { name: "Service accounts", level: 1 })).toBeVisible();
  const deploy = page.getByRole("region", { name: "Deploy pipeline", exact: true });
  await expect(deploy).toContainText("Requester");
  await expect(deploy).toContainText("Implementer");
  await expect(deploy.getByRole("row", { name: /Release pipeline/ })).toContainText("ccp_");

  await page.getByLabel("Name", { exact: true }).fill("Chat bot");
  await page.getByRole("button", { name: "Create service account" }).click();
  await expect(page.getByText("Choose at least one role.")).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Chat bot");
  await page.screenshot({ path: `${SCREENSHOTS}/admin-service-accounts.png`, fullPage: true });
});
