import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { createUser, query } from "./support/database";
import { SCREENSHOTS } from "./support/session";

// Issue 29, item 4: sign-in returns to the page that was asked for, and only to a page of the portal.

async function fillSignIn(page: Page, user: { email: string; password: string }) {
  await page.getByLabel("Email address").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

const someChange = async () =>
  (await query<{ id: string; title: string }>(`SELECT id, title FROM change_requests WHERE state <> 'draft' ORDER BY number LIMIT 1`))[0]!;

test("a signed-out visit, a notification link and an ended session all return to the page after sign-in", async ({ page }) => {
  const user = await createUser(["auditor"]);
  const change = await someChange();
  const asked = `/changes/${change.id}?eventsBefore=999999999#timeline-heading`;

  // Signed out: the page sends the visitor to sign in, carrying the page (its query included).
  await page.goto(asked);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(`/changes/${change.id}?eventsBefore=999999999`);
  await page.screenshot({ path: `${SCREENSHOTS}/sign-in-with-return.png`, fullPage: true });
  await fillSignIn(page, user);
  await expect(page).toHaveURL(new RegExp(`/changes/${change.id}\\?eventsBefore=999999999$`));
  await expect(page.getByRole("heading", { level: 1, name: change.title })).toBeVisible();

  // A notification's link, followed after the session is gone, lands on its change.
  await query(
    `INSERT INTO notifications (user_id, kind, change_id, message) SELECT id, 'vote_awaited', $2, $3 FROM users WHERE email = $1`,
    [user.email, change.id, `Return-path check for ${user.email}`],
  );
  await page.goto("/notifications");
  const href = await page.getByRole("link", { name: `Return-path check for ${user.email}` }).getAttribute("href");
  expect(href).toBe(`/changes/${change.id}`);
  await page.context().clearCookies();
  await page.goto(href!);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await fillSignIn(page, user);
  await expect(page).toHaveURL(new RegExp(`/changes/${change.id}$`));
  await expect(page.getByRole("heading", { level: 1, name: change.title })).toBeVisible();

  // An ended session (as after "sign out everywhere" or a timeout) is returned the same way.
  await query(`UPDATE users SET session_version = session_version + 1 WHERE email = $1`, [user.email]);
  await page.goto("/audit?type=normal");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe("/audit?type=normal");
  await fillSignIn(page, user);
  await expect(page).toHaveURL(/\/audit\?type=normal$/);
  await expect(page.getByRole("heading", { level: 1, name: "Audit history" })).toBeVisible();

  // Signed in, /signin with a return path goes straight there.
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(`/changes/${change.id}`)}`);
  await expect(page).toHaveURL(new RegExp(`/changes/${change.id}$`));
});

test("off-site return paths land on Home, before and after sign-in", async ({ page, baseURL }) => {
  const user = await createUser(["requester"]);
  const origin = new URL(baseURL!).origin;
  const hostile = [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "%2F%2Fevil.example",
    "%2F%5Cevil.example",
    "javascript:alert(document.domain)",
    "java%0Ascript:alert(1)",
    "/%09/evil.example",
  ];
  for (const [i, callback] of hostile.entries()) {
    await page.context().clearCookies();
    // The raw form as it would sit in a link (some already percent-encoded), then encoded for the query.
    await page.goto(`/signin?callbackUrl=${encodeURIComponent(decodeURIComponent(callback))}`);
    await fillSignIn(page, user);
    await expect(page.getByTestId("signed-in-user"), callback).toBeVisible();
    expect(new URL(page.url()).origin, callback).toBe(origin);
    expect(new URL(page.url()).pathname, callback).toBe("/");
    // Once signed in, the same address is answered by the server, also with Home.
    if (i === 0) {
      await page.goto(`/signin?callbackUrl=${encodeURIComponent(callback)}`);
      await expect(page).toHaveURL(`${origin}/`);
    }
  }
});
