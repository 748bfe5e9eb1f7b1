import { expect, test } from "./support/test";
import { query } from "./support/database";
import { SCREENSHOTS } from "./support/session";
import { act, as, startEarly, fileAndSubmit, signItems, toAuthorization, vote } from "./support/change-ui";

const unique = (title: string) => `${title} ${Date.now().toString(36)}`;

test("(a) a normal change from request to closure, every role in turn", async ({ browser }) => {
  test.setTimeout(180_000);
  const requester = await as(browser, "requester");
  // edge-proxy: criticality 4, internet-facing: medium risk, so two CAB members approve.
  const path = await fileAndSubmit(requester, { title: unique("Raise the edge proxy worker count"), ci: "edge-proxy" });
  await expect(requester.getByText("Submitted", { exact: true })).toBeVisible();

  const manager = await toAuthorization(browser, path);

  for (const who of ["cab", "lead"]) {
    const cab = await as(browser, who);
    // The queue is paged and other specs fill it: filter to the change's CI, soonest first.
    await cab.goto("/cab?sort=start&ci=edge-proxy");
    await cab.getByRole("link", { name: /Raise the edge proxy worker count/ }).click();
    await vote(cab, "Approve", `Approved by ${who}.`);
    if (who === "lead") await cab.screenshot({ path: `${SCREENSHOTS}/change-approved.png`, fullPage: true });
  }

  await manager.reload();
  await expect(manager.getByText("The approvals the policy requires are in.")).toBeVisible();
  await manager.getByLabel("Implementer").selectOption({ label: "Ines Implementer" });
  await Promise.all([manager.waitForURL(/done=assigned/), manager.getByRole("button", { name: "Assign implementer" }).click()]);
  await expect(manager.getByRole("main").getByRole("status").filter({ hasText: "Implementer assigned." })).toBeVisible();
  await act(manager, "Authorize and schedule");

  const implementer = await as(browser, "implementer");
  await implementer.goto("/work");
  await implementer.getByRole("link", { name: /Raise the edge proxy worker count/ }).click();
  await act(implementer, "Start implementation", startEarly);
  await act(implementer, "Record outcome", async (form) => {
    await form.getByLabel("Outcome").selectOption({ label: "Successful" });
    await form.getByLabel("Notes and evidence").fill("Worker count raised; latency unchanged.");
  });

  await manager.reload();
  await act(manager, "Close after review", async (form) => {
    for (const check of ["Works as intended", "Security controls still in place", "Monitoring covers the change", "Documentation updated"])
      await form.getByLabel(check).check();
  });
  await expect(manager.getByText("Closed", { exact: true })).toBeVisible();
  await expect(manager.getByRole("region", { name: "Timeline" }).getByText("closed", { exact: true })).toBeVisible();
  await manager.screenshot({ path: `${SCREENSHOTS}/change-closed.png`, fullPage: true });
});

