import { mkdirSync } from "node:fs";
import type { Page, TestInfo } from "@playwright/test";
import { expect, test } from "./support/test";
import { SCREENSHOTS, signInAndWait } from "./support/session";
import { fileAndSubmit, toAuthorization } from "./support/change-ui";
import { DEMO_PASSWORD } from "../../prisma/seed/demo-users";

/** A phone, a tablet in portrait, a laptop. */
const WIDTHS = [390, 768, 1280] as const;
const HEIGHTS: Record<(typeof WIDTHS)[number], number> = { 390: 844, 768: 1024, 1280: 800 };

/** A page by its address, or the first link on a list page that matches (a change, a user, …). */
type Visit = { name: string; path: string } | { name: string; from: string; link: string };

const page = (name: string, path: string): Visit => ({ name, path });
const first = (name: string, from: string, link: string): Visit => ({ name, from, link });
const CHANGE_LINK = 'main a[href^="/changes/"]:not([href$="/new"]):not([href$="/mine"])';

// Every main page, each as a role that sees it, with the fullest content the demo data gives.
const ROUNDS: Record<string, Visit[]> = {
  // Requester, CAB member and implementer in one person.
  lead: [
    page("home", "/"),
    page("my-changes", "/changes/mine"),
    page("new-change", "/changes/new"),
    page("cab-queue", "/cab"),
    first("change-to-vote-on", "/cab", CHANGE_LINK),
    page("my-work", "/work"),
    page("calendar", "/calendar"),
    page("notifications", "/notifications"),
    page("account", "/account/password"),
    page("api-tokens", "/account/tokens"),
  ],
  manager: [
    page("all-changes", "/changes"),
    first("major-change", "/changes?type=major", CHANGE_LINK),
    first("emergency-change", "/changes?type=emergency&state=closed", CHANGE_LINK),
    first("scheduled-change", "/changes?state=scheduled", CHANGE_LINK),
    page("metrics", "/metrics"),
    page("calendar-month", "/calendar?view=month"),
  ],
  security: [page("security-review", "/security")],
  auditor: [
    page("audit-changes", "/audit"),
    page("audit-events", "/audit?view=events"),
    page("audit-verify", "/audit/verify"),
    page("audit-reports", "/audit/reports"),
    page("report-waivers", "/audit/reports/waivers"),
    page("report-access-review", "/audit/reports/access-review"),
    page("report-outside-window", "/audit/reports/outside-approved-window"),
    page("report-unauthorized-deployments", "/audit/reports/unauthorized-deployments"),
    first("evidence", "/audit?type=emergency", 'main a[href^="/audit/changes/"]'),
  ],
  admin: [
    page("admin-users", "/admin/users"),
    page("admin-service-accounts", "/admin/service-accounts"),
    first("admin-user", "/admin/users", 'main a[href^="/admin/users/"]:not([href$="/new"])'),
    page("admin-new-user", "/admin/users/new"),
    page("admin-role-requests", "/admin/role-requests"),
    page("admin-cis", "/admin/cis"),
    first("admin-ci", "/admin/cis", 'main a[href^="/admin/cis/"]:not([href$="/new"])'),
    page("admin-new-ci", "/admin/cis/new"),
    page("admin-templates", "/admin/templates"),
    first("admin-template", "/admin/templates", 'main td a[href^="/admin/templates/"]'),
    page("admin-new-template", "/admin/templates/new"),
    page("admin-freezes", "/admin/freezes"),
    first("admin-freeze", "/admin/freezes", 'main a[href^="/admin/freezes/"]'),
  ],
};

async function open(pageOf: Page, visit: Visit): Promise<string> {
  if ("path" in visit) {
    await pageOf.goto(visit.path);
    return visit.path;
  }
  await pageOf.goto(visit.from);
  const href = await pageOf.locator(visit.link).first().getAttribute("href");
  expect(href, `${visit.name}: no link ${visit.link} on ${visit.from}`).toBeTruthy();
  await pageOf.goto(href!);
  return href!;
}

/** How much wider than the viewport the document is (0 when it fits). */
async function overflow(pageOf: Page, width: number): Promise<number> {
  // Two frames: the resize's layout has happened before the width is read.
  await pageOf.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  return (await pageOf.evaluate(() => document.documentElement.scrollWidth)) - width;
}

