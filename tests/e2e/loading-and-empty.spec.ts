import type { Page, Request } from "@playwright/test";
import { expect, test } from "./support/test";
import { createUser } from "./support/database";
import { SCREENSHOTS, signInAndWait } from "./support/session";
import { as } from "./support/change-ui";

// Issue 29, item 4: long lists and searches show that they are loading; empty lists say what to do next.

const isPrefetch = (request: Request) =>
  Boolean(request.headers()["next-router-prefetch"] || request.headers()["next-router-segment-prefetch"]);

/** Holds the browser's page-data requests for `path` until the returned release is called. */
async function holdPageData(page: Page, path: string, search?: RegExp) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname === path && (!search || search.test(url.search)),
    async (route) => {
      if (route.request().headers()["rsc"] && !isPrefetch(route.request())) await released;
      await route.continue();
    },
  );
  return release;
}

test("a list shows its skeleton while it loads, and a search says it is searching", async ({ browser }) => {
  const manager = await as(browser, "manager");
  // The loading state comes with the link's prefetch: click only once it has arrived (under load it can be late).
  const prefetched = manager.waitForResponse((r) => new URL(r.url()).pathname === "/notifications" && isPrefetch(r.request()));
  await manager.goto("/");
  await prefetched;
  // The prefetch comes in several requests (the route tree, then its segments): the loading state is in a later one.
  await manager.waitForLoadState("networkidle");
  // Only pages that cannot answer 403 or 404 have a loading.tsx: one streams its page, and a refusal
  // thrown inside the stream could no longer set the response's status.
  const release = await holdPageData(manager, "/notifications");
  await manager
    .getByRole("banner")
    .getByRole("link", { name: /^Notifications/ })
    .click();
  const skeleton = manager.getByTestId("list-skeleton");
  await expect(skeleton).toBeVisible();
  await expect(skeleton).toHaveText(/Loading notifications…/);
  await manager.screenshot({ path: `${SCREENSHOTS}/loading-notifications.png`, fullPage: true });
  release();
  await expect(manager.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  await expect(skeleton).toHaveCount(0);
  await manager.unrouteAll({ behavior: "ignoreErrors" });

  await manager.goto("/changes");

  const releaseSearch = await holdPageData(manager, "/changes", /q=payments/);
  const search = manager.getByRole("search");
  await search.getByLabel("Title contains").fill("payments");
  await search.getByRole("button", { name: "Filter" }).click();
  await expect(search.getByRole("button", { name: "Searching…" })).toBeDisabled();
  await manager.screenshot({ path: `${SCREENSHOTS}/searching-changes.png` });
  releaseSearch();
  await expect(manager).toHaveURL(/q=payments/);
  await expect(search.getByRole("button", { name: "Filter" })).toBeEnabled();
});

test("empty lists say what to do next, with the link to do it", async ({ browser, page }) => {
  const manager = await as(browser, "manager");
  await manager.goto("/changes?q=nothing-is-called-this");
  const empty = manager.getByRole("main").getByText("No change matches these filters.");
  await expect(empty).toBeVisible();
  await manager.screenshot({ path: `${SCREENSHOTS}/empty-changes.png`, fullPage: true });
  await manager.getByRole("main").getByRole("link", { name: "Clear the filters" }).click();
  await expect(manager).toHaveURL(/\/changes$/);
  await expect(manager.getByRole("search").getByLabel("Title contains")).toHaveValue("");

  const admin = await as(browser, "admin");
  await admin.goto("/admin/users?q=nobody-by-this-name");
  await expect(admin.getByRole("main").getByText(/No user matches “nobody-by-this-name”/)).toBeVisible();
  await admin.getByRole("main").getByRole("link", { name: "create the user" }).click();
  await expect(admin).toHaveURL(/\/admin\/users\/new$/);

  const cab = await as(browser, "cab");
  await cab.goto("/cab?ci=no-such-configuration-item");
  await expect(cab.getByRole("main").getByText("Nothing awaiting your vote matches these filters.")).toBeVisible();
  await cab.getByRole("main").getByRole("link", { name: "Clear the filters" }).click();
  await expect(cab).toHaveURL(/\/cab$/);

  // A new implementer has nothing assigned: the page says who assigns work and where it is scheduled.
  const implementer = await createUser(["implementer"]);
  await signInAndWait(page, implementer.email, implementer.password);
  await page.goto("/work");
  await expect(
    page.getByRole("main").getByText(/No change is assigned to you right now\. The change manager assigns implementers/),
  ).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/empty-work.png`, fullPage: true });
  await page.getByRole("main").getByRole("link", { name: "change calendar" }).click();
  await expect(page).toHaveURL(/\/calendar$/);
});