test("(b) an emergency change: dual approval, then a retrospective review with a root cause", async ({ browser }) => {
  test.setTimeout(180_000);
  const requester = await as(browser, "requester");
  const path = await fileAndSubmit(requester, {
    title: unique("Patch the token parser"),
    type: "Emergency",
    ci: "auth-service",
    emergency: "Exploited in the wild since this morning.",
  });
  await expect(requester.getByText("Authorization", { exact: true })).toBeVisible();

  const manager = await as(browser, "manager");
  await manager.goto(path);
  await vote(manager, "Approve", "Operations approves.");
  const security = await as(browser, "security");
  // The security reviewer's queue lists the approval waiting for them, with a link to the change.
  await security.goto("/security");
  const awaiting = security.getByRole("region", { name: "Approvals awaiting your vote" });
  await expect(awaiting.getByRole("link", { name: /Patch the token parser/ })).toBeVisible();
  await security.screenshot({ path: `${SCREENSHOTS}/security-queue.png`, fullPage: true });
  await awaiting.getByRole("link", { name: /Patch the token parser/ }).click();
  await expect(security).toHaveURL(new RegExp(`${path}$`));
  await vote(security, "Approve", "Security approves; validate logs afterwards.");
  await security.goto("/security");
  await expect(
    security.getByRole("region", { name: "Approvals awaiting your vote" }).getByRole("link", { name: /Patch the token parser/ }),
  ).toHaveCount(0);
  await security.goto(path);
  await manager.reload();
  await signItems(manager);
  await manager.getByLabel("Implementer").selectOption({ label: "Ines Implementer" });
  await Promise.all([manager.waitForURL(/done=assigned/), manager.getByRole("button", { name: "Assign implementer" }).click()]);
  await expect(manager.getByRole("main").getByRole("status").filter({ hasText: "Implementer assigned." })).toBeVisible();

  const implementer = await as(browser, "implementer");
  await implementer.goto(path);
  // Its window opens in three days: starting now asks for a confirmation and a reason, and is refused without one.
  const panel = implementer.getByRole("region", { name: "What you can do" });
  await panel.locator("summary", { hasText: "Start implementation…" }).click();
  await expect(panel.getByText(/The approved window opens .*: starting now is before it\./)).toBeVisible();
  await panel.getByRole("button", { name: "Start implementation", exact: true }).click();
  await expect(panel.getByRole("alert")).toContainText("Give the reason for starting outside the window");
  const reason = "Exploited in the wild: patching before the planned window.";
  await act(implementer, "Start implementation", (form) => form.getByLabel("Reason for starting outside the window").fill(reason));
  const started = await query<{ reason: string; after: { outsideWindow?: string } }>(
    `SELECT reason, after FROM audit_events WHERE action = 'change.implementation_started' AND change_id = $1`,
    [path.split("/").at(-1)],
  );
  expect(started).toEqual([{ reason, after: expect.objectContaining({ outsideWindow: "before" }) }]);
  await expect(implementer.getByTestId("review-deadline")).toHaveText(/Retrospective review due 5 days after the outcome is recorded/);
  await act(implementer, "Record outcome", async (form) => {
    await form.getByLabel("Outcome").selectOption({ label: "Successful" });
  });
  await expect(implementer.getByTestId("review-deadline")).toHaveText(/Retrospective review due by \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
  await implementer.screenshot({ path: `${SCREENSHOTS}/emergency-review-deadline.png`, fullPage: true });

  await security.reload();
  await signItems(security);
  await manager.reload();
  // Without the root cause the close is refused, in words.
  await manager.getByRole("region", { name: "What you can do" }).getByRole("button", { name: "Close after review", exact: true }).click();
  await expect(manager.getByRole("main").getByRole("alert")).toBeVisible();
  await act(manager, "Close after review", async (form) => {
    for (const check of ["Works as intended", "Security controls still in place", "Monitoring covers the change", "Documentation updated"])
      await form.getByLabel(check).check();
    await form
      .getByLabel("Security validation (log review, access-rights audit)")
      .fill("Auth logs reviewed for 7 days; admin grants audited.");
    await form.getByLabel("Root cause").fill("A library bug in the token parser.");
  });
  await expect(manager.getByText("Closed", { exact: true })).toBeVisible();
});

test("(c) a standard change from an approved template goes straight to scheduled", async ({ browser }) => {
  const requester = await as(browser, "requester");
  await fileAndSubmit(requester, {
    title: unique("Rotate the staging certificate"),
    type: "Standard",
    template: "Rotate the staging web certificate (version 1)",
    ci: "staging-web",
  });
  await expect(requester.getByText("Scheduled", { exact: true })).toBeVisible();
  await expect(requester.getByRole("region", { name: "Approvals" })).toContainText("Pre-approved through its standard-change template.");
});

test("(d) a requester who is also on the CAB cannot approve their own change, and is told why", async ({ browser }) => {
  const lead = await as(browser, "lead");
  const path = await fileAndSubmit(lead, { title: unique("Resize the reporting workers"), ci: "edge-proxy" });
  await toAuthorization(browser, path);
  await lead.reload();
  await expect(lead.getByRole("region", { name: "Approvals" }).getByText(/You cannot vote on this change: .*request/i)).toBeVisible();
  await expect(lead.getByRole("button", { name: "Cast vote" })).toHaveCount(0);
  await lead.goto("/cab?sort=start&ci=edge-proxy");
  await expect(lead.getByRole("link", { name: /Resize the reporting workers/ })).toHaveCount(0);
});

test("(e) two browsers voting at once as the same person record one vote", async ({ browser }) => {
  const requester = await as(browser, "requester");
  const path = await fileAndSubmit(requester, { title: unique("Tune the edge cache"), ci: "edge-proxy" });
  await toAuthorization(browser, path);

  const first = await as(browser, "cab");
  const second = await first.context().newPage();
  await Promise.all([first.goto(path), second.goto(path)]);
  for (const page of [first, second]) {
    await page.getByRole("region", { name: "Approvals" }).getByRole("radio", { name: "Approve" }).check();
    await page.getByRole("region", { name: "Approvals" }).getByLabel("Comment").fill("Fine.");
  }
  await Promise.all(
    [first, second].map((page) => page.getByRole("region", { name: "Approvals" }).getByRole("button", { name: "Cast vote" }).click()),
  );
  const outcomes = await Promise.all(
    [first, second].map(async (page) => {
      const recorded = page.getByRole("main").getByRole("status").filter({ hasText: "Your vote is recorded." });
      const refused = page.getByRole("region", { name: "Approvals" }).getByRole("alert");
      await expect(recorded.or(refused)).toBeVisible();
      return (await recorded.count()) > 0 ? "recorded" : "refused";
    }),
  );
  expect(outcomes.sort()).toEqual(["recorded", "refused"]);
  await first.reload();
  await expect(first.getByRole("region", { name: "Approvals" }).getByText("Casey Cab", { exact: true })).toHaveCount(1);
});