async function shoot(pageOf: Page, testInfo: TestInfo, width: number, name: string) {
  const dir = `${SCREENSHOTS}/viewports/${width}`;
  mkdirSync(dir, { recursive: true });
  const path = `${dir}/${name}.png`;
  await pageOf.screenshot({ path, fullPage: true });
  await testInfo.attach(`${width}px ${name}`, { path, contentType: "image/png" });
}

for (const [who, visits] of Object.entries(ROUNDS)) {
  test(`every page ${who} sees fits 390, 768 and 1280 px wide`, async ({ page: browserPage }, testInfo) => {
    test.setTimeout(240_000);
    await signInAndWait(browserPage, `${who}@demo.local`, DEMO_PASSWORD);
    const tooWide: string[] = [];
    for (const visit of visits) {
      // One load per page: the layout is CSS only, so resizing re-lays it out as a fresh load at that width would.
      await browserPage.setViewportSize({ width: WIDTHS[0], height: HEIGHTS[WIDTHS[0]] });
      const path = await open(browserPage, visit);
      await expect(browserPage.getByRole("heading", { level: 1 })).toBeVisible();
      for (const width of WIDTHS) {
        await browserPage.setViewportSize({ width, height: HEIGHTS[width] });
        const extra = await overflow(browserPage, width);
        if (extra > 0) tooWide.push(`${visit.name} (${path}) at ${width} px: ${extra} px wider than the screen`);
        await shoot(browserPage, testInfo, width, `${who}-${visit.name}`);
      }
    }
    expect(tooWide, "pages wider than the viewport").toEqual([]);
  });
}

test("a CAB member on a phone opens the menu, goes to the CAB queue, reads a change and votes", async ({ browser }) => {
  test.setTimeout(180_000);
  const requester = await (await browser.newContext()).newPage();
  await signInAndWait(requester, "requester@demo.local", DEMO_PASSWORD);
  const title = `Raise the edge proxy timeout ${Date.now().toString(36)}`;
  const path = await fileAndSubmit(requester, { title, ci: "edge-proxy" });
  await toAuthorization(browser, path);

  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
  await signInAndWait(phone, "cab@demo.local", DEMO_PASSWORD);
  // The first Tab reaches the skip link, which moves on to the page itself.
  await phone.keyboard.press("Tab");
  await expect(phone.getByRole("link", { name: "Skip to main content" })).toBeFocused();
  await phone.keyboard.press("Enter");
  await expect(phone.locator("main#main")).toBeFocused();
  await expect(phone.getByRole("link", { name: /^Notifications/ })).toBeVisible();

  const menu = phone.getByRole("button", { name: "Menu" });
  const nav = phone.getByRole("navigation", { name: "Main" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toHaveAttribute("aria-controls", /\S/);
  await expect(nav).toBeHidden();
  await menu.click();
  await expect(nav).toBeVisible();
  await phone.keyboard.press("Escape");
  await expect(nav, "Escape closes the menu").toBeHidden();
  await expect(menu).toBeFocused();
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await nav.getByRole("link", { name: "CAB queue" }).click();
  await expect(phone.getByRole("heading", { level: 1, name: "CAB queue" })).toBeVisible();
  await expect(nav, "the menu closes once a page is chosen").toBeHidden();
  expect(await overflow(phone, 390), "the CAB queue fits the phone").toBeLessThanOrEqual(0);

  await phone.getByRole("link", { name: title }).click();
  await expect(phone.getByRole("heading", { level: 1, name: title })).toBeVisible();
  expect(await overflow(phone, 390), "the change page fits the phone").toBeLessThanOrEqual(0);
  const approvals = phone.getByRole("region", { name: "Approvals" });
  await approvals.scrollIntoViewIfNeeded();
  await approvals.getByRole("radio", { name: "Approve" }).check();
  await approvals.getByLabel("Comment").fill("Read on my phone; fine.");
  await approvals.getByRole("button", { name: "Cast vote" }).click();
  await expect(phone.getByRole("main").getByRole("status").filter({ hasText: "Your vote is recorded." })).toBeVisible();
  await expect(approvals.getByText("Casey Cab")).toBeVisible();
  await shoot(phone, test.info(), 390, "cab-voted-on-phone");
});
