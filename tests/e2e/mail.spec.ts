import { expect, test } from "./support/test";
import { createUser, query } from "./support/database";
import { SCREENSHOTS, signInAndWait } from "./support/session";

// The demo story's mails, delivered to the dev mailbox (no SMTP server), read by an admin; the
// deliveries page with a dead message retried; a person choosing which mails they receive.
test("the dev mailbox shows the demo's mails, a dead delivery is retried, and a person picks their mails", async ({ page }) => {
  await signInAndWait(page, "admin@demo.local");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dev mailbox" }).click();
  await expect(page.getByRole("heading", { name: "Dev mailbox", level: 1 })).toBeVisible();
  const vote = page
    .getByTestId("mailbox-message")
    .filter({ hasText: "Your vote is awaited" })
    .filter({ hasText: "cab@demo.local" })
    .first();
  await expect(vote).toBeVisible();
  expect(await page.getByTestId("mailbox-message").count()).toBeGreaterThan(5);
  await vote.locator("summary").click();
  const text = vote.getByTestId("mailbox-text");
  await expect(text).toContainText("Hello Casey Cab,");
  await expect(text).toContainText(/awaits your vote\./);
  await expect(text).toContainText(/Open the change: http:\/\/localhost:\d+\/changes\/[0-9a-f-]{36}/);
  await expect(vote.locator("iframe")).toHaveAttribute("sandbox", "");
  await expect(vote.frameLocator("iframe").getByRole("link", { name: /^Open CHG-\d{6}$/ })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/admin-mailbox.png`, fullPage: true });
  // Older mails than the demo's, enough for a second page of the mailbox.
  await query(
    `INSERT INTO deliveries (message_key, channel, kind, target, subject, body_text, body_html, status, max_attempts, transport, created_at, sent_at)
     SELECT 'mail.e2e-page-' || n || '-' || $1, 'email', 'change_approved', 'paging@demo.local', 'E2E older mail ' || n, 'text', '<p>html</p>',
            'sent', 8, 'mailbox', now() - interval '10 days' - n * interval '1 second', now() - interval '10 days' - n * interval '1 second'
     FROM generate_series(1, 60) AS n`,
    [Date.now()],
  );
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/\/admin\/mailbox\?after=/);
  await expect(page.getByTestId("mailbox-message").filter({ hasText: "E2E older mail" }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "First page" })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/admin-mailbox-page-2.png`, fullPage: true });

  // A dead message (a receiver that kept refusing), shown with its error and retried from the page.
  const [user] = await query<{ id: string; email: string }>("SELECT id, email FROM users WHERE email = 'requester@demo.local'");
  const key = `mail.e2e-${Date.now()}`;
  await query(
    `INSERT INTO deliveries (message_key, channel, kind, recipient_id, target, subject, body_text, body_html, status, attempts, max_attempts, last_error, dead_at)
     VALUES ($1, 'email', 'change_approved', $2, $3, 'E2E dead letter', 'text', '<p>html</p>', 'dead', 8, 8, '451 Mailbox temporarily unavailable', now())`,
    [key, user!.id, user!.email],
  );
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Deliveries" }).click();
  await expect(page.getByRole("heading", { name: "Deliveries", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: /^Dead \d+$/ }).click();
  const dead = page.getByTestId("delivery-row").filter({ hasText: key });
  await expect(dead).toContainText("Last error: 451 Mailbox temporarily unavailable");
  await expect(dead).toContainText("8 of 8");
  await page.screenshot({ path: `${SCREENSHOTS}/admin-deliveries-dead.png`, fullPage: true });
  await dead.getByRole("button", { name: "Retry now" }).click();
  // Queued again: it leaves the dead list and waits, with a fresh count, for the worker.
  await expect(dead).toHaveCount(0);
  await page.goto("/admin/deliveries?status=pending");
  await expect(page.getByTestId("delivery-row").filter({ hasText: key })).toContainText("0 of 8");
  const [after] = await query<{ status: string; attempts: number }>(
    "SELECT status::text, attempts FROM deliveries WHERE message_key = $1",
    [key],
  );
  expect(after).toEqual({ status: "pending", attempts: 0 });
  await page.goto("/admin/deliveries?status=sent");
  expect(Number(await page.getByTestId("count-sent").textContent())).toBeGreaterThan(5);
  await expect(page.getByTestId("delivery-row").first()).toContainText("to the dev mailbox");

  // A person turns one kind off; the ones that ask them to act stay on.
  const person = await createUser(["requester", "cab_member"]);
  const context = await page.context().browser()!.newContext();
  const other = await context.newPage();
  await signInAndWait(other, person.email, person.password);
  await other.getByRole("link", { name: "Mail", exact: true }).click();
  await expect(other.getByRole("heading", { name: "Mail", level: 1 })).toBeVisible();
  const voteBox = other.getByRole("checkbox", { name: /Vote awaited/ });
  await expect(voteBox).toBeChecked();
  await expect(voteBox).toBeDisabled();
  await other.getByRole("checkbox", { name: /^Approved/ }).uncheck();
  await other.getByRole("button", { name: "Save mail choices" }).click();
  await expect(other.getByText("Your mail choices are saved.")).toBeVisible();
  await other.screenshot({ path: `${SCREENSHOTS}/account-mail.png`, fullPage: true });
  await other.reload();
  await expect(other.getByRole("checkbox", { name: /^Approved/ })).not.toBeChecked();
  await expect(other.getByRole("checkbox", { name: /^Rejected/ })).toBeChecked();
  await context.close();
});
