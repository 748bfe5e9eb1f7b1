import { expect, test } from "./support/test";
import { createUser, query } from "./support/database";
import { signIn, signInAndWait } from "./support/session";

// Issue 28, item 4 (sessions that end) and item 6 (client addresses), as a browser meets them.

for (const hostile of ["/%5Cevil.example", "/%09/evil.example"]) {
  test(`sign-in does not follow callbackUrl=${hostile} to another host`, async ({ page, baseURL }) => {
    const user = await createUser(["requester"]);
    await page.goto(`/signin?callbackUrl=${hostile}`);
    await page.getByLabel("Email address").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByTestId("signed-in-user")).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  });
}

test("an e-mail address with a NUL byte gets the one sign-in message, no database error", async ({ page }) => {
  await signIn(page, "nul\u0000byte@example.test", "any password at all");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("The email address or password is incorrect.");
});

test("a temporary-password session is refused by route handlers, not only redirected by pages", async ({ page }) => {
  const user = await createUser(["auditor"]);
  await query(`UPDATE users SET must_change_password = true WHERE email = $1`, [user.email]);
  await signIn(page, user.email, user.password);
  await expect(page).toHaveURL(/\/account\/password$/);
  const response = await page.request.get("/api/audit/export?format=jsonl");
  expect(response.status()).toBe(401);
  const denied = await query(
    `SELECT e.entity_id FROM audit_events e JOIN users u ON u.id = e.actor_id WHERE u.email = $1 AND e.action = 'authorization.denied'`,
    [user.email],
  );
  expect(denied).toEqual([{ entity_id: "session:temporary-password" }]);
});

test("sign out everywhere ends the other browser's session at its next request", async ({ browser }) => {
  const user = await createUser(["requester"]);
  const [laptop, phone] = await Promise.all([browser.newContext(), browser.newContext()]);
  const [a, b] = await Promise.all([laptop.newPage(), phone.newPage()]);
  await signInAndWait(a, user.email, user.password);
  await signInAndWait(b, user.email, user.password);
  await a.getByRole("link", { name: "Account" }).click();
  await a.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(a).toHaveURL(/\/signin/);
  await b.goto("/changes");
  await expect(b).toHaveURL(/\/signin/);
  await Promise.all([laptop.close(), phone.close()]);
});

test("a client-sent X-Forwarded-For is not believed: the socket's address is recorded", async ({ browser }) => {
  const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": "203.0.113.99" } });
  const page = await context.newPage();
  const email = `spoof-${Date.now()}@example.test`;
  await signIn(page, email, "wrong password here");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("The email address or password is incorrect.");
  const rows = await query<{ client_address: string }>(
    `SELECT client_address FROM audit_events WHERE action = 'auth.sign_in_failed' AND after->>'email' = $1`,
    [email],
  );
  expect(rows).toHaveLength(1);
  expect(rows[0]!.client_address).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
  await context.close();
});
