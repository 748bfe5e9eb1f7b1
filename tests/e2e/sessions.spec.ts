import { expect, test } from "./support/test";
import { createUser, query } from "./support/database";
import { SCREENSHOTS, signIn, signInAndWait } from "./support/session";

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

test("Your sessions: sign out the other browser; an admin ends the rest, and each is told why", async ({ browser }) => {
  const user = await createUser(["requester"]);
  const admin = await createUser(["admin"]);
  const firefox = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
  const [laptop, phone, adminContext] = await Promise.all([
    browser.newContext(),
    browser.newContext({ userAgent: firefox }),
    browser.newContext(),
  ]);
  const [a, b, c] = await Promise.all([laptop.newPage(), phone.newPage(), adminContext.newPage()]);
  await signInAndWait(a, user.email, user.password);
  await signInAndWait(b, user.email, user.password);

  // Linked from the account page, not the navigation.
  await a.getByRole("link", { name: "Account" }).click();
  await a.getByRole("link", { name: "Your sessions" }).click();
  await expect(a.getByRole("heading", { level: 1 })).toHaveText("Your sessions");
  const rows = a.getByTestId("session-row");
  await expect(rows).toHaveCount(2);
  const current = rows.filter({ hasText: "This session" });
  await expect(current).toHaveCount(1);
  await expect(current.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  const other = rows.filter({ hasText: "Firefox 133 on Linux" });
  await expect(other).toContainText("Password");
  await a.screenshot({ path: `${SCREENSHOTS}/your-sessions.png`, fullPage: true });

  await other.getByRole("button", { name: "Sign out" }).click();
  await a.getByRole("dialog").getByRole("button", { name: "Sign it out" }).click();
  // The row goes, and its form with it.
  await expect(rows).toHaveCount(1);

  // The other browser is signed out at its next click, and told why.
  await b.getByRole("link", { name: "Change calendar" }).first().click();
  await expect(b).toHaveURL(/\/signin\?.*ended=ended_by_user/);
  await expect(b.getByRole("main").getByRole("alert")).toHaveText("This session was signed out from another of your sessions.");

  // An admin ends the rest from the user's page.
  const id = (await query<{ id: string }>("SELECT id FROM users WHERE email = $1", [user.email]))[0]!.id;
  await signInAndWait(c, admin.email, admin.password);
  await c.goto(`/admin/users/${id}`);
  const theirs = c.getByRole("region", { name: "Their sessions" });
  await expect(theirs.getByTestId("session-row")).toHaveCount(1);
  await c.screenshot({ path: `${SCREENSHOTS}/admin-user-sessions.png`, fullPage: true });
  await c.getByRole("button", { name: "End all sessions" }).click();
  await c.getByRole("dialog").getByRole("button", { name: "End all sessions" }).click();
  await expect(c.getByText("No live sessions.")).toBeVisible();

  await a.getByRole("link", { name: "Change calendar" }).first().click();
  await expect(a).toHaveURL(/\/signin\?.*ended=ended_by_admin/);
  await expect(a.getByRole("main").getByRole("alert")).toContainText("An admin ended your sessions.");
  await a.screenshot({ path: `${SCREENSHOTS}/signed-out-by-admin.png` });

  const events = await query<{ actor: string; reason: string; sessions: number }>(
    `SELECT actor_email AS actor, after->>'reason' AS reason, jsonb_array_length(after->'sessions') AS sessions
       FROM audit_events WHERE action = 'session.ended' AND entity_id = $1 ORDER BY seq`,
    [id],
  );
  expect(events).toEqual([
    { actor: user.email, reason: "ended_by_user", sessions: 1 },
    { actor: admin.email, reason: "ended_by_admin", sessions: 1 },
  ]);
  await Promise.all([laptop.close(), phone.close(), adminContext.close()]);
});
