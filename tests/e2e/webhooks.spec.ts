import { expect, test } from "./support/test";
import { query } from "./support/database";
import { SCREENSHOTS, signInAndWait } from "./support/session";

// An admin subscribes a receiver (a loopback URL is refused first, keeping what was typed), copies
// the secret shown once, sends a test event and finds it in the subscription's delivery log; then
// rotates the secret and deletes the subscription. The worker's sending is tested in
// tests/integration/webhooks.test.ts against a real receiver.
test("an admin subscribes a webhook, sends a test event and sees it in the delivery log", async ({ page }) => {
  await signInAndWait(page, "admin@demo.local");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  // The demo's subscription, paused.
  const demo = page.getByTestId("webhook-subscription").filter({ hasText: "siem.example.com" });
  await expect(demo).toContainText("Paused");
  await expect(demo).toContainText("Every audit event (JSON line)");

  const name = `Release channel ${Date.now()}`;
  const form = page.locator("section", { has: page.getByRole("heading", { name: "New subscription" }) });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("URL").fill("http://127.0.0.1:9/hook");
  await form.getByLabel("Change approved").check();
  await form.getByLabel("Change closed").check();
  await form.getByLabel("Message format").selectOption("slack");
  await form.getByRole("button", { name: "Subscribe" }).click();
  await expect(form.getByText(/does not send to 127\.0\.0\.1 is a loopback address/)).toBeVisible();
  await expect(form.getByLabel("Name")).toHaveValue(name);
  await expect(form.getByLabel("Change closed")).toBeChecked();
  await expect(form.getByLabel("Message format")).toHaveValue("slack");

  await form.getByLabel("URL").fill("https://hooks.example.test/services/T000/B000");
  await form.getByRole("button", { name: "Subscribe" }).click();
  await expect(form.getByTestId("webhook-secret")).toHaveValue(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const secret = await form.getByTestId("webhook-secret").inputValue();
  await page.screenshot({ path: `${SCREENSHOTS}/admin-webhooks-created.png`, fullPage: true });

  const mine = page.getByTestId("webhook-subscription").filter({ hasText: name });
  await expect(mine).toContainText("Slack message");
  await expect(mine).toContainText("Nothing sent yet.");
  await mine.getByRole("button", { name: "Send test event" }).click();
  await expect(mine.getByText(/A test event to .* is queued/)).toBeVisible();
  const row = mine.getByTestId("webhook-delivery").first();
  await expect(row).toContainText("Test event");
  await expect(row).toContainText("Queued");
  await expect(row).toContainText(/webhook\.[0-9a-f-]{36}\.test-/);
  await page.screenshot({ path: `${SCREENSHOTS}/admin-webhooks.png`, fullPage: true });

  // Once the form is gone, the secret is in no page and no audit event.
  await page.reload();
  await expect(mine.getByTestId("webhook-delivery").first()).toContainText("Test event");
  expect(await page.content()).not.toContain(secret);
  const [leaks] = await query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE hashed_content LIKE $1", [
    `%${secret.slice(6, 30)}%`,
  ]);
  expect(leaks!.n).toBe(0);

  await mine.getByRole("button", { name: "Rotate secret" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Rotate" }).click();
  await expect(mine.getByTestId("webhook-secret")).toHaveValue(/^whsec_/);
  await expect(mine).toContainText(/Rotation under way: the previous secret also signs until/);

  await mine.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("webhook-subscription").filter({ hasText: name })).toHaveCount(0);
  const actions = await query<{ action: string }>(
    "SELECT action FROM audit_events WHERE entity_type = 'webhook_subscription' AND after->>'name' = $1 OR before->>'name' = $1 ORDER BY seq",
    [name],
  );
  expect(actions.map((a) => a.action)).toEqual(["webhook.created", "webhook.deleted"]);
});
