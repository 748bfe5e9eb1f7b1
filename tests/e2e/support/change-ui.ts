import { expect, type Browser, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "../../../prisma/seed/demo-users";
import { signInAndWait } from "./session";

/** A signed-in page of its own (own cookies) for one demo user. */
export async function as(browser: Browser, who: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAndWait(page, `${who}@demo.local`, DEMO_PASSWORD);
  return page;
}

/** "YYYY-MM-DDTHH:mm" in the browser's zone (UTC in the tests), `days` from now. */
export function localInput(days: number, hour: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString().slice(0, 16);
}

type Draft = {
  title: string;
  type?: "Normal" | "Standard" | "Emergency" | "Major";
  ci: string;
  template?: string;
  emergency?: string;
  flags?: string[];
};

/** Files a change through the form and submits it from its page; returns the change page's address. */
export async function fileAndSubmit(page: Page, draft: Draft): Promise<string> {
  await page.goto("/changes/new");
  await page.getByRole("radio", { name: new RegExp(`^${draft.type ?? "Normal"}`) }).check();
  if (draft.template) await page.getByLabel("Template", { exact: true }).selectOption({ label: draft.template });
  await page.getByLabel("Title", { exact: true }).fill(draft.title);
  await page.getByLabel("Description", { exact: true }).fill(`${draft.title}, as planned.`);
  await page.getByLabel("Business justification", { exact: true }).fill("Keeps the service supported.");
  if (draft.emergency) await page.getByLabel("Emergency justification", { exact: true }).fill(draft.emergency);
  await page.getByLabel("Search configuration items", { exact: true }).fill(draft.ci);
  await page.getByRole("button", { name: `Add ${draft.ci}`, exact: true }).click();
  await page.getByLabel("Planned start", { exact: true }).fill(localInput(3, 10));
  await page.getByLabel("Planned end", { exact: true }).fill(localInput(3, 11));
  await page.getByLabel("Implementation plan", { exact: true }).fill("Apply, then verify.");
  await page.getByLabel("Backout plan", { exact: true }).fill("Restore the previous release.");
  await page.getByLabel("The backout plan was tested (rehearsed)", { exact: true }).check();
  await page.getByLabel("Test plan", { exact: true }).fill("Health checks and a smoke test.");
  for (const flag of draft.flags ?? []) await page.getByLabel(flag, { exact: true }).check();
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("heading", { level: 1, name: draft.title })).toBeVisible();
  await act(page, "Submit");
  return new URL(page.url()).pathname;
}

/** Runs a click that ends in the change page's redirect (a fresh address each time) and waits for it. */
async function andRedirect(page: Page, click: () => Promise<void>) {
  const before = page.url();
  await click();
  await page.waitForURL((url) => url.href !== before && url.searchParams.has("done"));
}

/** Clicks an action in "What you can do", filling its fields first, and waits for its confirmation. */
export async function act(page: Page, label: string, fill: (panel: ReturnType<Page["locator"]>) => Promise<void> = async () => undefined) {
  const panel = page.getByRole("region", { name: "What you can do" });
  // The change page may still be loading (its skeleton): look for the disclosure once the panel is there.
  await expect(panel).toBeVisible();
  const disclosure = panel.locator("details", { has: page.locator("summary", { hasText: `${label}…` }) });
  const scope = (await disclosure.count()) ? disclosure : panel;
  if (await disclosure.count()) {
    if ((await disclosure.getAttribute("open")) === null) await disclosure.locator("summary").click();
  }
  await fill(scope);
  await andRedirect(page, () => scope.getByRole("button", { name: label, exact: true }).click());
  await expect(
    page
      .getByRole("main")
      .getByRole("status")
      .filter({ hasText: `${label}: done.` }),
  ).toBeVisible();
}

/** The journeys run ahead of their changes' windows: starting implementation asks for the reason. */
export async function startEarly(form: ReturnType<Page["locator"]>) {
  await expect(form.getByText(/The approved window opens .*: starting now is before it\./)).toBeVisible();
  await form.getByLabel("Reason for starting outside the window").fill("The journey runs ahead of its window.");
}

/** Signs every pending checklist item this user may sign, with evidence. */
export async function signItems(page: Page) {
  const checklist = page.getByRole("region", { name: "Security checklist" });
  for (;;) {
    const button = checklist.getByRole("button", { name: /^Sign off / }).first();
    if (!(await button.count())) return;
    const form = button.locator("xpath=ancestor::form");
    await form.getByLabel("Evidence").fill("Report attached to ticket OPS-42.");
    await andRedirect(page, () => button.click());
    await expect(page.getByRole("main").getByRole("status").filter({ hasText: "Signed off." })).toBeVisible();
  }
}

export async function vote(page: Page, decision: "Approve" | "Reject" | "Abstain", comment: string) {
  // The voter's own form: a delegate also sees one per person they vote for.
  const own = page
    .getByRole("region", { name: "Approvals" })
    .locator("form")
    .filter({ has: page.getByRole("group", { name: "Decision", exact: true }) });
  await own.getByRole("radio", { name: decision }).check();
  await own.getByLabel("Comment").fill(comment);
  await andRedirect(page, () => own.getByRole("button", { name: "Cast vote", exact: true }).click());
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: "Your vote is recorded." })).toBeVisible();
}

/** A change manager records the backout test on the edit form: only a test recorded by someone other than the requester lowers the risk. */
export async function recordBackoutTest(page: Page, path: string) {
  await page.goto(`${path}/edit`);
  await page.getByLabel("I confirm the backout was tested: record it as me, now", { exact: true }).check();
  await page.getByRole("button", { name: "Save draft" }).click();
  await page.waitForURL((url) => url.pathname === path && url.searchParams.has("saved"));
}

/** The manager assesses, both readiness and security items are signed, and the change goes to authorization. */
export async function toAuthorization(browser: Browser, path: string): Promise<Page> {
  const manager = await as(browser, "manager");
  await manager.goto(path);
  await act(manager, "Start assessment");
  await recordBackoutTest(manager, path);
  await signItems(manager);
  const security = await as(browser, "security");
  await security.goto(path);
  await signItems(security);
  await manager.reload();
  await act(manager, "Send for authorization");
  return manager;
}
